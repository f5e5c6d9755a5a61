/**
 * Target search by bisection over an ordered dimension: the smallest value whose point meets
 * the condition, assuming that once met it stays met for every later value (more sites, more
 * bandwidth). Written as a replay over what is known so far, so the same function drives a live
 * search, a resumed one and `merge` (which only reads results): it names the next point to
 * simulate, or gives the answer and the points it looked at.
 */
export type SearchState =
  | { readonly need: number; readonly probes: readonly number[] }
  | { readonly answer: number | null; readonly probes: readonly number[] };

/**
 * `n` ordered values; `met(k)` is true or false for a simulated value k, undefined otherwise.
 * First the last value (if even it fails, nothing meets the condition), then halving
 * [lo, hi] with lo failing (or before the first) and hi meeting: 1 + ceil(log2 n) points.
 */
export function bisect(n: number, met: (k: number) => boolean | undefined): SearchState {
  const probes: number[] = [];
  const ask = (k: number) => {
    probes.push(k);
    return met(k);
  };
  const top = ask(n - 1);
  if (top === undefined) return { need: n - 1, probes };
  if (!top) return { answer: null, probes };
  let lo = -1, hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const m = ask(mid);
    if (m === undefined) return { need: mid, probes };
    if (m) hi = mid;
    else lo = mid;
  }
  return { answer: hi, probes };
}
