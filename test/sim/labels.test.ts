/**
 * Figures whose plain reading must match what they measure: WAN bytes counted once, MFU over
 * online time vs the whole fleet, no ratio for an unfinished run, costs by what each site pays
 * for, and timeseries rows without artificial drops.
 */
import { describe, it, expect } from 'vitest';
import { simulate, type SimulationResult } from '../../src/sim/simulate';
import type { TimeseriesRow } from '../../src/sim/run';
import { formatSummary } from '../../src/report/text';
import { scenario, tree, dilocoTree, dpTree, homeSite, link, rel } from './fixtures';

describe('WAN traffic', () => {
  it('counts each byte sent over the WAN once; the access-link class counts it on both ends', () => {
    // Two home sites, no region matrix: every inter-site transfer crosses exactly one uplink
    // and one downlink (both class wan-access), so the class total is exactly twice the traffic.
    const r = simulate(scenario(tree())).run;
    expect(r.wanBytesSent).toBeGreaterThan(0);
    expect(rel(r.bytesByLinkClass['wan-access'], 2 * r.wanBytesSent)).toBeLessThan(1e-12);
    // A single-site synchronous run sends nothing over the WAN.
    expect(simulate(scenario(dpTree(false))).run.wanBytesSent).toBe(0);
  });
});

describe('MFU', () => {
  it('over online GPU time and over the whole fleet, which churn separates', () => {
    const calm = simulate(scenario(dilocoTree(false))).run;
    // Nobody is ever offline: both denominators are the same GPU-seconds.
    expect(rel(calm.mfuFleet, calm.mfu)).toBeLessThan(1e-12);
    const churn = simulate(scenario(dilocoTree(true))).run;
    // Same peak per GPU: the ratio is the online share of the fleet's time.
    const onlineShare = (churn.gpuHours * 3600) / (churn.gpus * churn.timeToTrainS);
    expect(onlineShare).toBeLessThan(0.95);
    expect(rel(churn.mfuFleet, churn.mfu * onlineShare)).toBeLessThan(1e-9);
    expect(formatSummary(simulate(scenario(dilocoTree(true))))).toMatch(/MFU, whole fleet/);
  });
});

describe('an unfinished run', () => {
  it('gets no time ratio, and the summary says how far it got', () => {
    const t = dilocoTree(false);
    t.baseline = (dpTree(false) as Record<string, unknown>).system;
    (t.system as Record<string, unknown>).engine = { maxTime: '60 s' };
    const res = simulate(scenario(t));
    expect(res.run.finished).toBe(false);
    expect(res.run.progress).toBeGreaterThan(0);
    expect(res.run.progress).toBeLessThan(1);
    expect(res.comparison?.bothFinished).toBe(false);
    expect(res.comparison?.timeToTrainRatio).toBeUndefined();
    expect(res.comparison?.costRatio).toBeUndefined();
    expect(res.comparison?.note).toMatch(/did not finish: \d+\.\d % of the tokens/);
    const text = formatSummary(res);
    expect(text).not.toMatch(/× the time/);
    expect(text).toMatch(/not finished: \d+\.\d% of the tokens/);
  });
});

describe('cost model', () => {
  it('rented GPUs pay the rental price only; owned GPUs pay depreciation, hosting and electricity', () => {
    // Rented (hyperscaler kind): cost = GPU-hours × rental price, power inside it.
    const rented = simulate(scenario(dpTree(false, '1000000 h'))).run;
    expect(rented.cost.electricityUsd).toBe(0);
    expect(rented.cost.depreciationUsd).toBe(0);
    expect(rented.cost.rentalUsd).toBeGreaterThan(0);
    expect(rel(rented.costUsd, rented.cost.rentalUsd)).toBeLessThan(1e-12);
    expect(rented.energyJ).toBeGreaterThan(0);
    // Owned (home kind, explicit prices): depreciation = GPU-s × price / life; hosting = GPU-s ×
    // wall power × colocation rate; electricity = energy × tariff.
    const t = tree();
    const sys = t.system as Record<string, any>;
    sys.sites = [0, 1].map((i) => ({
      ...homeSite(`h${i}`, link('1 Gbit/s', '10 ms')), hosting: '100 USD/kW/month', depreciation: '1000 h', electricity: '0.2 USD/kWh',
      nodes: [{ gpu: 'h100-sxm', count: 1, gpusPerNode: 1, price: '36000 USD' }],
    }));
    const s = scenario(t);
    const r = simulate(s).run;
    const onlineS = r.gpuHours * 3600;
    expect(r.cost.rentalUsd).toBe(0);
    expect(rel(r.cost.depreciationUsd, onlineS * 36000 / (1000 * 3600))).toBeLessThan(1e-9);
    const wallW = s.run.topology.sites[0].nodes[0].gpu.tdpW * s.run.topology.sites[0].cost.wallPerTdp;
    const perWS = 100 / (1000 * (365.25 / 12) * 86400);
    expect(rel(r.cost.hostingUsd, onlineS * wallW * perWS)).toBeLessThan(1e-6);
    expect(rel(r.cost.electricityUsd, r.energyJ * 0.2 / 3.6e6)).toBeLessThan(1e-9);
    expect(rel(r.costUsd, r.cost.depreciationUsd + r.cost.hostingUsd + r.cost.electricityUsd)).toBeLessThan(1e-12);
  });
});

describe('timeseries rows', () => {
  function rows(t: unknown, interval = '0 s'): { res: SimulationResult; rows: TimeseriesRow[] } {
    const out: TimeseriesRow[] = [];
    const tt = structuredClone(t) as Record<string, unknown>;
    tt.output = { timeseriesInterval: interval };
    const res = simulate(scenario(tt), { onRow: (r) => out.push(r) });
    return { res, rows: out };
  }

  it('training rows carry the rate of their period: no zeros on fast-forward, first or end rows', () => {
    const { res, rows: rs } = rows(dilocoTree(false));
    const training = rs.filter((r) => r.event !== 'waiting' && !r.event.startsWith('restart'));
    expect(rs.some((r) => r.event === 'fast-forward')).toBe(true);
    for (const r of training) {
      expect(r.periodS, `${r.event} at ${r.timeS}`).toBeGreaterThan(0);
      expect(r.throughputTokensPerS, `${r.event} at ${r.timeS}`).toBeGreaterThan(0);
    }
    // Steady state: every row after the first rounds shows the same rate, the run's mean rate.
    const last = rs[rs.length - 1];
    expect(last.event).toBe('end');
    expect(rel(last.throughputTokensPerS, res.run.throughputTokensPerS)).toBeLessThan(0.05);
  });

  it('restart rows name their cause once', () => {
    const { rows: rs } = rows(dpTree(true));
    const restarts = rs.filter((r) => r.event.startsWith('restart'));
    expect(restarts.length).toBeGreaterThan(0);
    for (const r of restarts) {
      expect(r.event).toBe('restart-after-failure');
      expect(r.throughputTokensPerS).toBe(0);
    }
  });
});

describe('runs that would not end', () => {
  it('stop at the event limit and say so, never a ratio', () => {
    // A node failing every millisecond of a 30-day limit would need billions of events.
    const t = dpTree(true, '1 ms');
    (t.system as Record<string, any>).engine = { maxTime: '30 days', maxEvents: 100000 };
    t.baseline = (dpTree(false) as Record<string, unknown>).system;
    const res = simulate(scenario(t));
    expect(res.run.finished).toBe(false);
    expect(res.run.stopReason).toBe('event-limit');
    expect(res.run.simulator.events).toBeLessThanOrEqual(100000);
    expect(res.baseline!.stopReason).toBe('finished');
    expect(res.comparison!.bothFinished).toBe(false);
    expect(res.comparison!.note).toMatch(/event limit of \d+ reached/);
    expect(formatSummary(res)).toMatch(/stopped at engine\.maxEvents/);
  });

  it('are rejected at load when a rate or mean time is zero, naming the field', () => {
    const zero = (mutate: (sys: Record<string, any>) => void, path: RegExp) => {
      const t = dpTree(true);
      mutate(t.system as Record<string, any>);
      expect(() => scenario(t)).toThrow(path);
    };
    zero((s) => { s.sites[0].nodes[0].mtbf = '0 s'; }, /system\.sites\[0\]\.nodes\[0\]\.mtbf: expected a positive quantity, got "0 s"/);
    zero((s) => { s.faults.churn = { meanOnline: '0 h' }; }, /system\.faults\.churn\.meanOnline: expected a positive quantity/);
    zero((s) => { s.faults.checkpoint = { interval: '0 s' }; }, /system\.faults\.checkpoint\.interval/);
    zero((s) => { s.sites[0].wan = { up: '0 Gbit/s', down: '1 Gbit/s', latency: '1 ms' }; }, /system\.sites\[0\]\.wan\.up: expected a positive quantity/);
    const tiny = dpTree(false);
    tiny.training = { tokens: 1e9, batchTokens: 1 };
    expect(() => scenario(tiny)).toThrow(/training\.batchTokens: expected at least one sequence per step \(1024 tokens\), got 1/);
  });
});
