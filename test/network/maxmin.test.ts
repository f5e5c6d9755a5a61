import { describe, it, expect } from 'vitest';
import { maxMinRates } from '../../src/network/maxmin';

const flow = (links: number[], bound = Infinity) => ({ links, bound });

describe('maxMinRates (progressive filling)', () => {
  it('N equal flows on one link each get C/N', () => {
    const r = maxMinRates([12], [flow([0]), flow([0]), flow([0])]);
    expect([...r]).toEqual([4, 4, 4]);
  });

  it('a flow bounded below its fair share leaves the rest to the others', () => {
    // C = 10, bounds (1, ∞, ∞): the bounded flow takes 1, the other two split 9.
    const r = maxMinRates([10], [flow([0], 1), flow([0]), flow([0])]);
    expect([...r]).toEqual([1, 4.5, 4.5]);
  });

  it('parking lot: the long flow crossing k links gets C/2', () => {
    // Links 0..2 of capacity 1; long flow crosses all; one short flow per link.
    const r = maxMinRates([1, 1, 1], [flow([0, 1, 2]), flow([0]), flow([1]), flow([2])]);
    expect([...r]).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('two bottlenecks: a flow limited elsewhere frees capacity', () => {
    // Link 0 (C=10) carries A and B; link 1 (C=2) carries B and C.
    // Link 1 saturates first at level 1: B = C = 1; then A fills link 0: A = 9.
    const r = maxMinRates([10, 2], [flow([0]), flow([0, 1]), flow([1])]);
    expect([...r]).toEqual([9, 1, 1]);
  });

  it('satisfies the max-min invariants on a random network', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const L = 30;
    const cap = Array.from({ length: L }, () => 1 + 99 * rnd());
    const flows = Array.from({ length: 200 }, () => {
      const k = 1 + Math.floor(rnd() * 4);
      const links = [...new Set(Array.from({ length: k }, () => Math.floor(rnd() * L)))];
      return flow(links, rnd() < 0.2 ? 0.5 + rnd() * 5 : Infinity);
    });
    const r = maxMinRates(cap, flows);
    const load = new Float64Array(L);
    flows.forEach((f, i) => f.links.forEach((l) => (load[l] += r[i])));
    for (let l = 0; l < L; l++) expect(load[l]).toBeLessThanOrEqual(cap[l] * (1 + 1e-9));
    // Every flow is at its bound, or crosses a saturated link on which it has the largest rate.
    flows.forEach((f, i) => {
      if (r[i] >= f.bound * (1 - 1e-9)) return;
      const bottleneck = f.links.some((l) => load[l] >= cap[l] * (1 - 1e-9) &&
        flows.every((g, j) => !g.links.includes(l) || r[j] <= r[i] * (1 + 1e-9)));
      expect(bottleneck).toBe(true);
    });
  });
});
