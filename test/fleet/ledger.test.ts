import { describe, it, expect } from 'vitest';
import { periodsEndingIn, WorkLedger } from '../../src/fleet/ledger';
import { simulateRun, type RunState } from '../../src/sim/run';
import { loadCatalog } from '../../src/compute/catalog';
import { scenario, dpTree, dilocoTree, rel } from '../sim/fixtures';

describe('periodsEndingIn', () => {
  it('counts the periods ending in a half-open interval', () => {
    // Ends at 1, 3, 5, 7, 9 (first 1, period 2, k 5).
    expect(periodsEndingIn(1, 2, 5, 0, 10)).toBe(5);
    expect(periodsEndingIn(1, 2, 5, 1, 3)).toBe(1); // 1 in, 3 out
    expect(periodsEndingIn(1, 2, 5, 3.5, 7)).toBe(1); // 5
    expect(periodsEndingIn(1, 2, 5, 9, 100)).toBe(1);
    expect(periodsEndingIn(1, 2, 5, 9.5, 100)).toBe(0);
    // Brute force against the definition.
    for (let t = 0; t < 200; t++) {
      const first = (t * 0.37) % 3, p = 0.5 + (t % 7) * 0.3, k = 1 + (t % 11), from = (t * 0.91) % 5, to = from + (t % 13) * 0.7;
      let n = 0;
      for (let i = 0; i < k; i++) { const e = first + i * p; if (e >= from && e < to) n++; }
      expect(periodsEndingIn(first, p, k, from, to), `case ${t}`).toBe(n);
    }
  });

  it('an open block counts only whole periods completed by the read', () => {
    const l = new WorkLedger(10, () => 2);
    l.openBlock(0, 3, 10, Float64Array.of(1, 2)); // ends at 3, 6, 9, 12, …
    expect([...l.binTokens(0, 7)]).toEqual([2, 4]); // 3 and 6 done by t = 7
    expect([...l.binTokens(0, 10)]).toEqual([3, 6]);
    expect([...l.binTokens(1, 13)]).toEqual([1, 2]);
    l.closeBlock();
    l.credit({ tokens: Float64Array.of(1, 2), firstEndS: 3, periodS: 3, k: 4 }, true);
    expect([...l.binTokens(1, 20)]).toEqual([1, 2]);
    l.rollback();
    expect([...l.binTokens(0, 20)]).toEqual([0, 0]);
  });
});

/** Runs a system with a ledger of `binS` bins; returns per-bin total tokens and the run. */
function ledgered(t: unknown, binS: number, fastForward: boolean) {
  const s = scenario(t);
  let state: RunState | null = null;
  const r = simulateRun(s, { ...s.run, engine: { ...s.run.engine, fastForward } }, {
    seed: s.seed, regions: loadCatalog().regions, ledgerBinS: binS, attach: (rs) => { state = rs; },
  });
  const rs = state as unknown as RunState;
  const bins: number[] = [];
  for (let b = 0; b * binS < r.timeS + binS; b++) bins.push(rs.ledger!.binTokens(b, r.timeS).reduce((a, x) => a + x, 0));
  return { r, bins };
}

describe('the work ledger of a run', () => {
  it('adds up to the tokens trained, fast-forwarded or not, and dates work alike (elastic DiLoCo with churn)', () => {
    const ff = ledgered(dilocoTree(true), 60, true), full = ledgered(dilocoTree(true), 60, false);
    for (const x of [ff, full]) expect(rel(x.bins.reduce((a, b) => a + b, 0), x.r.tokensDone)).toBeLessThan(1e-9);
    // Per minute, the two runs credit the same work up to the round in flight at a bin's edge.
    const round = full.r.tokensDone / full.bins.filter((b) => b > 0).length;
    for (let b = 0; b < Math.min(ff.bins.length, full.bins.length) - 1; b++) {
      expect(Math.abs(ff.bins[b] - full.bins[b]), `minute ${b}`).toBeLessThanOrEqual(2 * round);
    }
  });

  it('removes rolled-back work from the bins it was dated to (checkpoint-restart with failures)', () => {
    const x = ledgered(dpTree(true), 300, true);
    expect(x.r.events.restarts).toBeGreaterThan(0);
    expect(rel(x.bins.reduce((a, b) => a + b, 0), x.r.tokensDone)).toBeLessThan(1e-9);
    for (const b of x.bins) expect(b).toBeGreaterThanOrEqual(-1e-6);
  });
});
