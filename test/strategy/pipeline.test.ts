import { describe, it, expect } from 'vitest';
import { pipelineReplica, stageSchedule, type StepEnv } from '../../src/strategy/step';
import type { GroupPlan, WorkerPlan } from '../../src/strategy/layout';
import { buildLayout } from '../../src/strategy/layout';
import { Acc } from '../../src/metrics/acc';
import { simulate } from '../../src/sim/simulate';
import { tree, rig, homeSite, link, rel, scenario } from '../sim/fixtures';

type Kind = '1f1b' | 'gpipe';

/** p one-GPU nodes on one site; `fabricLatency` is the one-way latency of a stage-to-stage hop. */
function pipeTree(p: number, schedule: Kind, fabricLatency = '0 s') {
  return tree({
    system: {
      sites: [{ ...homeSite('dc', link('1 Gbit/s', '1 ms'), p), fabricLatency }],
      strategy: { kind: 'pipeline', pipelineParallel: p, schedule },
      faults: { failures: false },
    },
  });
}

/**
 * Runs one replica of p uniform stages (forward tf, backward tb per micro-batch) over m
 * micro-batches with `activationBytes` per hop, and returns its makespan and account.
 */
function runReplica(p: number, m: number, tf: number, tb: number, schedule: Kind, opts: { latency?: string; activationBytes?: number } = {}) {
  const r = rig(pipeTree(p, schedule, opts.latency));
  const env: StepEnv = {
    engine: r.engine, platform: r.platform, strategy: { ...r.s.run.strategy, schedule }, ringMode: 'bulk',
    activationBytes: opts.activationBytes ?? 0,
  };
  const stages: WorkerPlan[] = Array.from({ length: p }, (_, s) => ({
    node: s, stage: s, mb: { forwardS: tf, backwardS: tb, tpCommS: 0, hardwareFlop: 0 },
  }));
  const g: GroupPlan = {
    index: 0, nodes: stages.map((w) => w.node), bySite: [stages.map((w) => w.node)], tokensPerStep: 0, members: [],
    replicas: [stages], microbatches: m, stageGradBytes: stages.map(() => 0), crossesWan: false, optimizerS: 0,
  };
  const acc = new Acc(p);
  let end = -1;
  pipelineReplica(env, r.comm, g, 0, acc).on(() => (end = r.engine.now));
  r.engine.run();
  expect(end).toBeGreaterThan(0);
  return { makespan: end, acc };
}

describe('stageSchedule', () => {
  it('every stage runs each micro-batch forward once, then backward once, in order', () => {
    for (const kind of ['1f1b', 'gpipe'] as const) {
      for (const [p, m] of [[4, 8], [4, 2], [1, 5], [6, 6]]) {
        for (let s = 0; s < p; s++) {
          const ops = stageSchedule(kind, s, p, m);
          expect(ops).toHaveLength(2 * m);
          expect(ops.filter((o) => o.kind === 'F').map((o) => o.mb)).toEqual([...Array(m).keys()]);
          expect(ops.filter((o) => o.kind === 'B').map((o) => o.mb)).toEqual([...Array(m).keys()]);
          for (let j = 0; j < m; j++) {
            expect(ops.findIndex((o) => o.kind === 'F' && o.mb === j)).toBeLessThan(ops.findIndex((o) => o.kind === 'B' && o.mb === j));
          }
        }
      }
    }
  });

  it('1F1B keeps at most p − s micro-batches in flight on stage s (GPipe keeps m)', () => {
    // The point of 1F1B (Narayanan et al. 2021): stage s warms up with p − s − 1 forwards, then
    // alternates, so its stored activations never exceed p − s; GPipe stores all m.
    const p = 4, m = 8;
    for (let s = 0; s < p; s++) {
      let live = 0, peak = 0;
      for (const o of stageSchedule('1f1b', s, p, m)) {
        live += o.kind === 'F' ? 1 : -1;
        peak = Math.max(peak, live);
      }
      expect(peak).toBe(p - s);
      let gp = 0;
      for (const o of stageSchedule('gpipe', s, p, m)) gp = Math.max(gp, o.kind === 'F' ? ++live : --live);
      expect(gp).toBe(m);
    }
  });
});

describe('pipeline bubble: makespan = (m + p − 1)(t_f + t_b) for uniform stages', () => {
  for (const kind of ['gpipe', '1f1b'] as const) {
    it(`${kind}: bubble fraction (p − 1)/(m + p − 1)`, () => {
      // Uniform stages and free communication: the first micro-batch needs (p − 1)·t_f to reach
      // the last stage, the last backward needs (p − 1)·t_b to drain back, and in between each
      // stage is busy m·(t_f + t_b). So makespan = (m + p − 1)(t_f + t_b) and stage 0 (busy from
      // t = 0 to the end) idles (p − 1)(t_f + t_b) of it: bubble fraction (p − 1)/(m + p − 1).
      // p = 4, m = 8, t_f = 1, t_b = 2: makespan 33 s, bubble 9 s = 3/11.
      for (const [p, m, tf, tb] of [[4, 8, 1, 2], [2, 1, 0.5, 1], [3, 12, 0.1, 0.25], [8, 4, 1, 1], [1, 3, 1, 2]]) {
        const { makespan, acc } = runReplica(p, m, tf, tb, kind);
        const expected = (m + p - 1) * (tf + tb);
        expect(rel(makespan, expected)).toBeLessThan(1e-12);
        const bubbleFraction = acc.bubble[0] / makespan;
        expect(bubbleFraction).toBeCloseTo((p - 1) / (m + p - 1), 12);
        // Every stage computes exactly m·(t_f + t_b).
        for (let s = 0; s < p; s++) expect(acc.compute[s]).toBeCloseTo(m * (tf + tb), 12);
      }
      const { makespan } = runReplica(4, 8, 1, 2, kind);
      expect(makespan).toBeCloseTo(33, 12);
    });
  }

  it('gpipe: each hop latency c adds 2(p − 1)·c', () => {
    // Every hop (forward activations p − 1 times on the way down, gradients p − 1 times on the way
    // back) is on the critical path once: (m + p − 1)(t_f + t_b) + 2(p − 1)·c.
    // p = 4, m = 8, t_f = 1, t_b = 2, c = 10 ms: 33 + 0.06 s.
    const { makespan } = runReplica(4, 8, 1, 2, 'gpipe', { latency: '10 ms', activationBytes: 1 });
    expect(makespan).toBeCloseTo(33.06, 9);
  });

  it('simulate: a pipeline scenario with near-uniform stages reproduces the closed form per step', () => {
    // 8 layers over p = 4 one-GPU nodes (2 layers per stage); a vocabulary of 8 makes the head on
    // the last stage negligible (its GEMMs are ~1e-5 of a stage's time), and a site without a
    // fabric has unlimited NICs and zero latency, so communication is free.
    // m = batch / micro-batch = 64 seqs / 2 = 32 micro-batches (dp = 1).
    // Step = (m + p − 1)(t_f + t_b) + t_opt; with S steps, T = S·step, compute = S·(m(t_f + t_b) + t_opt),
    // and every stage idles (bubble or waiting for the flush) (p − 1)(t_f + t_b) per step.
    const p = 4, m = 32, steps = 5;
    const t = pipeTree(p, '1f1b');
    t.model = { layers: 8, hidden: 512, heads: 8, vocab: 8, seqLength: 1024 };
    t.training = { tokens: steps * 64 * 1024, batchSequences: 64, microBatch: 2 };
    const s = scenario(t);
    const { platform } = rig(t);
    const layout = buildLayout({ platform, model: s.model, training: s.training, strategy: s.run.strategy }, [0, 1, 2, 3]);
    const g = layout.groups[0];
    expect(g.microbatches).toBe(m);
    const w0 = g.replicas[0][0].mb, last = g.replicas[0][p - 1].mb;
    const tf = w0.forwardS, tb = w0.backwardS;
    // Stages 0..p−2 are identical; the head makes the last one slower by ~0.1 %, which the
    // simulator rightly turns into the bottleneck: it works m·(t_f' + t_b') back to back after
    // the (p − 1)·t_f fill and before the (p − 1)·t_b drain. With t' = t this is the closed form.
    expect(g.replicas[0].every((w) => w.mb.forwardS === tf && w.mb.backwardS === tb || w.stage === p - 1)).toBe(true);
    expect(rel(last.forwardS + last.backwardS, tf + tb)).toBeLessThan(2e-3);
    const step = (p - 1) * (tf + tb) + m * (last.forwardS + last.backwardS) + g.optimizerS;
    const res = simulate(s).run;
    expect(res.finished).toBe(true);
    expect(rel(res.timeToTrainS, steps * step)).toBeLessThan(1e-9);
    expect(rel(res.timeToTrainS, steps * ((m + p - 1) * (tf + tb) + g.optimizerS))).toBeLessThan(2e-3);
    // Compute: each GPU's m micro-batches plus the optimizer (mean over the 4 GPUs).
    const meanWork = (3 * m * (tf + tb) + m * (last.forwardS + last.backwardS)) / p;
    expect(rel(res.breakdown.computeS, steps * (meanWork + g.optimizerS))).toBeLessThan(1e-9);
    expect(rel(res.breakdown.bubbleS + res.breakdown.idleS, steps * (step - g.optimizerS - meanWork))).toBeLessThan(1e-6);
    expect(res.breakdown.bubbleS).toBeGreaterThan(0);
    expect(res.breakdown.communicationS).toBe(0);
  });
});
