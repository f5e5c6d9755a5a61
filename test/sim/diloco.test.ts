import { describe, it, expect } from 'vitest';
import { simulate } from '../../src/sim/simulate';
import type { TimeseriesRow } from '../../src/sim/run';
import { buildLayout } from '../../src/strategy/layout';
import { paramCount } from '../../src/workload/model';
import { tree, rig, scenario, rel } from './fixtures';

/**
 * Two DiLoCo groups, one single-GPU node per site, sites joined by 1 Gbit/s access links
 * (10 ms one way each, no backbone, no TCP window cap). Single-node groups have no inner
 * all-reduce, so an inner step is pure compute: t_step = forward + backward + optimizer.
 * The outer all-reduce of the fp32 pseudo-gradient (4 B/param, no compression) is a ring of
 * n = 2 across the WAN: t_ar = 2·(1/2)·S/B + 2·α = 4P/B + 2·0.02 s, B = 1.25e8 B/s.
 */
function setup(H: number, rounds: number, streaming: boolean) {
  const t = tree({ output: { timeseriesInterval: '0 s' } });
  const sys = t.system as Record<string, any>;
  sys.strategy = { kind: 'diloco', innerSteps: H, groups: 'site', streaming };
  // Each round trains H inner steps of the global batch: R rounds exactly reach the budget.
  (t.training as Record<string, unknown>).tokens = rounds * H * 262144;
  const s = scenario(t);
  const { platform } = rig(t);
  const layout = buildLayout({ platform, model: s.model, training: s.training, strategy: s.run.strategy }, [0, 1]);
  expect(layout.groups).toHaveLength(2);
  const g = layout.groups[0];
  const tStep = g.members[0].forwardS + g.members[0].backwardS + g.optimizerS;
  const tAr = (4 * paramCount(s.model)) / 1.25e8 + 2 * 0.02;
  return { s, tStep, tAr };
}

function runWithRows(s: ReturnType<typeof scenario>, fastForward?: boolean) {
  const rows: TimeseriesRow[] = [];
  const res = simulate(s, { fastForward, onRow: (r) => rows.push(r) });
  return { run: res.run, periods: rows.filter((r) => r.event === 'step' || r.event === 'fast-forward').map((r) => r.periodS) };
}

describe('DiLoCo round = H·t_step + t_allreduce (no overlap)', () => {
  for (const fastForward of [true, false]) {
    it(`utilization = compute / (compute + sync)${fastForward ? '' : ', step by step'}`, () => {
      // R = 6 rounds of H = 10: T = R·(H·t_step + t_ar); compute R·H·t_step; communication R·t_ar.
      // With P ≈ 45.4 M: t_ar ≈ 1.49 s, t_step ≈ 0.08 s, so utilization ≈ 0.35.
      const H = 10, R = 6;
      const { s, tStep, tAr } = setup(H, R, false);
      const { run, periods } = runWithRows(s, fastForward);
      expect(run.finished).toBe(true);
      expect(run.tokensTrained).toBe(R * H * 262144);
      expect(rel(run.timeToTrainS, R * (H * tStep + tAr))).toBeLessThan(1e-9);
      expect(rel(run.breakdown.computeS, R * H * tStep)).toBeLessThan(1e-9);
      expect(rel(run.breakdown.communicationS, R * tAr)).toBeLessThan(1e-9);
      const utilization = run.breakdown.computeS / run.timeToTrainS;
      expect(utilization).toBeCloseTo((H * tStep) / (H * tStep + tAr), 9);
      expect(utilization).toBeGreaterThan(0.2);
      expect(utilization).toBeLessThan(0.5);
      for (const p of periods) expect(rel(p, H * tStep + tAr)).toBeLessThan(1e-9);
      // The sync crosses each site's access link once per direction per round:
      // R rounds × 2 edges × S bytes, counted on both access links of each route.
      const S = 4 * paramCount(s.model);
      expect(rel(run.bytesByLinkClass['wan-access'], R * 2 * 2 * S)).toBeLessThan(1e-9);
    });
  }

  it('more inner steps raise utilization as H·t/(H·t + t_ar)', () => {
    const a = setup(5, 4, false), b = setup(50, 4, false);
    const ua = simulate(a.s).run, ub = simulate(b.s).run;
    const u = (r: typeof ua) => r.breakdown.computeS / r.timeToTrainS;
    expect(u(ua)).toBeCloseTo((5 * a.tStep) / (5 * a.tStep + a.tAr), 9);
    expect(u(ub)).toBeCloseTo((50 * b.tStep) / (50 * b.tStep + b.tAr), 9);
    expect(u(ub)).toBeGreaterThan(u(ua));
  });
});

describe('streaming DiLoCo overlaps the outer sync with the next inner phase', () => {
  it('hides the sync when it is shorter than the inner phase', () => {
    // H = 40: inner phase 40·t_step ≈ 3.3 s > t_ar ≈ 1.5 s. Round k's sync runs during round
    // k + 1's inner phase and is done before that phase ends, so every round lasts H·t_step and
    // nothing is exposed. The non-streaming run pays R·t_ar more.
    const H = 40, R = 5;
    const { s, tStep, tAr } = setup(H, R, true);
    expect(H * tStep).toBeGreaterThan(tAr);
    const { run, periods } = runWithRows(s);
    expect(run.finished).toBe(true);
    for (const p of periods) expect(rel(p, H * tStep)).toBeLessThan(1e-9);
    expect(run.breakdown.communicationS).toBeLessThan(1e-9 * run.timeToTrainS);
    // Training time: R inner phases; the last round's sync is at most one t_ar more.
    expect(run.timeToTrainS).toBeGreaterThanOrEqual(R * H * tStep * (1 - 1e-9));
    expect(run.timeToTrainS).toBeLessThanOrEqual(R * H * tStep + tAr + 1e-9);
    // Bytes: each sync moves 2 edges × S over two access links; the run counts the syncs that
    // completed inside it, R − 1 (the last round's sync is still in flight when the budget is
    // reached), the same whether periods are fast-forwarded or not.
    const S = 4 * paramCount(s.model);
    expect(rel(run.bytesByLinkClass['wan-access'], (R - 1) * 2 * 2 * S)).toBeLessThan(1e-9);
    const full = runWithRows(s, false).run;
    expect(rel(full.bytesByLinkClass['wan-access'], (R - 1) * 2 * 2 * S)).toBeLessThan(1e-9);
    expect(rel(full.timeToTrainS, run.timeToTrainS)).toBeLessThan(1e-9);
    const plain = simulate(setup(H, R, false).s).run;
    expect(rel(plain.timeToTrainS, R * (H * tStep + tAr))).toBeLessThan(1e-9);
    expect(plain.timeToTrainS - run.timeToTrainS).toBeGreaterThanOrEqual((R - 1) * tAr * (1 - 1e-9));
  });

  it('exposes only t_ar − H·t_step per round when the sync is longer', () => {
    // H = 10: inner phase ≈ 0.8 s < t_ar ≈ 1.5 s. From round 2 on, a round waits for the
    // previous round's sync, started at its beginning: each round lasts max(H·t_step, t_ar) = t_ar,
    // of which t_ar − H·t_step is exposed communication.
    const H = 10, R = 6;
    const { s, tStep, tAr } = setup(H, R, true);
    expect(H * tStep).toBeLessThan(tAr);
    const { run, periods } = runWithRows(s);
    // Rows: round 1, rounds 2 and 3 in detail, then the rest fast-forwarded as one block of t_ar periods.
    expect(periods.length).toBeGreaterThanOrEqual(3);
    expect(rel(periods[0], H * tStep)).toBeLessThan(1e-9);
    for (const p of periods.slice(1)) expect(rel(p, tAr)).toBeLessThan(1e-9);
    expect(rel(run.breakdown.communicationS, (R - 1) * (tAr - H * tStep))).toBeLessThan(1e-9);
    // Same answer simulated round by round.
    const full = runWithRows(s, false);
    expect(full.periods).toHaveLength(R);
    expect(rel(full.run.timeToTrainS, run.timeToTrainS)).toBeLessThan(1e-9);
  });
});
