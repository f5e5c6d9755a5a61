/**
 * Transformer model shape and parameter counts. Pure functions, SI units (counts).
 *
 * Family conventions are keyed on `ffnKind` (see `familyConventions`):
 * - 'gelu'   = GPT-2/3 / Megatron GPT: biases on every linear layer, LayerNorm with gain
 *              and bias (2h params), dropout in training. This is the convention behind
 *              Megatron eq. (2) [V, arXiv 2104.04473]: 13h per layer = 9h biases + 4h LN.
 * - 'swiglu' = Llama 2/3, INTELLECT-1: no biases, RMSNorm with gain only (h params),
 *              no dropout [V for INTELLECT-1 config.json; M for Llama].
 */

export type FfnKind = 'gelu' | 'swiglu';

export interface ModelShape {
  readonly name: string;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly ffnHidden: number;
  readonly ffnKind: FfnKind;
  readonly vocab: number;
  readonly seqLength: number;
  readonly tiedEmbeddings: boolean;
  /** learned absolute (GPT) adds seq*hidden params; RoPE adds none */
  readonly positionEmbeddings: boolean;
}

export interface FamilyConventions {
  readonly biases: boolean;
  /** params per norm layer: 2h for LayerNorm (gain+bias), h for RMSNorm (gain) */
  readonly normParamsPerHidden: 1 | 2;
  readonly dropout: boolean;
}

export function familyConventions(m: ModelShape): FamilyConventions {
  return m.ffnKind === 'gelu'
    ? { biases: true, normParamsPerHidden: 2, dropout: true }
    : { biases: false, normParamsPerHidden: 1, dropout: false };
}

/** Head dimension d = h / heads (true for every preset here). */
export function headDim(m: ModelShape): number {
  return m.hidden / m.heads;
}

/** Width of the K (and of the V) projection output: kvHeads · d (GQA/MQA shrink it). */
export function kvWidth(m: ModelShape): number {
  return m.kvHeads * headDim(m);
}

/** Number of FFN weight matrices: 2 for GELU (up, down), 3 for SwiGLU (gate, up, down). */
export function ffnMatrices(m: ModelShape): 2 | 3 {
  return m.ffnKind === 'swiglu' ? 3 : 2;
}

/**
 * Matmul weights of one transformer layer (no biases, no norms):
 * attention h·(h + 2·kvWidth) for Q,K,V + h² for the output projection,
 * FFN ffnMatrices·h·ffnHidden. For MHA with FFN 4h GELU this is 12h² (Megatron eq. 2).
 */
export function layerMatmulParams(m: ModelShape): number {
  const h = m.hidden;
  return h * (h + 2 * kvWidth(m)) + h * h + ffnMatrices(m) * h * m.ffnHidden;
}

/**
 * Bias and norm params of one layer, split into those Megatron TP shards (column-parallel
 * biases: QKV and FFN-in) and those it replicates (row-parallel biases, norms).
 * GPT: QKV bias h+2kv, out bias h, FFN biases ffn + h, two LayerNorms 4h (= 13h for MHA, 4h FFN).
 */
export function layerSmallParams(m: ModelShape): { sharded: number; replicated: number } {
  const c = familyConventions(m);
  const h = m.hidden;
  const norms = 2 * c.normParamsPerHidden * h;
  if (!c.biases) return { sharded: 0, replicated: norms };
  const ffnInBias = (ffnMatrices(m) - 1) * m.ffnHidden;
  return { sharded: h + 2 * kvWidth(m) + ffnInBias, replicated: h + h + norms };
}

/** All params of one transformer layer. */
export function layerParams(m: ModelShape): number {
  const s = layerSmallParams(m);
  return layerMatmulParams(m) + s.sharded + s.replicated;
}

/** Input embedding table V·h plus learned positions s·h when present. */
export function embeddingParams(m: ModelShape): number {
  return m.vocab * m.hidden + (m.positionEmbeddings ? m.seqLength * m.hidden : 0);
}

/** Separate output (logit) matrix V·h when untied, else 0 (shares the input table). */
export function outputHeadParams(m: ModelShape): number {
  return m.tiedEmbeddings ? 0 : m.vocab * m.hidden;
}

/** Final norm before the logit layer. */
export function finalNormParams(m: ModelShape): number {
  return familyConventions(m).normParamsPerHidden * m.hidden;
}

/** Params outside embeddings/output head: layers + final norm (Kaplan's "non-embedding" N). */
export function nonEmbeddingParams(m: ModelShape): number {
  return m.layers * layerParams(m) + finalNormParams(m);
}

/**
 * Total params: embeddings (+ positions) + separate output head if untied + layers + final norm.
 * For GPT shapes this is Megatron eq. (2) P = 12lh² + 13lh + (V+s)h [V] plus the final
 * LayerNorm's 2h, which eq. (2) omits.
 */
export function paramCount(m: ModelShape): number {
  return embeddingParams(m) + outputHeadParams(m) + nonEmbeddingParams(m);
}

/** Megatron eq. (2) [V, arXiv 2104.04473]: P = 12·l·h²·(1 + 13/(12h) + (V+s)/(12·l·h)). */
export function megatronParams(layers: number, hidden: number, vocab: number, seq: number): number {
  const l = layers;
  const h = hidden;
  return 12 * l * h * h * (1 + 13 / (12 * h) + (vocab + seq) / (12 * l * h));
}

export interface ShapeFromParamsOptions {
  /** hidden / layers; 128 default, the middle of Kaplan et al. 2020's flat optimum (Fig. 5) [M] */
  readonly aspectRatio?: number;
  /** head dimension; hidden is rounded to a multiple of it. Default 64 below h = 2048, else 128. */
  readonly headDim?: number;
  readonly vocab?: number; // default 50257 (GPT-2 BPE)
  readonly seqLength?: number; // default 2048
  readonly name?: string;
}

/**
 * A plausible GPT-style shape (GELU 4h, MHA, tied, learned positions) for a bare count.
 * Rule: solve P = 12·l·h² + 13·l·h + (V+s)·h with h = aspectRatio·l (Kaplan et al. 2020,
 * arXiv 2001.08361, aspect ratio ≈ 10²; [M]); round h to a multiple of headDim, then pick
 * the integer l ≥ 1 that brings paramCount closest to `params` at that h (l = round((P − fixed)/per-layer)).
 * E.g. 175e9 → 96 layers × 12288 (= GPT-3 175B); 7e9 → 32 × 4224.
 */
export function shapeFromParams(params: number, opts: ShapeFromParamsOptions = {}): ModelShape {
  if (!(params > 0) || !Number.isFinite(params)) throw new Error(`shapeFromParams: bad params ${params}`);
  const ratio = opts.aspectRatio ?? 128;
  const vocab = opts.vocab ?? 50257;
  const seq = opts.seqLength ?? 2048;
  const eq2 = (l: number) => megatronParams(l, ratio * l, vocab, seq);
  // eq2 is increasing in l > 0: bisection for the real-valued l.
  let lo = 1e-3;
  let hi = 1e4;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (eq2(mid) < params) lo = mid;
    else hi = mid;
  }
  const d = opts.headDim ?? (ratio * lo < 2048 ? 64 : 128);
  const hidden = Math.max(d, Math.round((ratio * lo) / d) * d);
  const base = {
    name: opts.name ?? `gpt-${formatCount(params)}`,
    hidden, heads: hidden / d, kvHeads: hidden / d, ffnHidden: 4 * hidden, ffnKind: 'gelu' as const,
    vocab, seqLength: seq, tiedEmbeddings: true, positionEmbeddings: true,
  };
  const perLayer = layerParams({ ...base, layers: 1 });
  const fixed = paramCount({ ...base, layers: 0 });
  const layers = Math.max(1, Math.round((params - fixed) / perLayer));
  return { ...base, layers };
}

/** "1.3b", "175b", "125m". */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${Number((n / 1e9).toPrecision(3))}b`;
  if (n >= 1e6) return `${Number((n / 1e6).toPrecision(3))}m`;
  return `${Math.round(n)}`;
}
