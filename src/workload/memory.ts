/**
 * Memory per GPU for a parallel layout (bytes, GB = 1e9 bytes), and the search for changes that fit
 * when it does not (the changes and their check come from the caller: src/strategy/layout.ts).
 * Model states: weights + gradients + optimizer state per param (Rajbhandari et al., ZeRO,
 * arXiv 1910.02054: Adam mixed precision = 2 + 2 + 12 = 16 bytes/param [M, not re-read here]).
 * Activations: Korthikanti et al. 2022, arXiv 2205.05198 [S].
 */
import { type ModelShape, familyConventions, kvWidth, layerMatmulParams, layerSmallParams, finalNormParams, paramCount } from './model';
import type { Recompute } from './flops';

export interface ParallelLayout {
  readonly tensorParallel: number;
  readonly pipelineParallel: number;
  readonly dataParallel: number;
  /** 3 = FSDP full shard; shards over dataParallel (or over `shardGroup` if given) */
  readonly zeroStage: 0 | 1 | 2 | 3;
  /** size of the group optimizer/params are sharded over (FSDP hybrid: e.g. GPUs in a node) */
  readonly shardGroup?: number;
  readonly microBatchSeqs: number;
  readonly recompute: Recompute;
  readonly flashAttention: boolean;
  readonly sequenceParallel: boolean;
  /** activations held at once on the busiest stage (1F1B: = pipelineParallel; no PP: 1) */
  readonly inflightMicrobatches: number;
  readonly weightBytesPerParam: number;
  readonly gradBytesPerParam: number;
  /** 12 for Adam mixed precision: fp32 master + m + v (ZeRO paper) */
  readonly optimizerBytesPerParam: number;
}

export interface MemoryBreakdown {
  readonly weightsBytes: number;
  readonly gradientsBytes: number;
  readonly optimizerBytes: number;
  readonly activationsBytes: number;
  readonly workspaceBytes: number;
  readonly totalBytes: number;
}

export interface ActivationOptions {
  readonly recompute: Recompute;
  readonly flashAttention: boolean;
  readonly sequenceParallel: boolean;
}

/**
 * Activation bytes one layer keeps for backward, per microbatch of b sequences, on one TP rank.
 * Korthikanti et al. Table 2 / eq. (1)-(2) for GPT (16-bit activations, 1-byte dropout masks):
 *   no TP: s·b·h·(34 + 5·a·s/h);  TP t: s·b·h·(10 + 24/t + 5·a·s/(h·t));  TP+SP: s·b·h·(34/t + 5·a·s/(h·t)).
 * Generalised term by term (reduces exactly to the above for MHA, FFN 4h, GELU, dropout):
 *   replicated (÷t only with SP): norm inputs 4sbh + QKV input 2sbh + FFN input 2sbh + dropout masks 2sbh
 *   TP-sharded: Q 2sbh + K 2sb·kvw + V 2sb·kvw + attn-out input 2sbh        (GQA: kvw = kvHeads·d < h)
 *             + FFN: GELU 4·s·b·f (GELU input and output);
 *                    SwiGLU 6·s·b·f (gate‖up output 4sbf, as Megatron's fused swiglu saves, + down input 2sbf)
 *   s² term (÷t): softmax output 2·a·s²·b, + dropout mask a·s²·b and output 2·a·s²·b with dropout (= 5as²b).
 * 'selective' recompute and FlashAttention drop the s² term; 'full' keeps only the layer input
 * 2·s·b·h (÷t with SP). Families without dropout (swiglu = Llama) drop the mask terms.
 */
export function activationBytesPerLayer(m: ModelShape, microBatchSeqs: number, tp: number, opts: ActivationOptions): number {
  const sbh = m.seqLength * microBatchSeqs * m.hidden;
  const spDiv = opts.sequenceParallel ? tp : 1;
  if (opts.recompute === 'full') return (2 * sbh) / spDiv;
  const dropout = familyConventions(m).dropout;
  const replicated = sbh * (8 + (dropout ? 2 : 0));
  const g = kvWidth(m) / m.hidden;
  const ffnCoeff = m.ffnKind === 'swiglu' ? 6 : 4;
  const sharded = sbh * (4 + 4 * g) + ffnCoeff * m.seqLength * microBatchSeqs * m.ffnHidden;
  const quad = opts.recompute === 'selective' || opts.flashAttention ? 0 : (dropout ? 5 : 2) * m.heads * m.seqLength * m.seqLength * microBatchSeqs;
  return replicated / spDiv + (sharded + quad) / tp;
}

/** Per-GPU param counts of one pipeline stage after TP sharding (before ZeRO sharding). */
interface StageParams {
  readonly total: number;
  readonly layerLocal: number; // one layer on one TP rank
  readonly largestUnit: number; // largest FSDP gather unit: a layer or the embedding / output table
}

function stageParams(m: ModelShape, tp: number, layersOnStage: number, hasEmbedding: boolean, hasHead: boolean): StageParams {
  const small = layerSmallParams(m);
  const layerLocal = (layerMatmulParams(m) + small.sharded) / tp + small.replicated;
  // Vocab-parallel tables (÷t); learned positions replicated. A tied model with PP > 1
  // keeps a copy of the word embedding on the last stage for the logit layer (Megatron) [M].
  const embed = hasEmbedding ? (m.vocab * m.hidden) / tp + (m.positionEmbeddings ? m.seqLength * m.hidden : 0) : 0;
  const headTable = hasHead && (!m.tiedEmbeddings || !hasEmbedding) ? (m.vocab * m.hidden) / tp : 0;
  const head = hasHead ? headTable + finalNormParams(m) : 0;
  return { total: layersOnStage * layerLocal + embed + head, layerLocal, largestUnit: Math.max(layerLocal, embed, headTable) };
}

/**
 * Memory on the busiest GPU. Evaluates the first pipeline stage (embedding, `inflightMicrobatches`
 * microbatches in flight) and, with PP > 1, the last stage (output layer, fp32 logits, 1 microbatch
 * in flight under 1F1B) and returns the larger. With PP = 1 both are the same GPU.
 * - ZeRO over Z = shardGroup ?? dataParallel: stage ≥1 ÷Z optimizer, ≥2 also gradients, 3 also weights.
 * - activations: inflight · ⌈l/p⌉ · activationBytesPerLayer, + embedding dropout mask s·b·h per
 *   microbatch (dropout families), + on the last stage final-norm and logit inputs 4·s·b·h and fp32
 *   logits 4·s·b·V/t (Korthikanti §4.3 [M]).
 * - workspace: full recompute re-materialises one layer's activations for one microbatch;
 *   ZeRO-3/FSDP holds the gathered current + prefetched unit (weights) and one unsharded unit of grads.
 *   No CUDA context / allocator fragmentation is included: leave headroom in memoryBytes.
 */
export function memoryPerGpu(m: ModelShape, layout: ParallelLayout): MemoryBreakdown {
  const pp = layout.pipelineParallel;
  if (pp === 1) return stageMemory(m, layout, true, true);
  const first = stageMemory(m, layout, true, false);
  const last = stageMemory(m, layout, false, true);
  return last.totalBytes > first.totalBytes ? last : first;
}

function stageMemory(m: ModelShape, L: ParallelLayout, first: boolean, last: boolean): MemoryBreakdown {
  const tp = L.tensorParallel;
  const layersOnStage = Math.ceil(m.layers / L.pipelineParallel);
  const p = stageParams(m, tp, layersOnStage, first, last);
  const Z = Math.max(1, L.shardGroup ?? L.dataParallel);
  const weightsBytes = (p.total * L.weightBytesPerParam) / (L.zeroStage >= 3 ? Z : 1);
  const gradientsBytes = (p.total * L.gradBytesPerParam) / (L.zeroStage >= 2 ? Z : 1);
  const optimizerBytes = (p.total * L.optimizerBytesPerParam) / (L.zeroStage >= 1 ? Z : 1);

  const b = L.microBatchSeqs;
  const sbh = m.seqLength * b * m.hidden;
  const spDiv = L.sequenceParallel ? tp : 1;
  const inflight = first ? L.inflightMicrobatches : 1;
  const opts = { recompute: L.recompute, flashAttention: L.flashAttention, sequenceParallel: L.sequenceParallel };
  let activationsBytes = inflight * layersOnStage * activationBytesPerLayer(m, b, tp, opts);
  if (first && familyConventions(m).dropout) activationsBytes += (inflight * sbh) / spDiv;
  if (last) activationsBytes += (4 * sbh) / spDiv + (4 * m.seqLength * b * m.vocab) / tp;

  let workspaceBytes = 0;
  if (L.recompute === 'full') workspaceBytes += activationBytesPerLayer(m, b, tp, { ...opts, recompute: 'none' });
  if (L.zeroStage === 3 && Z > 1) {
    workspaceBytes += (p.largestUnit + p.layerLocal) * L.weightBytesPerParam + p.largestUnit * L.gradBytesPerParam;
  }
  const totalBytes = weightsBytes + gradientsBytes + optimizerBytes + activationsBytes + workspaceBytes;
  return { weightsBytes, gradientsBytes, optimizerBytes, activationsBytes, workspaceBytes, totalBytes };
}

/**
 * Checkpoint size: ≈ 14–16 bytes/param (bf16 weights + fp32 master + Adam m, v) [S, LOCK-CKPT:
 * glennklockwood.com/garden/checkpointing]; default 2 + 12 = 14. OPT-175B's 1.6 TB is ≈ 9 bytes/param
 * [V, OPT logbook: facebookresearch/metaseq projects/OPT/chronicles/27_percent_update.md].
 */
export function checkpointBytes(m: ModelShape, bytesPerParam = 14): number {
  return bytesPerParam * paramCount(m);
}

/**
 * One candidate change, as the scenario fields it sets (`path=value`, pasteable into `--set`).
 * `apply` returns the changed configuration; the caller decides what a configuration is and
 * checks it (src/strategy/layout.ts: the same layout check that rejected the original).
 */
export interface FitOption<T> {
  readonly sets: readonly string[];
  readonly apply: (x: T) => T;
}

/** What a check says about one configuration: its memory need (busiest GPU) and whether it fits. */
export interface FitCheck {
  /** Infinity when the configuration cannot be evaluated (e.g. the layout cannot be formed). */
  readonly needBytes: number;
  readonly fits: boolean;
}

/** A change that was tried, with what its check said. */
export interface FitAlternative<T, C extends FitCheck = FitCheck> {
  readonly sets: readonly string[];
  readonly config: T;
  readonly check: C;
}

export interface FitSearch<T, C extends FitCheck = FitCheck> {
  /** Mildest fitting changes (empty when nothing tried fits). */
  readonly fits: readonly FitAlternative<T, C>[];
  /** When nothing fits: the change with the smallest need among those the check could evaluate. */
  readonly least: FitAlternative<T, C> | null;
}

/** All choices of one option from each given category, mildest (smallest index sum) first. */
function combos<T>(cats: readonly (readonly FitOption<T>[])[]): FitOption<T>[][] {
  let acc: { opts: FitOption<T>[]; cost: number }[] = [{ opts: [], cost: 0 }];
  for (const c of cats) acc = acc.flatMap((a) => c.map((o, i) => ({ opts: [...a.opts, o], cost: a.cost + i })));
  return acc.sort((x, y) => x.cost - y.cost).map((a) => a.opts);
}

function subsets<T>(xs: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  return xs.flatMap((x, i) => subsets(xs.slice(i + 1), k - 1).map((r) => [x, ...r]));
}

/**
 * Searches candidate changes for ones that fit. `categories` hold options ordered from mildest
 * to most aggressive (e.g. ZeRO stages, tensor-parallel degrees, recompute modes); every option
 * must already be valid for the configuration. For each category the mildest single option that
 * fits; if none does, the mildest fitting combination from two, then three, ... categories (every
 * combination is tried before saying nothing fits: at most ∏(options + 1) checks). Each
 * candidate is judged only by `check`, so what is offered is exactly what would be accepted,
 * with the need `check` computed. A check returning a non-finite need (e.g. the layout cannot
 * be formed) counts as not fitting.
 */
export function fitAdvice<T, C extends FitCheck>(
  base: T, categories: readonly (readonly FitOption<T>[])[], check: (x: T) => C, max = 6,
): FitSearch<T, C> {
  const cats = categories.filter((c) => c.length > 0);
  let least: FitAlternative<T, C> | null = null;
  const evaluate = (opts: readonly FitOption<T>[]): FitAlternative<T, C> => {
    const config = opts.reduce((acc, o) => o.apply(acc), base);
    const alt = { sets: opts.flatMap((o) => o.sets), config, check: check(config) };
    if (Number.isFinite(alt.check.needBytes) && (least === null || alt.check.needBytes < least.check.needBytes)) least = alt;
    return alt;
  };
  for (let k = 1; k <= cats.length; k++) {
    const found: FitAlternative<T, C>[] = [];
    for (const group of subsets(cats, k)) {
      for (const opts of combos(group)) {
        const alt = evaluate(opts);
        if (alt.check.fits) {
          found.push(alt);
          break;
        }
      }
      if (found.length >= max) break;
    }
    if (found.length > 0) return { fits: found, least: null };
  }
  return { fits: [], least };
}

/** GB with one decimal (1 GB = 1e9 bytes). */
export function formatGB(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}
