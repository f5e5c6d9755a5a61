/**
 * Max-min fair rates by progressive filling (Bertsekas & Gallager, Data Networks §6.5;
 * the algorithm of SimGrid's lmm solver without weights): all unfrozen flows grow at the
 * same rate until a link saturates or a flow reaches its own bound; the flows stopped by
 * that event freeze at the current level, and filling continues with the rest.
 */
export interface SolverFlow {
  /** Indices of the links the flow crosses. */
  readonly links: ArrayLike<number>;
  /** Upper bound on the flow's rate in bytes/s (Infinity if none), e.g. a TCP window cap. */
  readonly bound: number;
}

/** What froze a flow in `limitedBy`: its own bound (e.g. a TCP window), not a link. */
export const LIMITED_BY_BOUND = -1;

/** A link counts as saturated when less than this fraction of its capacity is left. */
const SATURATION_TOLERANCE = 1e-12;

let remaining = new Float64Array(0);
let active = new Int32Array(0); // unfrozen flows per link
let capacityAt = new Float64Array(0);

/**
 * Max-min fair rate of each flow (bytes/s) given link capacities (bytes/s, Infinity for an
 * unlimited link). A flow that crosses only unlimited links, or none, gets its bound. Returns rates in `out` (allocated if absent);
 * `limitedBy`, if given, receives the link that froze each flow (its bottleneck) or LIMITED_BY_BOUND.
 */
export function maxMinRates(capacity: ArrayLike<number>, flows: readonly SolverFlow[], out?: Float64Array, limitedBy?: Int32Array): Float64Array {
  const n = flows.length;
  const rates = out ?? new Float64Array(n);
  if (remaining.length < capacity.length) {
    remaining = new Float64Array(capacity.length);
    active = new Int32Array(capacity.length);
    capacityAt = new Float64Array(capacity.length);
  }
  // Collect the links in use, in first-seen order. An unlimited link (capacity Infinity) never
  // saturates and never limits a flow, so it takes no part in the filling: leaving it out also
  // keeps Infinity − Infinity (NaN) and Infinity <= Infinity ("saturated") out of the arithmetic.
  const used: number[] = [];
  for (let f = 0; f < n; f++) {
    const links = flows[f].links;
    for (let j = 0; j < links.length; j++) {
      const l = links[j];
      if (capacity[l] === Infinity) continue;
      if (active[l] === 0) {
        used.push(l);
        remaining[l] = capacity[l];
        capacityAt[l] = capacity[l];
      }
      active[l]++;
    }
  }
  const frozen = new Uint8Array(n);
  let unfrozen = n;
  let level = 0;
  while (unfrozen > 0) {
    // The smallest increment that saturates a link or hits a flow bound.
    let delta = Infinity;
    for (const l of used) if (active[l] > 0) delta = Math.min(delta, remaining[l] / active[l]);
    for (let f = 0; f < n; f++) if (!frozen[f]) delta = Math.min(delta, flows[f].bound - level);
    if (delta === Infinity) {
      // Only unbounded flows crossing no link are left.
      for (let f = 0; f < n; f++) {
        if (frozen[f]) continue;
        rates[f] = Infinity;
        if (limitedBy) limitedBy[f] = LIMITED_BY_BOUND;
      }
      break;
    }
    level += delta;
    for (const l of used) if (active[l] > 0) remaining[l] -= delta * active[l];
    // Freeze every flow on a saturated link or at its bound.
    for (let f = 0; f < n; f++) {
      if (frozen[f]) continue;
      const flow = flows[f];
      let stop = flow.bound !== Infinity && flow.bound - level <= SATURATION_TOLERANCE * Math.max(flow.bound, 1);
      let by = LIMITED_BY_BOUND;
      const links = flow.links;
      for (let j = 0; !stop && j < links.length; j++) {
        const l = links[j];
        stop = capacity[l] !== Infinity && remaining[l] <= SATURATION_TOLERANCE * capacityAt[l];
        if (stop) by = l;
      }
      if (!stop) continue;
      if (limitedBy) limitedBy[f] = by;
      frozen[f] = 1;
      unfrozen--;
      rates[f] = Math.min(level, flow.bound);
      for (let j = 0; j < links.length; j++) if (capacity[links[j]] !== Infinity) active[links[j]]--;
    }
  }
  for (const l of used) active[l] = 0;
  return rates;
}
