import { describe, it, expect } from 'vitest';
import {
  flopsPerToken, megatronFlopsPerIteration, layerGemms, headGemms, gemmFlop, gemmsFlop, tensorParallelValid,
} from '../../src/workload/flops';
import { paramCount } from '../../src/workload/model';
import { MODEL_PRESETS, MEGATRON_TABLE1, getPreset } from '../../src/workload/presets';

const rel = (a: number, b: number) => Math.abs(a / b - 1);

describe('Megatron eq. (3)', () => {
  it('flopsPerToken(full).hardware × tokens reproduces eq. (3) for all Table 1 shapes', () => {
    for (const row of MEGATRON_TABLE1) {
      const m = getPreset(row.name);
      const eq3 = megatronFlopsPerIteration(row.batchSeqs, m.seqLength, m.layers, m.hidden, m.vocab);
      const ours = flopsPerToken(m, 'full').hardware * row.batchSeqs * m.seqLength;
      // exact: eq. (3) counts only GEMMs; position embeddings, biases and norms carry no GEMM FLOPs
      expect(rel(ours, eq3)).toBeLessThan(1e-9);
    }
  });

  it('matches eq. (3) per iteration for the Megatron Table 1 rows (Narayanan et al. 2021) [D]', () => {
    const published = [15.5, 32.7, 67.2, 324.8, 1021, 2302, 5642, 11194, 22216, 51391]; // PFLOP
    MEGATRON_TABLE1.forEach((row, i) => {
      const F = megatronFlopsPerIteration(row.batchSeqs, 2048, row.layers, row.hidden, 51200) / 1e15;
      expect(rel(F, published[i])).toBeLessThan(0.005);
    });
  });

  it("Yuan et al.'s 23.64 PFLOP per iteration for GPT-3 XL = 96·B·s·l·h²·(1 + s/(6h)) [V]", () => {
    const B = 1024;
    const s = 2048;
    const l = 24;
    const h = 2048;
    const closed = 96 * B * s * l * h * h * (1 + s / (6 * h));
    expect(rel(closed, 23.64e15)).toBeLessThan(5e-4);
    expect(megatronFlopsPerIteration(B, s, l, h, 0)).toBeCloseTo(closed, -3);
    // our hardware count with full recompute, minus the logit layer (3 · 2·V·h per token)
    const m = getPreset('gpt3-xl');
    const noLogits = flopsPerToken(m, 'full').hardware - 3 * 2 * m.vocab * m.hidden;
    expect(rel(noLogits * B * s, 23.64e15)).toBeLessThan(5e-4);
  });
});

describe('flopsPerToken conventions', () => {
  it('model matches the llm-foundry MFU numerator for a tied, bias-free MPT-like shape [V FOUNDRY]', () => {
    // llm-foundry: 3·flops_per_seq + 3·attn_flops_per_seq, flops_per_seq = 2·n_params·s,
    // attn = l·2·2·h·s². MPT: tied embeddings, no biases, no position embeddings.
    const m = { ...getPreset('megatron-7.5b'), ffnKind: 'gelu' as const, positionEmbeddings: false };
    const nParams = m.layers * 12 * m.hidden ** 2 + m.vocab * m.hidden; // MPT n_params minus norms
    const foundryPerSeq = 3 * 2 * nParams * m.seqLength + 3 * m.layers * 2 * 2 * m.hidden * m.seqLength ** 2;
    expect(rel(flopsPerToken(m, 'none').model * m.seqLength, foundryPerSeq)).toBeLessThan(1e-12);
  });

  it('recompute adds the right forward work', () => {
    for (const m of MODEL_PRESETS.values()) {
      const none = flopsPerToken(m, 'none');
      const sel = flopsPerToken(m, 'selective');
      const full = flopsPerToken(m, 'full');
      expect(none.hardware).toBe(none.model);
      expect(sel.model).toBe(none.model);
      expect(rel(sel.hardware - none.model, 4 * m.layers * m.seqLength * m.hidden)).toBeLessThan(1e-12);
      const logits = 3 * 2 * m.vocab * m.hidden;
      expect(rel(full.hardware - full.model, (full.model - logits) / 3)).toBeLessThan(1e-12);
      expect(none.sixN).toBe(6 * paramCount(m));
    }
  });

  it('full recompute ≈ 8N per token for a large GPT (6N → 8N)', () => {
    const m = getPreset('megatron-1t');
    const f = flopsPerToken(m, 'full');
    expect(rel(f.hardware / (paramCount(m) * 8), 1)).toBeLessThan(0.02);
    expect(rel(f.model / f.sixN, 1)).toBeLessThan(0.02);
  });

  it('attention adds 12·l·h·s per token: INTELLECT-1 model FLOPs exceed 6N by ~20%', () => {
    const m = getPreset('intellect-1');
    const f = flopsPerToken(m, 'none');
    expect(f.model / f.sixN).toBeGreaterThan(1.15);
    expect(f.model / f.sixN).toBeLessThan(1.3);
  });
});

describe('GEMM shapes', () => {
  it('sum of layer and head GEMMs × 3 × tp / tokens equals flopsPerToken.model (all presets, all valid tp)', () => {
    for (const m of MODEL_PRESETS.values()) {
      for (const tp of [1, 2, 4, 8].filter((t) => tensorParallelValid(m, t))) {
        for (const b of [1, 2]) {
          const T = b * m.seqLength;
          const fwd = m.layers * gemmsFlop(layerGemms(m, T, tp)) + gemmsFlop(headGemms(m, T, tp));
          expect(rel((fwd * 3 * tp) / T, flopsPerToken(m, 'none').model)).toBeLessThan(1e-9);
        }
      }
    }
  });

  it('GQA shrinks the QKV GEMM; SwiGLU has three FFN matrices', () => {
    const m = getPreset('llama2-70b');
    const g = layerGemms(m, 4096, 8);
    const qkv = g.find((x) => x.label === 'qkv')!;
    expect(qkv).toMatchObject({ m: 4096, k: 8192, n: ((64 + 2 * 8) * 128) / 8, count: 1 });
    expect(g.find((x) => x.label === 'ffn-gate-up')).toMatchObject({ n: 28672 / 8, k: 8192, count: 2 });
    expect(g.find((x) => x.label === 'ffn-down')).toMatchObject({ n: 8192, k: 28672 / 8, count: 1 });
    const scores = g.find((x) => x.label === 'attn-scores')!;
    expect(scores).toMatchObject({ m: 4096, n: 4096, k: 128, count: 64 / 8 });
    expect(gemmFlop({ m: 2, n: 3, k: 4, count: 5 })).toBe(240);
  });

  it('GELU FFN is up + down with 4h', () => {
    const g = layerGemms(getPreset('gpt3-xl'), 2048, 1);
    expect(g.find((x) => x.label === 'ffn-up')).toMatchObject({ n: 8192, k: 2048, count: 1 });
    expect(headGemms(getPreset('gpt3-xl'), 2048, 1)[0]).toMatchObject({ m: 2048, n: 50257, k: 2048 });
  });

  it('rejects a TP degree that does not divide KV heads (Megatron query groups)', () => {
    expect(() => layerGemms(getPreset('llama2-70b'), 4096, 16)).toThrow(/tensorParallel 16/);
    expect(tensorParallelValid(getPreset('intellect-1'), 8)).toBe(true);
    expect(tensorParallelValid(getPreset('megatron-1.7b'), 16)).toBe(false);
  });
});
