import { describe, it, expect } from 'vitest';
import {
  paramCount, nonEmbeddingParams, megatronParams, shapeFromParams, embeddingParams, outputHeadParams,
  layerParams, familyConventions,
} from '../../src/workload/model';
import { MODEL_PRESETS, MEGATRON_TABLE1, getPreset } from '../../src/workload/presets';

describe('parameter counts', () => {
  it('reproduces Megatron Table 1 params (eq. 2) to the shown precision [V]', () => {
    for (const row of MEGATRON_TABLE1) {
      const m = getPreset(row.name);
      // the paper's column order is heads, hidden, layers: the 1T row is 160 / 25600 / 128
      expect((paramCount(m) / 1e9).toFixed(1)).toBe(row.paramsB.toFixed(1));
      expect((megatronParams(m.layers, m.hidden, m.vocab, m.seqLength) / 1e9).toFixed(1)).toBe(row.paramsB.toFixed(1));
      // paramCount = eq. (2) + the final LayerNorm (2h), which eq. (2) omits
      expect(paramCount(m) - megatronParams(m.layers, m.hidden, m.vocab, m.seqLength)).toBeCloseTo(2 * m.hidden, 0);
    }
    const t = getPreset('megatron-1t');
    expect([t.heads, t.hidden, t.layers]).toEqual([160, 25600, 128]);
  });

  it('GPT per-layer params are 12h² + 13h (eq. 2 convention)', () => {
    const m = getPreset('megatron-7.5b');
    expect(layerParams(m)).toBe(12 * m.hidden ** 2 + 13 * m.hidden);
    expect(familyConventions(m).biases).toBe(true);
    expect(familyConventions(getPreset('llama2-7b')).biases).toBe(false);
  });

  it('Llama 2 7B ≈ 6.74e9 (±0.5%) and equals the HF count 6,738,415,616 [M]', () => {
    const n = paramCount(getPreset('llama2-7b'));
    expect(Math.abs(n / 6.74e9 - 1)).toBeLessThan(0.005);
    expect(n).toBe(6_738_415_616);
  });

  it('Llama 2 13B ≈ 13.0e9 and 70B (GQA) ≈ 69.0e9 (±1%)', () => {
    expect(Math.abs(paramCount(getPreset('llama2-13b')) / 13.0e9 - 1)).toBeLessThan(0.01);
    expect(Math.abs(paramCount(getPreset('llama2-70b')) / 69.0e9 - 1)).toBeLessThan(0.01);
    // without GQA the 70B shape would be ~5% larger: the test fails if kvHeads were ignored
    const mha = { ...getPreset('llama2-70b'), kvHeads: 64 };
    expect(paramCount(mha) / 69.0e9 - 1).toBeGreaterThan(0.03);
  });

  it('INTELLECT-1 ≈ 10.21e9 (±1%) [D]', () => {
    expect(Math.abs(paramCount(getPreset('intellect-1')) / 10.21e9 - 1)).toBeLessThan(0.01);
  });

  it('Llama 3 8B / 70B match the transcribed HF counts exactly [S]', () => {
    expect(paramCount(getPreset('llama3-8b'))).toBe(8_030_261_248);
    expect(paramCount(getPreset('llama3-70b'))).toBe(70_553_706_496);
    expect(Math.abs(paramCount(getPreset('llama3-405b')) / 405e9 - 1)).toBeLessThan(0.01);
  });

  it('GPT-3 XL ≈ 1.3e9 [M]', () => {
    expect(Math.abs(paramCount(getPreset('gpt3-xl')) / 1.3e9 - 1)).toBeLessThan(0.02);
  });

  it('nonEmbeddingParams excludes the embedding tables and positions', () => {
    for (const m of MODEL_PRESETS.values()) {
      expect(nonEmbeddingParams(m)).toBe(paramCount(m) - embeddingParams(m) - outputHeadParams(m));
    }
    const g = getPreset('gpt3-xl');
    expect(embeddingParams(g)).toBe((50257 + 2048) * 2048);
    expect(outputHeadParams(g)).toBe(0);
    expect(outputHeadParams(getPreset('llama2-7b'))).toBe(32000 * 4096);
  });
});

describe('shapeFromParams', () => {
  it('gives GPT-3 175B for 175e9 (Kaplan aspect ratio ≈ 128)', () => {
    const s = shapeFromParams(175e9);
    expect([s.layers, s.hidden, s.heads]).toEqual([96, 12288, 96]);
  });

  it('lands within 3% of the requested count with consistent heads', () => {
    for (const p of [125e6, 350e6, 1.3e9, 7e9, 13e9, 70e9, 1e12]) {
      const s = shapeFromParams(p);
      expect(Math.abs(paramCount(s) / p - 1)).toBeLessThan(0.03);
      expect(s.heads * (s.hidden / s.heads)).toBe(s.hidden);
      expect(Number.isInteger(s.heads)).toBe(true);
      expect(s.ffnHidden).toBe(4 * s.hidden);
      expect(s.hidden / s.layers).toBeGreaterThan(64);
      expect(s.hidden / s.layers).toBeLessThan(256);
    }
  });

  it('rejects nonsense', () => {
    expect(() => shapeFromParams(0)).toThrow();
    expect(() => shapeFromParams(Number.NaN)).toThrow();
  });
});

describe('presets', () => {
  it('has every requested preset with a tagged source', () => {
    const names = ['gpt3-xl', ...MEGATRON_TABLE1.map((r) => r.name), 'llama2-7b', 'llama2-13b', 'llama2-70b',
      'llama3-8b', 'llama3-70b', 'llama3-405b', 'intellect-1'];
    expect([...MODEL_PRESETS.keys()].sort()).toEqual([...names].sort());
    for (const p of MODEL_PRESETS.values()) {
      expect(p.source).toMatch(/\[(V|S|M|D)\]/);
      expect(p.hidden % p.heads).toBe(0);
      expect(p.heads % p.kvHeads).toBe(0);
    }
    expect(() => getPreset('nope')).toThrow(/known/);
  });

  it('INTELLECT-1 shape as in its config.json', () => {
    const m = getPreset('intellect-1');
    expect(m).toMatchObject({ layers: 42, hidden: 4096, heads: 32, kvHeads: 8, ffnHidden: 14336, vocab: 128256, seqLength: 8192, tiedEmbeddings: false, ffnKind: 'swiglu', positionEmbeddings: false });
  });
});
