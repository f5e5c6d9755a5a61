/**
 * Dated changes, checked against closed forms: a link that degrades mid-transfer, a site outage
 * in a synchronous job, nodes added on a date, and the same runs fast-forwarded or not.
 */
import { describe, it, expect } from 'vitest';
import { Fleet } from '../../src/fleet/fleet';
import { installTimeline } from '../../src/timeline/driver';
import { simulate } from '../../src/sim/simulate';
import type { TimeseriesRow } from '../../src/sim/run';
import { ScenarioError } from '../../src/scenario/load';
import { rig, scenario, tree, dpTree, dilocoTree, homeSite, link, rel } from '../sim/fixtures';

const sys = (t: Record<string, unknown>) => t.system as Record<string, any>;

describe('a link change', () => {
  it('halving the capacity at t mid-transfer finishes at t + 2·(remaining at t)/B', () => {
    // Two home sites behind 1 Gbit/s access links (no TCP cap): one 1 GB transfer from a to b
    // runs at B = 125 MB/s, bottlenecked by a's uplink = b's downlink. At t = 3 s a's access
    // links drop to half: the remaining R = 1e9 − B·(3 − latency) bytes take 2R/B.
    const { s, engine, platform, net, comm } = rig(tree());
    const fleet = new Fleet(engine, platform.nodes.length);
    const t = 3;
    installTimeline(engine, platform, fleet, net, {
      failures: false, repairS: 0, churn: null,
      events: [{ atS: t, everyS: null, untilS: Infinity, label: 'a halves',
        change: { kind: 'link', sites: [0], pair: null, cls: null, bandwidthBytesPerS: null, factor: 0.5, latencyS: null } }],
    }, { leave: () => {}, rejoin: () => {}, changed: () => {} }, Infinity);
    const B = 1e9 / 8;
    const route = platform.route(0, 1);
    let end = -1;
    comm.send(0, 1, 1e9).on((ev) => { end = (ev.value as { endS: number }).endS; });
    engine.run();
    const remaining = 1e9 - B * (t - route.latencyS);
    expect(s.run.topology.sites[0].wan.uplinkBytesPerS).toBe(B);
    expect(rel(end, t + (2 * remaining) / B)).toBeLessThan(1e-12);
  });
});

describe('a site outage', () => {
  it('in a synchronous job triggers exactly one rollback and one restart, and the outage is its own account', () => {
    const t = dpTree(false);
    sys(t).timeline = [{ at: '10 min', outage: { site: 'dc', duration: '20 min' } }];
    const rows: TimeseriesRow[] = [];
    const r = simulate(scenario(t), { onRow: (x) => rows.push(x) }).run;
    const calm = simulate(scenario(dpTree(false))).run;
    expect(r.finished).toBe(true);
    expect(r.events.restarts).toBe(1);
    expect(r.events.outages).toBe(2); // two nodes went down
    expect(r.tokensLost).toBeGreaterThan(0);
    expect(rows.filter((x) => x.event === 'restart-after-outage')).toHaveLength(1);
    // The outage: 20 min on every GPU.
    expect(rel(r.breakdown.outageS, 1200)).toBeLessThan(1e-9);
    // It costs at least the outage, the restart (1 min) and the lost work.
    expect(r.timeToTrainS).toBeGreaterThan(calm.timeToTrainS + 1200 + 60);
  });
});

describe('nodes added on a date', () => {
  it('raise throughput from that day by the expected ratio', () => {
    // Synchronous data parallelism, one H100 node of 2 GPUs; on day d another identical node
    // joins the site: compute per step halves while communication is small, so the rate after
    // the join is the rate of the two-node system.
    const base = dpTree(false);
    base.training = { tokens: 6e10, batchTokens: 8388608, microBatch: 4 };
    sys(base).sites[0].nodes[0].count = 1;
    const two = structuredClone(base);
    sys(two).sites[0].nodes[0].count = 2;
    const added = structuredClone(base);
    sys(added).timeline = [{ at: '20 min', add: { site: 'dc', gpu: 'h100-sxm', count: 1, gpusPerNode: 2 } }];
    const out = (t: unknown) => {
      const rows: TimeseriesRow[] = [];
      const res = simulate(scenario({ ...(t as object), output: { timeseriesInterval: '0 s' } }), { onRow: (x) => rows.push(x) });
      return { r: res.run, rows };
    };
    const one = out(base), both = out(two), grow = out(added);
    const rate = (rows: TimeseriesRow[], from: number, to: number) =>
      rows.filter((x) => x.timeS > from && x.timeS < to && x.throughputTokensPerS > 0).map((x) => x.throughputTokensPerS);
    const before = rate(grow.rows, 0, 1200), after = rate(grow.rows, 1300, grow.r.timeToTrainS);
    const steady = (x: { rows: TimeseriesRow[]; r: { timeToTrainS: number } }) => rate(x.rows, 0, x.r.timeToTrainS).at(-1)!;
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(rel(before[before.length - 1], steady(one))).toBeLessThan(1e-9);
    expect(rel(after[after.length - 1], steady(both))).toBeLessThan(1e-9);
    expect(after[after.length - 1] / before[before.length - 1]).toBeGreaterThan(1.5);
    // Before it joined, the node was not part of the fleet: 20 min absent, not offline.
    expect(grow.r.breakdown.absentS * grow.r.gpus).toBeCloseTo(2 * 1200, 6);
    expect(grow.r.breakdown.offlineS).toBe(0);
  });
});

describe('checkpoints of a synchronous job', () => {
  it('are spaced for the nodes that train, not for nodes held in reserve for the economy', () => {
    // Young's interval sqrt(2 · write · MTTI) with MTTI over the job's nodes. Training ends before
    // the economy's first day, so its reserve nodes never join: the run must be the same whatever
    // the reserve (they used to count in the failure rate, shortening the interval).
    const t = (reserve: number) => {
      const x = dpTree(true);
      sys(x).sites = [{ name: 'dc', kind: 'tier2', nodes: [{ gpu: 'h100-sxm', count: 2, gpusPerNode: 2, mtbf: '40 min' }] }];
      (sys(x).faults as Record<string, unknown>).checkpoint = { write: '10 s' };
      return { ...x, economy: { preset: 'base', days: 5, reserve } };
    };
    const a = simulate(scenario(t(0))).run, b = simulate(scenario(t(8))).run;
    expect(a.timeToTrainS).toBeLessThan(86400);
    expect(a.breakdown.checkpointS).toBeGreaterThan(0);
    expect(b.timeToTrainS).toBe(a.timeToTrainS);
    expect(b.breakdown.checkpointS * b.gpus).toBeCloseTo(a.breakdown.checkpointS * a.gpus, 6);
  });
});

describe('fast-forward with timeline events', () => {
  it('agrees with step-by-step within 0.5 %', () => {
    const t = dilocoTree(false);
    sys(t).timeline = [
      { at: '2 min', link: { site: 'a', factor: 0.3 } },
      { at: '4 min', outage: { site: 'b', duration: '1 min' } },
      { at: '5 min', price: { electricity: 1.3 } },
    ];
    const s = scenario(t);
    const ff = simulate(s, { fastForward: true }).run, full = simulate(s, { fastForward: false }).run;
    expect(ff.finished && full.finished).toBe(true);
    expect(ff.events.timelineEvents).toBe(4); // three dated changes and the outage's end
    expect(rel(ff.timeToTrainS, full.timeToTrainS)).toBeLessThan(0.005);
    expect(rel(ff.tokensTrained, full.tokensTrained)).toBeLessThan(0.005);
    expect(ff.simulator.events * 3).toBeLessThan(full.simulator.events);
  });

  it('a price change applies from its date: cost = base rate × (before + factor × after)', () => {
    const t = dpTree(false);
    sys(t).timeline = [{ at: '10 min', price: { rental: 2 } }];
    const r = simulate(scenario(t)).run, base = simulate(scenario(dpTree(false))).run;
    // Prices do not change the training: no re-planning, the same run.
    expect(r.timeToTrainS).toBe(base.timeToTrainS);
    const T = r.timeToTrainS;
    expect(rel(r.cost.rentalUsd, base.cost.rentalUsd * (600 + 2 * (T - 600)) / T)).toBeLessThan(1e-9);
  });
});

describe('timeline errors name the field', () => {
  const bad = (events: unknown[], re: RegExp) => {
    const t = tree();
    sys(t).timeline = events;
    try {
      scenario(t);
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as Error).message).toMatch(re);
      return;
    }
    throw new Error('expected a ScenarioError');
  };
  it('unknown site, GPU, region; two changes in one event; bad units', () => {
    bad([{ at: '1 day', outage: { site: 'nowhere', duration: '1 h' } }], /system\.timeline\[0\]\.outage\.site: unknown site 'nowhere'; expected one of: a, b/);
    bad([{ at: '1 day', withhold: { gpu: 'h900' } }], /system\.timeline\[0\]\.withhold\.gpu: unknown GPU 'h900'/);
    bad([{ at: '1 day', link: { between: ['mars', 'venus'], factor: 0.5 } }], /system\.timeline\[0\]\.link\.between\[0\]: expected a region/);
    bad([{ at: '1 day', outage: { site: 'a', duration: '1 h' }, price: { rental: 2 } }], /system\.timeline\[0\]: expected exactly one of link, outage, add, remove, withhold, price, got outage and price/);
    bad([{ at: '1 day', link: { site: 'a', bandwidth: '10 GB' } }], /system\.timeline\[0\]\.link\.bandwidth: expected a data rate/);
    bad([{ at: '1 day', every: '1 s', add: { site: 'a', gpu: 'h100-sxm', count: 10 } }], /system\.timeline\[0\]\.add: expected at most 100000 added nodes/);
  });
});
