/**
 * Named model presets with sources. Tags:
 * [V] checked against the primary source, [S] secondary, [M] memory / common knowledge, [D] derived.
 */
import type { ModelShape } from './model';

export type ModelPreset = ModelShape & { readonly source: string };

/**
 * Megatron-LM Table 1 (Narayanan et al., SC'21, arXiv 2104.04473) [V]. Paper column order is
 * Params, Attention heads, Hidden, Layers. V = 51,200, s = 2048 [V]; FFN 4h GELU [M, standard
 * Megatron GPT]; tied embeddings and learned positions (eq. (2) counts (V+s)·h) [V].
 */
export const MEGATRON_TABLE1 = [
  { name: 'megatron-1.7b', paramsB: 1.7, heads: 24, hidden: 2304, layers: 24, tp: 1, pp: 1, gpus: 32, batchSeqs: 512, tflopsPerGpu: 137 },
  { name: 'megatron-3.6b', paramsB: 3.6, heads: 32, hidden: 3072, layers: 30, tp: 2, pp: 1, gpus: 64, batchSeqs: 512, tflopsPerGpu: 138 },
  { name: 'megatron-7.5b', paramsB: 7.5, heads: 32, hidden: 4096, layers: 36, tp: 4, pp: 1, gpus: 128, batchSeqs: 512, tflopsPerGpu: 142 },
  { name: 'megatron-18.4b', paramsB: 18.4, heads: 48, hidden: 6144, layers: 40, tp: 8, pp: 1, gpus: 256, batchSeqs: 1024, tflopsPerGpu: 135 },
  { name: 'megatron-39.1b', paramsB: 39.1, heads: 64, hidden: 8192, layers: 48, tp: 8, pp: 2, gpus: 512, batchSeqs: 1536, tflopsPerGpu: 138 },
  { name: 'megatron-76.1b', paramsB: 76.1, heads: 80, hidden: 10240, layers: 60, tp: 8, pp: 4, gpus: 1024, batchSeqs: 1792, tflopsPerGpu: 140 },
  { name: 'megatron-145.6b', paramsB: 145.6, heads: 96, hidden: 12288, layers: 80, tp: 8, pp: 8, gpus: 1536, batchSeqs: 2304, tflopsPerGpu: 148 },
  { name: 'megatron-310.1b', paramsB: 310.1, heads: 128, hidden: 16384, layers: 96, tp: 8, pp: 16, gpus: 1920, batchSeqs: 2160, tflopsPerGpu: 155 },
  { name: 'megatron-529.6b', paramsB: 529.6, heads: 128, hidden: 20480, layers: 105, tp: 8, pp: 35, gpus: 2520, batchSeqs: 2520, tflopsPerGpu: 163 },
  { name: 'megatron-1t', paramsB: 1008.0, heads: 160, hidden: 25600, layers: 128, tp: 8, pp: 64, gpus: 3072, batchSeqs: 3072, tflopsPerGpu: 163 },
] as const;

const MEGATRON_SOURCE =
  'Narayanan et al., SC\'21, arXiv 2104.04473, Table 1 [V] (heads/hidden/layers, V=51200, s=2048); FFN 4h GELU [M]';

function megatron(row: (typeof MEGATRON_TABLE1)[number]): ModelPreset {
  return {
    name: row.name, layers: row.layers, hidden: row.hidden, heads: row.heads, kvHeads: row.heads,
    ffnHidden: 4 * row.hidden, ffnKind: 'gelu', vocab: 51200, seqLength: 2048,
    tiedEmbeddings: true, positionEmbeddings: true, source: MEGATRON_SOURCE,
  };
}

function llama(
  name: string, layers: number, hidden: number, heads: number, kvHeads: number, ffnHidden: number,
  vocab: number, seqLength: number, source: string,
): ModelPreset {
  return { name, layers, hidden, heads, kvHeads, ffnHidden, ffnKind: 'swiglu', vocab, seqLength, tiedEmbeddings: false, positionEmbeddings: false, source };
}

const LLAMA2_SOURCE =
  'Touvron et al. 2023, arXiv 2307.09288 and meta-llama/llama MODEL_CARD.md: seq 4096, vocab 32k [V]; layers/hidden/heads/FFN [M, standard configs]; 70B GQA [V]';
const LLAMA3_SOURCE =
  'Llama 3 HF config.json shapes as transcribed in several public repos [S] (8B = 8,030,261,248 params, 70B = 70,553,706,496 [S]); pretraining seq 8192 [M]';

const PRESET_LIST: readonly ModelPreset[] = [
  {
    name: 'gpt3-xl', layers: 24, hidden: 2048, heads: 16, kvHeads: 16, ffnHidden: 4 * 2048, ffnKind: 'gelu',
    vocab: 50257, seqLength: 2048, tiedEmbeddings: true, positionEmbeddings: true,
    source: 'Yuan et al., NeurIPS 2022 (arXiv 2206.01288) and DS3Lab/Decentralized_FM_alpha gpt3_xl_pp8_dp8.sh: 24 layers, h 2048, 16 heads, seq 2048 [V]; FFN 4h, vocab 50257 GPT-2 BPE [M]',
  },
  ...MEGATRON_TABLE1.map(megatron),
  llama('llama2-7b', 32, 4096, 32, 32, 11008, 32000, 4096, LLAMA2_SOURCE),
  llama('llama2-13b', 40, 5120, 40, 40, 13824, 32000, 4096, LLAMA2_SOURCE),
  llama('llama2-70b', 80, 8192, 64, 8, 28672, 32000, 4096, LLAMA2_SOURCE),
  llama('llama3-8b', 32, 4096, 32, 8, 14336, 128256, 8192, LLAMA3_SOURCE),
  llama('llama3-70b', 80, 8192, 64, 8, 28672, 128256, 8192, LLAMA3_SOURCE),
  llama('llama3-405b', 126, 16384, 128, 8, 53248, 128256, 8192, LLAMA3_SOURCE),
  llama(
    'intellect-1', 42, 4096, 32, 8, 14336, 128256, 8192,
    'PrimeIntellect/INTELLECT-1-Instruct config.json [V]: 42 layers, h 4096, 32 heads / 8 KV, FFN 14336, vocab 128256, ctx 8192, untied, RoPE; ≈10.21B params [D]',
  ),
];

export const MODEL_PRESETS: ReadonlyMap<string, ModelPreset> = new Map(PRESET_LIST.map((p) => [p.name, p]));

/** Look up a preset by name; throws with the list of known names. */
export function getPreset(name: string): ModelPreset {
  const p = MODEL_PRESETS.get(name);
  if (!p) throw new Error(`unknown model preset "${name}"; known: ${[...MODEL_PRESETS.keys()].join(', ')}`);
  return p;
}
