/**
 * A slow, obviously correct max-min fair solver, independent of src/network/maxmin.ts, for
 * checking it (bottleneck form, Bertsekas & Gallager §6.5.2): while flows are unfrozen, the
 * fair share of a link is (capacity − rates of its frozen flows) / (its unfrozen flows); the
 * link with the smallest share is a bottleneck, and its unfrozen flows freeze at that share.
 * A flow whose bound is at most the smallest share freezes at its bound first (freezing a flow
 * at or below every share of its links never lowers a share, so all of them can go at once).
 */
export interface RefFlow {
  readonly links: readonly number[];
  readonly bound: number;
}

export function referenceMaxMin(capacity: readonly number[], flows: readonly RefFlow[]): number[] {
  const rate: number[] = flows.map(() => NaN);
  const frozenLoad = new Float64Array(capacity.length);
  const count = new Int32Array(capacity.length);
  const freeze = (i: number, r: number) => {
    rate[i] = r;
    for (const l of flows[i].links) frozenLoad[l] += r;
  };
  let unfrozen = flows.map((_, i) => i);
  while (unfrozen.length > 0) {
    count.fill(0);
    for (const i of unfrozen) for (const l of flows[i].links) count[l]++;
    let share = Infinity, bottleneck = -1;
    for (let l = 0; l < capacity.length; l++) {
      if (count[l] === 0 || capacity[l] === Infinity) continue; // an unlimited link never limits
      const s = Math.max(0, capacity[l] - frozenLoad[l]) / count[l];
      if (s < share) {
        share = s;
        bottleneck = l;
      }
    }
    const byBound = unfrozen.filter((i) => flows[i].bound <= share);
    // With no limited link left, share is Infinity and every flow takes its bound (maybe Infinity).
    if (byBound.length > 0) for (const i of byBound) freeze(i, flows[i].bound);
    else for (const i of unfrozen) if (flows[i].links.includes(bottleneck)) freeze(i, share);
    unfrozen = unfrozen.filter((i) => Number.isNaN(rate[i]));
  }
  return rate;
}

/** |a − b| ≤ tol × max(|a|, |b|), with equal infinities equal. */
export function relClose(a: number, b: number, tol: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b));
}
