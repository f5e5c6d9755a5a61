import { describe, it, expect } from 'vitest';
import { maxMinRates } from '../../src/network/maxmin';
import { referenceMaxMin, relClose } from './reference';

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
  // Links 0 and 1 have capacities 1 and 10; links 2 and 3 are unlimited (capacity Infinity).
  // Flow A crosses 0 and 2, flow B crosses 1 and 3, neither has a bound. An unlimited link
  // never saturates, so A is limited by link 0 alone (rate 1) and B by link 1 alone (rate 10).
  // Before the fix, Infinity <= 1e-12 × Infinity made links 2 and 3 "saturated" from the first
  // filling step, so both flows froze at the first level: [1, 1].
  it('links of unlimited capacity never limit a flow', () => {
    const r = maxMinRates([1, 10, Infinity, Infinity], [{ links: [0, 2], bound: Infinity }, { links: [1, 3], bound: Infinity }]);
    expect([...r]).toEqual([1, 10]);
  });

  it('a flow over unlimited links only gets its bound, with no NaN anywhere', () => {
    const r = maxMinRates([Infinity, Infinity, 4], [flow([0, 1], 3), flow([0]), flow([1, 2]), flow([2], 1)]);
    expect([...r]).toEqual([3, Infinity, 3, 1]);
  });

  it('equals an independent bottleneck solver on 2,000 random instances', () => {
    let seed = 99;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let compared = 0;
    for (let inst = 0; inst < 2000; inst++) {
      const L = 1 + Math.floor(rnd() * 12);
      const cap = Array.from({ length: L }, () => {
        const u = rnd();
        return u < 0.1 ? Infinity : u < 0.15 ? 0 : u < 0.3 ? 5 : 0.1 + 100 * rnd(); // ties, dead and unlimited links
      });
      const flows = Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => {
        const links = [...new Set(Array.from({ length: Math.floor(rnd() * 4) }, () => Math.floor(rnd() * L)))];
        const u = rnd();
        return flow(links, u < 0.6 ? Infinity : u < 0.7 ? 2 : 0.01 + 50 * rnd());
      });
      const got = maxMinRates(cap, flows);
      const want = referenceMaxMin(cap, flows);
      flows.forEach((_, i) => {
        if (!relClose(got[i], want[i], 1e-9)) expect({ inst, flow: i, got: got[i], want: want[i] }).toBe('equal');
      });
      compared += flows.length;
    }
    expect(compared).toBeGreaterThan(30000);
  });
});
