/**
 * FLOP counts (per token unless said) and forward GEMM shapes of a transformer.
 * One multiply-add = 2 FLOP. Backward = 2 × forward for every GEMM (grad wrt input and
 * wrt weight), so fwd+bwd = 3 × forward. Attention s² GEMMs counted in full (not halved for
 * causal masking), as Megatron eq. (3) and llm-foundry do.
 */
import { type ModelShape, headDim, kvWidth, ffnMatrices, paramCount } from './model';

export type Recompute = 'none' | 'selective' | 'full';

export interface FlopsPerToken {
  /** fwd+bwd of all GEMMs incl. attention scores/values and logits, no recomputation (llm-foundry MFU convention) */
  readonly model: number;
  /** model + recomputation work actually executed */
  readonly hardware: number;
  /** 6·params (Kaplan convention), for reporting */
  readonly sixN: number;
}

/** Forward FLOP per token of the weight GEMMs in one layer: 2 · layer matmul weights. */
function layerWeightFwdFlop(m: ModelShape): number {
  const h = m.hidden;
  return 2 * (h * (h + 2 * kvWidth(m)) + h * h + ffnMatrices(m) * h * m.ffnHidden);
}

/**
 * Forward FLOP per token of the attention score (QKᵀ) and value (PV) GEMMs in one layer:
 * 2·s·(heads·d) each, so 4·s·h (full s², no causal halving). Under GQA the K/V heads are
 * shared, but every query head still does its own s×s×d products, so this is unchanged.
 * fwd+bwd over all layers gives 12·l·h·s (the s/6h term of Megatron eq. (3), Narayanan et al.
 * 2021; llm-foundry attn_flops_per_seq = l·2·2·h·s², times 3 [V] mosaicml/llm-foundry
 * scripts/train/benchmarking/README.md).
 */
function layerAttentionFwdFlop(m: ModelShape): number {
  return 4 * m.seqLength * m.heads * headDim(m);
}

/** Forward FLOP per token of the logit GEMM: 2·V·h (the embedding lookup is a gather, 0 FLOP). */
function headFwdFlop(m: ModelShape): number {
  return 2 * m.vocab * m.hidden;
}

/**
 * model    = 3 · [l · (2·W_layer + 4·s·h) + 2·V·h]           (llm-foundry MFU numerator per token)
 * hardware = model + recomputed forward work:
 *   'selective': + l · 4·s·h      (Korthikanti et al. 2022 recompute only QKᵀ, softmax, PV)
 *   'full'     : + l · (2·W_layer + 4·s·h)   (one extra forward of every layer; the logit
 *                layer is not recomputed), which is exactly Megatron eq. (3) per token for
 *                MHA / 4h-GELU shapes, i.e. ≈ 8N per token.
 * sixN     = 6 · paramCount (all params incl. embeddings: the N of the 6·N·D convention).
 */
export function flopsPerToken(m: ModelShape, recompute: Recompute): FlopsPerToken {
  const layerW = layerWeightFwdFlop(m);
  const attn = layerAttentionFwdFlop(m);
  const model = 3 * (m.layers * (layerW + attn) + headFwdFlop(m));
  const extra = recompute === 'full' ? m.layers * (layerW + attn) : recompute === 'selective' ? m.layers * attn : 0;
  return { model, hardware: model + extra, sixN: 6 * paramCount(m) };
}

/**
 * Megatron eq. (3) [V, Narayanan et al. SC'21, arXiv 2104.04473]:
 * F = 96·B·s·l·h²·(1 + s/(6h) + V/(16·l·h)) per iteration (with full recomputation).
 */
export function megatronFlopsPerIteration(batchSeqs: number, seq: number, layers: number, hidden: number, vocab: number): number {
  const h = hidden;
  return 96 * batchSeqs * seq * layers * h * h * (1 + seq / (6 * h) + vocab / (16 * layers * h));
}

/** A (possibly batched) GEMM C[m×n] = A[m×k]·B[k×n], repeated `count` times. FLOP = 2·m·n·k·count. */
export interface Gemm {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly count: number;
  /** what it computes, for reports and debugging */
  readonly label?: string;
}

export function gemmFlop(g: Gemm): number {
  return 2 * g.m * g.n * g.k * g.count;
}

/**
 * Megatron TP requires heads, KV heads (query groups) and the FFN width to divide by tp
 * (megatron-core divides num_query_groups by the TP size) [M].
 */
export function tensorParallelValid(m: ModelShape, tp: number): boolean {
  return Number.isInteger(tp) && tp >= 1 && m.heads % tp === 0 && m.kvHeads % tp === 0 && m.ffnHidden % tp === 0;
}

function checkTp(m: ModelShape, tp: number): void {
  if (!tensorParallelValid(m, tp)) {
    throw new Error(`tensorParallel ${tp} does not divide heads ${m.heads}, kvHeads ${m.kvHeads} and ffnHidden ${m.ffnHidden} of ${m.name}`);
  }
}

/**
 * Forward GEMMs of ONE transformer layer on one GPU, T = tokensPerMicrobatch, t = tp,
 * sharded the Megatron way (Shoeybi et al. 2019): QKV and FFN-in column-parallel (n/t),
 * attention-out and FFN-down row-parallel (k/t), heads split across ranks. Sequence
 * parallelism leaves these shapes unchanged (it all-gathers before the GEMM).
 * - QKV:       m=T, k=h, n=(heads + 2·kvHeads)·d / t          (GQA: smaller K, V)
 * - scores:    m=s, n=s, k=d, count=(T/s)·heads/t            (full s², batched per head)
 * - values:    m=s, n=d, k=s, count=(T/s)·heads/t
 * - attn-out:  m=T, k=heads·d/t, n=h
 * - FFN-in:    m=T, k=h, n=ffn/t, count 1 (GELU) or 2 (SwiGLU gate and up)
 * - FFN-down:  m=T, k=ffn/t, n=h
 */
export function layerGemms(m: ModelShape, tokensPerMicrobatch: number, tensorParallel: number): readonly Gemm[] {
  checkTp(m, tensorParallel);
  const T = tokensPerMicrobatch;
  const t = tensorParallel;
  const d = headDim(m);
  const s = m.seqLength;
  const headsLocal = m.heads / t;
  const batched = (T / s) * headsLocal;
  return [
    { m: T, n: ((m.heads + 2 * m.kvHeads) * d) / t, k: m.hidden, count: 1, label: 'qkv' },
    { m: s, n: s, k: d, count: batched, label: 'attn-scores' },
    { m: s, n: d, k: s, count: batched, label: 'attn-values' },
    { m: T, n: m.hidden, k: headsLocal * d, count: 1, label: 'attn-out' },
    { m: T, n: m.ffnHidden / t, k: m.hidden, count: ffnMatrices(m) - 1, label: m.ffnKind === 'swiglu' ? 'ffn-gate-up' : 'ffn-up' },
    { m: T, n: m.hidden, k: m.ffnHidden / t, count: 1, label: 'ffn-down' },
  ];
}

/**
 * Logit layer forward on one GPU: m=T, k=h, n=V/t (vocab-parallel). V/t is kept unrounded
 * so FLOP totals stay exact; Megatron pads V to a multiple of 128·t [M], < 0.3% more here.
 */
export function headGemms(m: ModelShape, tokensPerMicrobatch: number, tensorParallel: number): readonly Gemm[] {
  checkTp(m, tensorParallel);
  return [{ m: tokensPerMicrobatch, n: m.vocab / tensorParallel, k: m.hidden, count: 1, label: 'logits' }];
}

/** Sum of forward FLOP over GEMMs. */
export function gemmsFlop(gs: readonly Gemm[]): number {
  return gs.reduce((acc, g) => acc + gemmFlop(g), 0);
}
