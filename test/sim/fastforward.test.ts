import { describe, it, expect } from 'vitest';
import { simulate } from '../../src/sim/simulate';
import { scenario, dpTree, dilocoTree, rel, tree, link } from './fixtures';

/**
 * Fast-forward replaces runs of identical periods (and identical inner steps) by one timeout
 * and k × the period's account. It must not change the answer: compare against simulating
 * every step (`fastForward: false`), which these small cases allow (≤ 0.5 s each).
 */
function both(t: unknown, seed?: number) {
  const s = scenario(t);
  const ff = simulate(s, { fastForward: true, seed }).run;
  const full = simulate(s, { fastForward: false, seed }).run;
  expect(ff.finished).toBe(true);
  expect(full.finished).toBe(true);
  // Fast-forward really skipped work (otherwise the comparison proves nothing).
  expect(ff.simulator.events * 10).toBeLessThan(full.simulator.events);
  return { ff, full };
}

describe('fast-forward = step by step', () => {
  it('data parallel, faults off: time and tokens within 0.5 % (in fact to round-off)', () => {
    // ≈ 2 400 identical steps (bucketed all-reduce overlapping backward); every step is the same,
    // so T = steps × step either way.
    const { ff, full } = both(dpTree(false));
    expect(rel(ff.timeToTrainS, full.timeToTrainS)).toBeLessThan(0.005);
    expect(rel(ff.timeToTrainS, full.timeToTrainS)).toBeLessThan(1e-9);
    expect(ff.tokensTrained).toBe(full.tokensTrained);
    expect(rel(ff.breakdown.communicationS, full.breakdown.communicationS)).toBeLessThan(1e-6);
    expect(rel(ff.bytesByLinkClass.nic, full.bytesByLinkClass.nic)).toBeLessThan(1e-9);
  });

  it('DiLoCo, faults off: time and tokens within 0.5 %', () => {
    // Inner steps fast-forwarded inside each round, whole rounds fast-forwarded by the run.
    const { ff, full } = both(dilocoTree(false));
    expect(rel(ff.timeToTrainS, full.timeToTrainS)).toBeLessThan(0.005);
    expect(rel(ff.timeToTrainS, full.timeToTrainS)).toBeLessThan(1e-9);
    expect(ff.tokensTrained).toBe(full.tokensTrained);
    expect(rel(ff.bytesByLinkClass['wan-access'], full.bytesByLinkClass['wan-access'])).toBeLessThan(1e-9);
  });

  it('data parallel with failures and checkpoint-restart: same failures, same time', () => {
    // Failures come from per-node random streams, independent of the trainer, so both runs see
    // the same failure times; a fast-forwarded block is cut by a failure and credits the whole
    // periods done before it, cut by a repaired node's return (re-plan with it), and capped at
    // the next checkpoint. Both runs must then agree (to round-off, across seeds).
    for (const seed of [1, 2, 3]) {
      const { ff, full } = both(dpTree(true), seed);
      expect(ff.events.failures).toBeGreaterThan(0);
      expect(ff.events).toEqual(full.events);
      expect(rel(ff.timeToTrainS, full.timeToTrainS)).toBeLessThan(0.005);
      expect(rel(ff.timeToTrainS, full.timeToTrainS)).toBeLessThan(1e-6);
      expect(ff.tokensTrained).toBe(full.tokensTrained);
      expect(rel(ff.tokensLost, full.tokensLost)).toBeLessThan(1e-9);
      expect(rel(ff.breakdown.lostWorkS, full.breakdown.lostWorkS)).toBeLessThan(1e-6);
      expect(rel(ff.breakdown.restartS, full.breakdown.restartS)).toBeLessThan(1e-6);
    }
  });

  it('elastic DiLoCo with churn: within 0.5 %', () => {
    // Not exact: a joiner's model download contends with the outer sync when every round is
    // simulated, but not inside a fast-forwarded block (no flows there). That costs about one
    // round per join (≈ 2 s of ≈ 880 s here).
    const { ff, full } = both(dilocoTree(true));
    expect(ff.events.churn).toBeGreaterThan(0);
    // Memberships recur (three sites), so groups replay inner steps measured in earlier rounds.
    expect(ff.simulator.replayedGroupRounds).toBeGreaterThan(0);
    expect(full.simulator.replayedGroupRounds).toBe(0);
    expect(ff.events).toEqual(full.events);
    expect(rel(ff.timeToTrainS, full.timeToTrainS)).toBeLessThan(0.005);
    expect(rel(ff.tokensTrained, full.tokensTrained)).toBeLessThan(0.005);
  });
});

describe('replayed inner steps = measured inner steps', () => {
  it('DiLoCo over datacenters with node failures: a group whose plan is unchanged replays its steps, within 0.5 %', () => {
    // Four sites of three 2-GPU nodes on a switched fabric, a group per site. A node failure
    // changes its own group's plan (and, through the batch shares, every group's), and its repair
    // restores it: the groups' plans recur, and recurring ones replay the steps measured before
    // instead of simulating their all-reduces again.
    const t = tree({ training: { tokens: 3e9, batchTokens: 262144, microBatch: 4 } });
    const sys = t.system as Record<string, unknown>;
    sys.sites = ['a', 'b', 'c', 'd'].map((name) => ({
      name, kind: 'tier2', nodes: [{ gpu: 'h100-sxm', count: 3, gpusPerNode: 2, mtbf: '30 min' }], fabric: 'roce-400', wan: link('1 Gbit/s', '10 ms'),
    }));
    sys.faults = { failures: true, repair: '10 min' };
    for (const seed of [1, 2]) {
      const { ff, full } = both(t, seed);
      expect(ff.events.failures).toBeGreaterThan(2);
      expect(ff.events).toEqual(full.events);
      expect(ff.simulator.replayedGroupRounds).toBeGreaterThan(4);
      // The groups' outer syncs recur with their memberships, and are replayed too.
      expect(ff.simulator.replayedSyncs).toBeGreaterThan(0);
      expect(full.simulator.replayedSyncs).toBe(0);
      expect(rel(ff.timeToTrainS, full.timeToTrainS)).toBeLessThan(0.005);
      expect(rel(ff.tokensTrained, full.tokensTrained)).toBeLessThan(0.005);
      expect(rel(ff.breakdown.communicationS, full.breakdown.communicationS)).toBeLessThan(0.005);
      expect(rel(ff.bytesByLinkClass.fabric, full.bytesByLinkClass.fabric)).toBeLessThan(0.005);
    }
  });
});

describe('time limit (engine.maxTime)', () => {
  it('credits every period that ends before the limit, fast-forwarded or not (within 0.5 %)', () => {
    // DiLoCo over two sites stopped at half its natural time: a fast-forwarded block that would
    // run past the limit used to be dropped whole, under-reporting tokens and showing idle time.
    const t = dilocoTree(false);
    const natural = simulate(scenario(t), { fastForward: false }).run.timeToTrainS;
    (t.system as Record<string, unknown>).engine = { maxTime: `${(natural / 2).toFixed(3)} s` };
    const s = scenario(t);
    const ff = simulate(s, { fastForward: true }).run;
    const full = simulate(s, { fastForward: false }).run;
    expect(ff.finished).toBe(false);
    expect(full.finished).toBe(false);
    expect(ff.timeToTrainS).toBe(full.timeToTrainS);
    expect(full.tokensTrained).toBeGreaterThan(0.4 * s.training.tokens);
    expect(rel(ff.tokensTrained, full.tokensTrained)).toBeLessThan(0.005);
    expect(ff.breakdown.idleS / ff.timeToTrainS).toBeLessThan(0.01 + full.breakdown.idleS / full.timeToTrainS);
  });
});
