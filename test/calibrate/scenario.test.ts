/**
 * Profiles in scenarios, with the profile shipped in profiles/ (measured on the CI-class
 * machine with `dtsim calibrate`, see README, Calibration): how the curve is scaled, step
 * times against the measured GFLOP/s computed by hand, and errors for bad references.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioFromTree, ScenarioError } from '../../src/scenario/load';
import { simulate } from '../../src/sim/simulate';
import { microbatchTime, optimizerStepS } from '../../src/compute/time';
import { efficiencySourceOf, type GpuSpec } from '../../src/compute/gpu';
import { efficiencyAt } from '../../src/compute/efficiency';
import { getGpu } from '../../src/compute/catalog';
import { stackEfficiency } from '../../src/compute/stack';
import { flopRate, loadProfile } from '../../src/calibrate/profile';
import { paramCount } from '../../src/workload/model';
import { calibratedClasses, calibrationChart } from '../../src/report/html/transforms/calibration';
import type { RunSummaryJson } from '../../src/report/html/types';

const PROFILE = 'profiles/epyc-2vcpu.json';
const profile = loadProfile(PROFILE);

/** One home machine with one node class; the model and micro-batch the shipped profile timed (gpt3-xl, seq 256, micro-batch 1). */
function tree(gpu: unknown, extra: Record<string, unknown> = {}) {
  return {
    seed: 1,
    model: { preset: 'gpt3-xl', seqLength: 256 },
    training: { tokens: 256 * 8 * 4, batchTokens: 256 * 8, microBatch: 1, recompute: 'selective' },
    system: {
      sites: [{ name: 'box', kind: 'home', wan: { up: '1 Gbit/s', down: '1 Gbit/s', latency: '5 ms' }, nodes: [{ gpu, count: 1, gpusPerNode: 1 }] }],
      wan: { matrix: false },
      strategy: { kind: 'data-parallel' },
      faults: { failures: false },
    },
    ...extra,
  };
}

const node = (s: ReturnType<typeof scenarioFromTree>, i = 0): GpuSpec => s.run.topology.sites[0].nodes[i].gpu;

/** The custom GPU declared from the profile: hardware facts a profile does not measure. */
const CUSTOM = { id: 'epyc-webasm', profile: PROFILE, memory: '256 GB', memoryBandwidth: '40 GB/s', tdp: '200 W', intraNode: 'pcie4', mtbf: '50000 h' };

describe('a catalog GPU with a profile: the shape from the profile, the level from the catalog', () => {
  const s = scenarioFromTree(tree({ id: 'rtx-4090', profile: PROFILE }), 'test.yaml');
  const gpu = node(s);
  const catalog = getGpu('rtx-4090');
  const eInf = catalog.efficiency.points[catalog.efficiency.points.length - 1][1];
  const plateauFlop = profile.curve.points.find(([, e]) => e === 1)![0];

  it('scales every curve point by the GPU’s large-GEMM efficiency', () => {
    expect(eInf).toBeCloseTo(1.0412, 4);
    expect(gpu.efficiency.points).toHaveLength(profile.curve.points.length);
    gpu.efficiency.points.forEach(([f, e], i) => {
      expect(f).toBe(profile.curve.points[i][0]);
      expect(e).toBeCloseTo(profile.curve.points[i][1] * eInf, 5);
    });
    // At the profile's plateau the catalog level; elsewhere as measured relative to it.
    expect(efficiencyAt(gpu.efficiency, plateauFlop)).toBeCloseTo(eInf, 6);
    expect(gpu.peakFlopS).toEqual(catalog.peakFlopS);
  });

  it('is a GPU type of its own, marked as measured; the stack factor follows the base id', () => {
    expect(gpu.id).toBe(`rtx-4090@${profile.name}`);
    expect(efficiencySourceOf(gpu)).toBe(`profile ${PROFILE}`);
    expect(gpu.efficiencyProfile).toMatchObject({ file: PROFILE, backend: profile.backend, date: profile.date });
    expect(efficiencySourceOf(catalog)).toBe('default');
    expect(stackEfficiency('h100-sxm@x')).toBe(stackEfficiency('h100-sxm'));
  });

  it('takes plateau: from the scenario when given', () => {
    const g = node(scenarioFromTree(tree({ id: 'rtx-4090', profile: PROFILE, plateau: 0.7 }), 'test.yaml'));
    expect(efficiencyAt(g.efficiency, plateauFlop)).toBeCloseTo(0.7, 6);
  });

  it('mixes with default node classes', () => {
    const t = tree('rtx-4090') as any;
    t.system.sites[0].nodes.push({ gpu: { id: 'rtx-4090', profile: PROFILE }, count: 1, gpusPerNode: 1 });
    const s2 = scenarioFromTree(t, 'test.yaml');
    expect([node(s2, 0), node(s2, 1)].map(efficiencySourceOf)).toEqual(['default', `profile ${PROFILE}`]);
    // The run summary names each GPU type's source.
    const tiny = scenarioFromTree({ ...t, model: { preset: 'gpt3-xl', seqLength: 256, layers: 2 }, training: { ...t.training, tokens: 256 * 8 } }, 'test.yaml');
    expect(simulate(tiny).run.efficiencySources).toEqual({ 'rtx-4090': 'default', [`rtx-4090@${profile.name}`]: `profile ${PROFILE}` });
  });
});

describe('a custom GPU declared from the profile runs at the measured GFLOP/s', () => {
  const s = scenarioFromTree(tree('epyc-webasm', { gpus: [CUSTOM] }), 'test.yaml');
  const gpu = node(s);
  const plateau = flopRate(profile.plateau);
  const peak = profile.peak.fp32 ? flopRate(profile.peak.fp32) : plateau;

  const own = profile.measurements.filter((x) => x.backend === profile.backend && x.threads === profile.threads && x.kernel !== 'naive');
  /** Measured FLOP/s of the profile's backend at a GEMM size, by hand: the mean of the medians of the shapes timed at that FLOP. */
  const measuredAt = (flop: number): number => {
    const same = own.filter((x) => x.flop === flop);
    if (same.length === 0) throw new Error(`the profile did not time a GEMM of ${flop} FLOP`);
    return (same.reduce((s, x) => s + x.gflops, 0) / same.length) * 1e9;
  };
  const measured = (m: number, n: number, k: number) => measuredAt(2 * m * n * k);
  const largest = Math.max(...own.map((x) => x.flop));
  const plateauFlop = profile.curve.points.find(([, e]) => e === 1)![0];

  it('takes its peak and efficiency from the profile', () => {
    expect(gpu.peakFlopS.fp32).toBeCloseTo(peak, 0);
    expect(gpu.peakFlopS.bf16).toBeCloseTo(peak, 0);
    expect(efficiencyAt(gpu.efficiency, plateauFlop) * gpu.peakFlopS.bf16 / plateau).toBeCloseTo(1, 6);
    expect(gpu.efficiencyProfile?.backend).toBe(profile.backend);
  });

  it('each layer GEMM the profile timed runs at its measured GFLOP/s', () => {
    // The layer GEMMs lie at or past the plateau's size, where the curve holds the measured
    // medians as they are (below it they are fitted non-decreasing).
    const layer = own.filter((x) => x.label !== 'square');
    expect(layer.length).toBe(6);
    for (const m of layer) {
      expect(m.flop).toBeGreaterThanOrEqual(plateauFlop);
      const simulated = gpu.peakFlopS.bf16 * efficiencyAt(gpu.efficiency, m.flop);
      expect(simulated / measuredAt(m.flop)).toBeCloseTo(1, 5);
    }
  });

  it('micro-batch and step times match the hand computation from measured GFLOP/s', () => {
    const model = s.model;
    const T = 256; // micro-batch 1 × seq 256
    const h = model.hidden, heads = model.heads, d = h / heads, V = model.vocab, L = model.layers;
    const stack = 0.8; // src/compute/stack.ts default for a GPU without a fitted family
    // Forward GEMMs of one layer: count × FLOP ÷ measured FLOP/s.
    const qkv = (2 * T * 3 * h * h) / measured(T, 3 * h, h);
    const scores = heads * (2 * T * T * d) / measured(T, T, d);
    const values = heads * (2 * T * d * T) / measured(T, d, T);
    const attnOut = (2 * T * h * h) / measured(T, h, h);
    const ffnUp = (2 * T * 4 * h * h) / measured(T, 4 * h, h);
    const ffnDown = (2 * T * h * 4 * h) / measured(T, h, 4 * h);
    const gemms = qkv + scores + values + attnOut + ffnUp + ffnDown;
    const elementwise = (2 * 34 * h * T) / (40e9 * 0.9); // Korthikanti bytes at 90 % of memory bandwidth
    const kernel = (gemms + elementwise) / stack;
    const head = (2 * T * V * h) / measuredAt(largest) / stack; // 52.7 GFLOP: beyond the largest size timed, which then holds
    const forward = L * kernel + head;
    const backward = L * (2 * kernel + (scores + values) / stack) + 2 * head; // selective recomputation redoes the attention GEMMs

    const mb = microbatchTime(model, s.training, gpu, { bandwidthBytesPerS: 1e12, latencyS: 0 }, 1, { layers: L, head: true }, 1);
    expect(mb.forwardS / forward).toBeCloseTo(1, 6);
    expect(mb.backwardS / backward).toBeCloseTo(1, 6);

    // The whole run: 4 steps of 8 micro-batches plus the optimizer, nothing else on one GPU.
    const optimizer = optimizerStepS(paramCount(model), gpu, s.training);
    const step = 8 * (forward + backward) + optimizer;
    const r = simulate(s).run;
    expect(r.tokensTrained).toBe(256 * 8 * 4);
    expect(r.efficiencySources).toEqual({ 'epyc-webasm': `profile ${PROFILE}` });
    expect(r.breakdown.computeS / (4 * step)).toBeCloseTo(1, 3);
    expect(r.timeToTrainS / (4 * step)).toBeCloseTo(1, 2);
    // A step of gpt3-xl at this size takes minutes at a few GFLOP/s.
    expect(step).toBeGreaterThan(60);
  });

  it('the summary carries the curve the run used, and the report draws it against the peak', () => {
    const r = simulate(s).run;
    expect(r.calibration).toHaveLength(1);
    const c = r.calibration![0];
    expect(c.gpu).toBe('epyc-webasm');
    expect(c.profile).toMatchObject({ file: PROFILE, name: profile.name, backend: profile.backend });
    expect(c.peakFlopS).toBe(gpu.peakFlopS.bf16);
    expect(c.curve).toEqual(gpu.efficiency.points);
    const chart = calibrationChart(calibratedClasses([r as unknown as RunSummaryJson]))!;
    expect(chart.refLines).toEqual([{ y: gpu.peakFlopS.bf16 / 1e12, label: expect.stringContaining('epyc-webasm peak') }]);
    // At the layer GEMMs the chart reads the measured GFLOP/s (to the table's rounding).
    const layer = own.filter((x) => x.label !== 'square');
    for (const m of layer) {
      const [, y] = chart.series[0].points.find(([n]) => Math.abs(n - Math.cbrt(m.flop / 2)) < 1e-9)!;
      expect((y * 1e12) / measuredAt(m.flop)).toBeCloseTo(1, 5);
    }
    // A run on default curves has no calibration section.
    expect(simulate(scenarioFromTree(tree('rtx-4090'), 'test.yaml')).run.calibration).toBeUndefined();
    expect(calibrationChart([])).toBeNull();
  });

  it('can be declared inline as a node’s gpu too', () => {
    const g = node(scenarioFromTree(tree(CUSTOM), 'test.yaml'));
    expect(g.id).toBe('epyc-webasm');
    expect(g.efficiency.points).toEqual(gpu.efficiency.points);
  });
});

describe('bad references: one line naming the scenario, the field and the profile file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtsim-scn-'));
  const error = (gpu: unknown, extra: Record<string, unknown> = {}): string => {
    try {
      scenarioFromTree(tree(gpu, extra), 'x.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      return (e as Error).message;
    }
    throw new Error('no error');
  };

  it('a missing or bad profile file', () => {
    expect(error({ id: 'rtx-4090', profile: 'profiles/none.json' })).toMatch(/^x\.yaml: system\.sites\[0\]\.nodes\[0\]\.gpu: profiles\/none\.json: cannot read profile \(ENOENT\)$/);
    const bad = structuredClone(profile) as any;
    bad.curve.points = [[1e6, 0.5], [1e7, 0.3], [1e8, 1]];
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const msg = error({ id: 'rtx-4090', profile: file });
    expect(msg.split('\n')).toHaveLength(1);
    expect(msg).toContain(`x.yaml: system.sites[0].nodes[0].gpu: ${file}: curve.points[1]: efficiency must not decrease below the plateau`);
  });

  it('an unknown GPU, a bad plateau, efficiency and profile together', () => {
    expect(error({ id: 'rtx-9090', profile: PROFILE })).toMatch(/^x\.yaml: system\.sites\[0\]\.nodes\[0\]\.gpu: id: unknown GPU 'rtx-9090'/);
    expect(error({ id: 'rtx-4090', profile: PROFILE, plateau: 5 })).toMatch(/nodes\[0\]\.gpu: plateau: expected the large-GEMM efficiency as a fraction/);
    expect(error('epyc-webasm', { gpus: [{ ...CUSTOM, efficiency: 'geforce-ada' }] })).toMatch(/^x\.yaml: gpus\[0\]: give either efficiency or profile, not both$/m);
    expect(error('epyc-webasm', { gpus: [{ ...CUSTOM, memory: '24 GW' }] })).toMatch(/gpus\[0\][\s\S]*memory/);
  });
});
