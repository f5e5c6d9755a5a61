import { describe, it, expect } from 'vitest';
import { simulate, type SimulationResult } from '../../src/sim/simulate';
import { simulateRun } from '../../src/sim/run';
import { loadCatalog } from '../../src/compute/catalog';
import type { RunSummary } from '../../src/result/summary';
import { scenario, tree, dpTree, dilocoTree, homeSite, link, rel, numbersIn } from './fixtures';

/** Cases cheap enough to run several times: every strategy and fault model. */
function cases(): [string, unknown][] {
  const pipe = tree({
    training: { tokens: 5e7, batchSequences: 64, microBatch: 2 },
    system: {
      sites: [{ ...homeSite('dc', link('1 Gbit/s', '1 ms'), 4), fabricLatency: '50 us' }],
      strategy: { kind: 'pipeline', pipelineParallel: 2 },
      faults: { failures: false },
    },
  });
  const streaming = dilocoTree(false);
  (streaming.system as Record<string, any>).strategy = { kind: 'diloco', innerSteps: 20, streaming: true };
  const withBaseline = dilocoTree(true);
  withBaseline.baseline = (dpTree(true) as Record<string, unknown>).system;
  return [
    ['data parallel', dpTree(false)],
    ['data parallel with failures', dpTree(true)],
    ['DiLoCo', dilocoTree(false)],
    ['elastic DiLoCo with churn', dilocoTree(true)],
    ['streaming DiLoCo', streaming],
    ['pipeline (2 stages × 2 replicas)', pipe],
    ['DiLoCo with churn vs a failing baseline', withBaseline],
  ];
}

function runs(r: SimulationResult): RunSummary[] {
  return r.baseline ? [r.run, r.baseline] : [r.run];
}

describe('determinism', () => {
  it('the same scenario and seed give byte-identical results', () => {
    for (const [name, t] of cases()) {
      const s = scenario(t);
      const a = JSON.stringify(simulate(s));
      const b = JSON.stringify(simulate(scenario(t)));
      expect(b, name).toBe(a);
    }
  });

  it('a different seed changes a run with churn (and only the random parts)', () => {
    const s = scenario(dilocoTree(true));
    const a = simulate(s).run, b = simulate(s, { seed: 12345 }).run;
    expect(JSON.stringify(b)).not.toBe(JSON.stringify(a));
    expect(b.timeToTrainS).not.toBe(a.timeToTrainS);
    // Without faults nothing is random: the seed must not matter.
    const calm = scenario(dilocoTree(false));
    expect(JSON.stringify(simulate(calm, { seed: 12345 }).run)).toBe(JSON.stringify(simulate(calm).run));
  });
});

describe('conservation', () => {
  it('breakdown parts sum to the time to train; busy + idle = online; tokens reach the budget; no NaN', () => {
    for (const [name, t] of cases()) {
      const s = scenario(t);
      const res = simulate(s);
      for (const r of runs(res)) {
        const b = r.breakdown;
        const T = r.timeToTrainS;
        // Each GPU's time splits into compute, exposed communication, bubble, idle, lost work,
        // restarts, checkpoints, repair and offline; the breakdown is the GPU-weighted mean, so it sums to T.
        const down = b.repairS + b.offlineS + b.outageS + b.absentS;
        const sum = b.computeS + b.communicationS + b.bubbleS + b.idleS + b.lostWorkS + b.restartS + b.checkpointS + down;
        expect(rel(sum, T), `${name}/${r.label}: parts ${JSON.stringify(b)} vs T ${T}`).toBeLessThan(1e-6);
        // Online time is what is not offline: the busy parts plus idle must fill it exactly
        // (idle is clamped at 0, so work counted twice would show here).
        const onlineMean = r.perSite.reduce((x, p) => x + p.onlineGpuS, 0) / r.gpus;
        const busyIdle = sum - down;
        expect(rel(busyIdle, onlineMean), `${name}/${r.label}: busy+idle ${busyIdle} vs online ${onlineMean}`).toBeLessThan(1e-6);
        expect(rel(onlineMean + down, T)).toBeLessThan(1e-6);
        const { communicationByScope: scope, ...parts } = b;
        for (const part of [...Object.values(parts), ...Object.values(scope)]) expect(part).toBeGreaterThanOrEqual(0);
        // Communication splits by the widest network crossed, exactly.
        expect(rel(scope.intraNodeS + scope.siteS + scope.wanS, b.communicationS) < 1e-9 || b.communicationS === 0).toBe(true);
        // Per-site breakdowns are the same accounts per site: GPU-weighted, they add up to the run's.
        for (const k of Object.keys(parts) as (keyof typeof parts)[]) {
          const bySite = r.perSite.reduce((x, p) => x + p.gpus * p.breakdown[k], 0) / r.gpus;
          expect(Math.abs(bySite - parts[k]), `${name}/${r.label}: ${k}`).toBeLessThanOrEqual(1e-9 * T);
        }
        expect(r.finished, `${name}/${r.label}`).toBe(true);
        expect(r.tokensTrained).toBeGreaterThanOrEqual(s.training.tokens);
        // Throughput is tokens / time, by definition.
        expect(rel(r.throughputTokensPerS, r.tokensTrained / T)).toBeLessThan(1e-12);
        expect(r.mfu).toBeGreaterThan(0);
        expect(r.mfu).toBeLessThan(1);
        // Per-site figures add up to the run's.
        expect(r.perSite.reduce((x, p) => x + p.gpus, 0)).toBe(r.gpus);
        expect(rel(r.perSite.reduce((x, p) => x + p.computeGpuS, 0) / r.gpus, b.computeS)).toBeLessThan(1e-9);
        expect(rel(r.perSite.reduce((x, p) => x + p.energyJ, 0), r.energyJ)).toBeLessThan(1e-9);
      }
      const { details: _d, ...written } = res;
      for (const [path, v] of numbersIn(written)) expect(Number.isFinite(v), `${name}: ${path} = ${v}`).toBe(true);
    }
  });

  it('with failures or churn, across seeds: no time is counted twice', () => {
    // Fault handling moves time between accounts (rolled-back work → lost work, waiting → restart; a
    // departed node's last round → lost work). A node must never be busy while it is offline:
    // busy + idle = online for every seed, whatever the failure pattern (restarts interrupted by
    // another failure, nodes back from repair during a restart, churn in the middle of a round).
    for (const t of [dpTree(true), dilocoTree(true)]) {
      const s = scenario(t);
      for (let seed = 1; seed <= 24; seed++) {
        const r = simulate(s, { seed }).run;
        const b = r.breakdown;
        const onlineMean = r.perSite.reduce((x, p) => x + p.onlineGpuS, 0) / r.gpus;
        const busyIdle = b.computeS + b.communicationS + b.bubbleS + b.idleS + b.lostWorkS + b.restartS + b.checkpointS;
        expect(rel(busyIdle, onlineMean), `seed ${seed}: ${JSON.stringify(b)}`).toBeLessThan(1e-6);
        expect(rel(busyIdle + b.repairS + b.offlineS, r.timeToTrainS)).toBeLessThan(1e-6);
        expect(r.finished, `seed ${seed}`).toBe(true);
      }
    }
  });

  it('the numbers walker does see NaN (guard against a vacuous check)', () => {
    expect(numbersIn({ a: [1, { b: NaN }] }).some(([, v]) => Number.isNaN(v))).toBe(true);
  });
});

describe('per-link bytes', () => {
  it('add up, class by class, to the bytes the run reports, fast-forwarded periods included', () => {
    for (const [name, t] of cases()) {
      const res = simulate(scenario(t));
      for (const [r, d] of [[res.run, res.details.run], [res.baseline, res.details.baseline]] as const) {
        if (!r || !d) continue;
        for (const [cls, bytes] of Object.entries(r.bytesByLinkClass)) {
          const sum = d.links.filter((l) => l.cls === cls).reduce((x, l) => x + l.bytes, 0);
          expect(Math.abs(sum - bytes), `${name}/${r.label}: ${cls}`).toBeLessThanOrEqual(1e-9 * Math.max(1, bytes));
        }
      }
    }
  });

  it('match what the network itself carried when every period is simulated', () => {
    // Without fast-forward every byte crosses the FlowNetwork: its per-link counters (which also
    // count the part of cancelled flows that moved) equal the run's per-link bytes for runs
    // where nothing is cancelled.
    const s = scenario(dilocoTree(false));
    let net: { bytesCarried: Float64Array } | null = null;
    const res = simulateRunWithNet(s, (n) => { net = n; });
    const carried = (net as unknown as { bytesCarried: Float64Array }).bytesCarried;
    for (const l of res.links) expect(Math.abs(l.bytes - carried[l.id]), l.name).toBeLessThanOrEqual(1e-9 * Math.max(1, l.bytes));
  });
});

function simulateRunWithNet(s: ReturnType<typeof scenario>, grab: (net: { bytesCarried: Float64Array }) => void) {
  return simulateRun(s, { ...s.run, engine: { ...s.run.engine, fastForward: false } }, {
    seed: s.seed, regions: loadCatalog().regions, attach: (rs) => grab(rs.net),
  });
}
