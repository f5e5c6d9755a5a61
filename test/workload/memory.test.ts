import { describe, it, expect } from 'vitest';
import {
  activationBytesPerLayer, memoryPerGpu, fitAdvice, checkpointBytes,
  type ParallelLayout, type FitOption,
} from '../../src/workload/memory';
import { paramCount, embeddingParams } from '../../src/workload/model';
import { getPreset } from '../../src/workload/presets';

const rel = (a: number, b: number) => Math.abs(a / b - 1);

const BASE: ParallelLayout = {
  tensorParallel: 1, pipelineParallel: 1, dataParallel: 8, zeroStage: 0, microBatchSeqs: 1,
  recompute: 'none', flashAttention: false, sequenceParallel: false, inflightMicrobatches: 1,
  weightBytesPerParam: 2, gradBytesPerParam: 2, optimizerBytesPerParam: 12,
};
const statesBytes = (x: { weightsBytes: number; gradientsBytes: number; optimizerBytes: number }) =>
  x.weightsBytes + x.gradientsBytes + x.optimizerBytes;

describe('activationBytesPerLayer = Korthikanti et al. 2022 closed forms for GPT', () => {
  const m = getPreset('megatron-18.4b'); // MHA, 4h GELU, dropout: the paper's own model family
  const s = m.seqLength;
  const h = m.hidden;
  const a = m.heads;
  const b = 2;
  const sbh = s * b * h;
  const off = { recompute: 'none' as const, flashAttention: false, sequenceParallel: false };

  it('no TP: s·b·h·(34 + 5as/h)', () => {
    expect(rel(activationBytesPerLayer(m, b, 1, off), sbh * (34 + (5 * a * s) / h))).toBeLessThan(1e-12);
  });
  it('TP t: s·b·h·(10 + 24/t + 5as/(ht)); with SP: s·b·h·(34/t + 5as/(ht))', () => {
    for (const t of [2, 4, 8]) {
      expect(rel(activationBytesPerLayer(m, b, t, off), sbh * (10 + 24 / t + (5 * a * s) / (h * t)))).toBeLessThan(1e-12);
      expect(rel(activationBytesPerLayer(m, b, t, { ...off, sequenceParallel: true }), sbh * (34 / t + (5 * a * s) / (h * t)))).toBeLessThan(1e-12);
    }
  });
  it('selective recompute and FlashAttention drop the s² term; full keeps 2sbh', () => {
    const t = 8;
    const noQuad = sbh * (10 + 24 / t);
    expect(rel(activationBytesPerLayer(m, b, t, { ...off, recompute: 'selective' }), noQuad)).toBeLessThan(1e-12);
    expect(rel(activationBytesPerLayer(m, b, t, { ...off, flashAttention: true }), noQuad)).toBeLessThan(1e-12);
    expect(activationBytesPerLayer(m, b, t, { ...off, recompute: 'full' })).toBe(2 * sbh);
    expect(activationBytesPerLayer(m, b, t, { ...off, recompute: 'full', sequenceParallel: true })).toBe((2 * sbh) / t);
  });
  it('GQA stores smaller K and V: 70B saves 4·s·b·h·(1 − kv/heads)/t against MHA', () => {
    const g = getPreset('llama2-70b');
    const opts = { ...off, flashAttention: true };
    const mha = { ...g, kvHeads: g.heads };
    const saved = activationBytesPerLayer(mha, 1, 8, opts) - activationBytesPerLayer(g, 1, 8, opts);
    expect(rel(saved, (4 * g.seqLength * g.hidden * (1 - 8 / 64)) / 8)).toBeLessThan(1e-12);
  });
});

describe('memoryPerGpu', () => {
  const m7 = getPreset('llama2-7b');

  it('no sharding, no TP/PP: 16 bytes/param of model states, so a 7B model does not fit 80 GB', () => {
    const r = memoryPerGpu(m7, BASE);
    expect(statesBytes(r)).toBe(16 * paramCount(m7));
    expect(r.weightsBytes).toBe(2 * paramCount(m7));
    expect(r.totalBytes).toBeGreaterThan(80e9);
    expect(r.totalBytes).toBe(statesBytes(r) + r.activationsBytes + r.workspaceBytes);
  });

  it('ZeRO stages divide the right terms by the shard group', () => {
    const r0 = memoryPerGpu(m7, BASE);
    const r1 = memoryPerGpu(m7, { ...BASE, zeroStage: 1 });
    const r2 = memoryPerGpu(m7, { ...BASE, zeroStage: 2 });
    const r3 = memoryPerGpu(m7, { ...BASE, zeroStage: 3 });
    expect(r1.weightsBytes).toBe(r0.weightsBytes);
    expect(r1.gradientsBytes).toBe(r0.gradientsBytes);
    expect(r1.optimizerBytes).toBe(r0.optimizerBytes / 8);
    expect(r2.gradientsBytes).toBe(r0.gradientsBytes / 8);
    expect(r2.weightsBytes).toBe(r0.weightsBytes);
    for (const N of [8, 64]) {
      const r = memoryPerGpu(m7, { ...BASE, zeroStage: 3, dataParallel: N });
      expect(statesBytes(r)).toBeCloseTo(statesBytes(r0) / N, 0);
      expect(r.weightsBytes).toBe(r0.weightsBytes / N);
    }
    expect(r3.activationsBytes).toBe(r0.activationsBytes);
    expect(r3.workspaceBytes).toBeGreaterThan(0); // FSDP gather buffers
    // hybrid FSDP: shard group overrides data parallel
    const hyb = memoryPerGpu(m7, { ...BASE, zeroStage: 3, dataParallel: 64, shardGroup: 8 });
    expect(hyb.optimizerBytes).toBe(r0.optimizerBytes / 8);
  });

  it('TP divides model states by ~t (norms replicated); PP puts ⌈l/p⌉ layers plus the embedding on stage 1', () => {
    const r0 = memoryPerGpu(m7, BASE);
    const r8 = memoryPerGpu(m7, { ...BASE, tensorParallel: 8 });
    expect(rel(r8.weightsBytes, r0.weightsBytes / 8)).toBeLessThan(0.001);
    const g = getPreset('megatron-145.6b');
    const p = 8;
    const first = memoryPerGpu(g, { ...BASE, pipelineParallel: p, inflightMicrobatches: p });
    const stageParams = (g.layers / p) * (12 * g.hidden ** 2 + 13 * g.hidden) + embeddingParams(g);
    expect(rel(first.weightsBytes, 2 * stageParams)).toBeLessThan(1e-12);
  });

  it('activations scale with in-flight microbatches and microbatch size', () => {
    const g = getPreset('megatron-39.1b');
    const L = { ...BASE, tensorParallel: 8, pipelineParallel: 2, recompute: 'full' as const };
    const a1 = memoryPerGpu(g, { ...L, inflightMicrobatches: 1 }).activationsBytes;
    const a2 = memoryPerGpu(g, { ...L, inflightMicrobatches: 2 }).activationsBytes;
    expect(a2).toBeGreaterThan(1.9 * a1);
    const none = memoryPerGpu(m7, BASE).activationsBytes;
    const twice = memoryPerGpu(m7, { ...BASE, microBatchSeqs: 2 }).activationsBytes;
    expect(rel(twice, 2 * none)).toBeLessThan(1e-12);
  });

  it('fp32 logits dominate the output stage for a 128k vocabulary', () => {
    const m = getPreset('llama3-8b');
    const r = memoryPerGpu(m, { ...BASE, recompute: 'full', zeroStage: 3 });
    expect(r.activationsBytes).toBeGreaterThan(4 * m.seqLength * m.vocab); // 4·s·b·V bytes ≈ 4.2 GB
  });

  it('INTELLECT-1 as run (FSDP over one 8×H100 node, micro-batch 1, checkpointing on) fits 80 GB [V config]', () => {
    const m = getPreset('intellect-1');
    const L = { ...BASE, zeroStage: 3 as const, recompute: 'full' as const, flashAttention: true };
    expect(memoryPerGpu(m, L).totalBytes).toBeLessThan(80e9);
  });
});

describe('fitAdvice: the search over candidate changes', () => {
  // The configuration is a ParallelLayout here; in dtsim it is the scenario's strategy and
  // training, checked by checkLayout (test/strategy/advice.test.ts).
  const m = getPreset('llama2-7b');
  const opt = (sets: string, f: (l: ParallelLayout) => ParallelLayout): FitOption<ParallelLayout> => ({ sets: [sets], apply: f });
  const zero = [1, 2, 3].map((z) => opt(`zero=${z}`, (l) => ({ ...l, zeroStage: z as 1 | 2 | 3 })));
  const tp = [2, 4, 8].map((t) => opt(`tp=${t}`, (l) => ({ ...l, tensorParallel: t, sequenceParallel: true })));
  const rc = [opt('recompute=selective', (l) => ({ ...l, recompute: 'selective' })), opt('recompute=full', (l) => ({ ...l, recompute: 'full' }))];
  const checker = (cap: number) => {
    let calls = 0;
    const check = (l: ParallelLayout) => {
      calls++;
      const needBytes = memoryPerGpu(m, l).totalBytes;
      return { needBytes, fits: needBytes <= cap };
    };
    return { check, calls: () => calls };
  };

  it('offers the mildest fitting option of each category, with the need its check computed', () => {
    const { check } = checker(80e9);
    const r = fitAdvice(BASE, [zero, tp, rc], check);
    expect(r.fits.map((a) => a.sets.join(' + '))).toEqual(['zero=2', 'tp=4']);
    for (const a of r.fits) {
      expect(a.check.needBytes).toBe(memoryPerGpu(m, a.config).totalBytes);
      expect(a.check.needBytes).toBeLessThanOrEqual(80e9);
    }
    // The milder options do not fit, which is why these are offered; recompute alone never fits.
    expect(memoryPerGpu(m, { ...BASE, zeroStage: 1 }).totalBytes).toBeGreaterThan(80e9);
    expect(memoryPerGpu(m, { ...BASE, tensorParallel: 2, sequenceParallel: true }).totalBytes).toBeGreaterThan(80e9);
    expect(r.least).toBeNull();
  });

  it('combines categories only when no single change fits', () => {
    const { check } = checker(20e9);
    const r = fitAdvice(BASE, [zero, tp, rc], check);
    expect(r.fits.length).toBeGreaterThan(0);
    for (const a of r.fits) {
      expect(a.sets.length).toBeGreaterThan(1);
      expect(a.check.fits).toBe(true);
    }
  });

  it('tries every combination before saying nothing fits, and reports the least need', () => {
    const { check, calls } = checker(1e9);
    const r = fitAdvice(BASE, [zero, tp, rc, []], check);
    expect(r.fits).toEqual([]);
    expect(calls()).toBe(4 * 4 * 3 - 1); // ∏(options + 1) − 1: every non-empty choice
    expect(r.least!.sets).toEqual(['zero=3', 'tp=8', 'recompute=full']);
    expect(r.least!.check.needBytes).toBe(memoryPerGpu(m, r.least!.config).totalBytes);
  });

  it('a candidate its check cannot evaluate (infinite need) never fits nor counts as least', () => {
    const r = fitAdvice(BASE, [zero], () => ({ needBytes: Infinity, fits: false }));
    expect(r).toEqual({ fits: [], least: null });
  });
});

describe('checkpointBytes', () => {
  it('defaults to 14 bytes/param (bf16 weights + fp32 master, m, v) [S LOCK-CKPT]', () => {
    const m = getPreset('intellect-1');
    expect(checkpointBytes(m)).toBe(14 * paramCount(m));
  });
});
