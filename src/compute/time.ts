/**
 * Time of one micro-batch on one worker (a tensor-parallel group of GPUs in one node):
 * each GEMM at the efficiency its size achieves on this GPU, the memory-bound element-wise
 * kernels at memory bandwidth (roofline), and the tensor-parallel all-reduces over the
 * intra-node link. Pure function of its inputs.
 */
import type { GpuSpec } from './gpu';
import { peakFor } from './gpu';
import { efficiencyAt } from './efficiency';
import { stackEfficiency } from './stack';
import type { TrainingSpec } from '../workload/spec';
import type { ModelShape } from '../workload/model';
import { layerGemms, headGemms, type Gemm, flopsPerToken } from '../workload/flops';

/** Which part of the model a worker holds. */
export interface StageShape {
  readonly layers: number;
  readonly head: boolean;
}

export interface MicrobatchTime {
  readonly forwardS: number;
  /** Backward, including recomputed forward work. */
  readonly backwardS: number;
  /** Tensor-parallel communication inside forward + backward (already included in them). */
  readonly tpCommS: number;
  /** FLOP executed by the whole worker (hardware FLOP, with recomputation). */
  readonly hardwareFlop: number;
}

/**
 * Element-wise kernels (norms, activations, residual adds, dropout, softmax) move about twice
 * the bytes they store for backward: they read their input and write their output. Stored
 * bytes per token and layer follow Korthikanti et al. 2022 (34·h for a GPT layer without the
 * s² term) [S KORTHIKANTI]; the s² softmax term (5·a·s) applies without FlashAttention.
 */
function elementwiseBytesPerToken(m: ModelShape, flashAttention: boolean): number {
  return 2 * (34 * m.hidden + (flashAttention ? 0 : 5 * m.heads * m.seqLength));
}

/** HBM efficiency of large streaming kernels: Calculon's table gives 0.90 above 100 MB [V CALC-A100]. */
const MEMORY_EFFICIENCY = 0.9;

function gemmTimeS(gemms: readonly Gemm[], peak: number, gpu: GpuSpec): number {
  let t = 0;
  for (const g of gemms) {
    const one = 2 * g.m * g.n * g.k;
    t += (g.count * one) / (peak * efficiencyAt(gpu.efficiency, one));
  }
  return t;
}

/** Ring all-reduce over `tp` GPUs on the intra-node link: 2(t−1)/t · S/B + 2(t−1)·α. */
function tpAllReduceS(bytes: number, tp: number, bandwidthBytesPerS: number, latencyS: number): number {
  if (tp <= 1) return 0;
  return (2 * (tp - 1) / tp) * bytes / bandwidthBytesPerS + 2 * (tp - 1) * latencyS;
}

export function microbatchTime(
  model: ModelShape,
  training: TrainingSpec,
  gpu: GpuSpec,
  intraNode: { readonly bandwidthBytesPerS: number; readonly latencyS: number },
  tp: number,
  stage: StageShape,
  slowdown: number,
): MicrobatchTime {
  const tokens = training.microBatchSeqs * model.seqLength;
  const peak = peakFor(gpu, training.precision);
  const layer = layerGemms(model, tokens, tp);
  const layerGemmS = gemmTimeS(layer, peak, gpu);
  // Attention-core GEMMs alone, for selective recomputation.
  const attnGemmS = gemmTimeS(layer.filter((g) => g.label === 'attn-scores' || g.label === 'attn-values'), peak, gpu);
  const elementwiseS = (elementwiseBytesPerToken(model, training.flashAttention) * tokens) / tp
    / (gpu.memoryBandwidthBytesPerS * MEMORY_EFFICIENCY);
  // Megatron TP: two all-reduces of the layer's activations (T·h values) in forward, two in backward.
  const actBytes = tokens * model.hidden * training.weightBytesPerParam;
  const tpAr = tpAllReduceS(actBytes, tp, intraNode.bandwidthBytesPerS, intraNode.latencyS);
  // Kernel time the framework actually achieves (see stack.ts); communication is not scaled.
  const stack = stackEfficiency(gpu.id);
  const kernelS = (layerGemmS + elementwiseS) / stack;
  const layerFwdS = kernelS + 2 * tpAr;
  const headS = stage.head ? gemmTimeS(headGemms(model, tokens, tp), peak, gpu) / stack : 0;
  const recomputeS = training.recompute === 'full' ? layerFwdS : training.recompute === 'selective' ? attnGemmS / stack : 0;
  const forwardS = stage.layers * layerFwdS + headS;
  const backwardS = stage.layers * (2 * kernelS + 2 * tpAr + recomputeS) + 2 * headS;
  const tpCommS = stage.layers * (4 + (training.recompute === 'full' ? 2 : 0)) * tpAr;
  const perTok = flopsPerToken(model, training.recompute);
  const layerShare = stage.layers / model.layers;
  // Hardware FLOP of this stage: its share of the layer work plus the head if it holds it.
  const headFlopPerToken = 3 * 2 * model.vocab * model.hidden;
  const hardwareFlop = tokens * ((perTok.hardware - headFlopPerToken) * layerShare + (stage.head ? headFlopPerToken : 0));
  return { forwardS: forwardS * slowdown, backwardS: backwardS * slowdown, tpCommS, hardwareFlop };
}

/**
 * Optimizer step time: Adam reads and writes its fp32 master weights and two moments and the
 * gradient (about 2 × (12 + 2 + 2) bytes per parameter), memory-bound.
 */
export function optimizerStepS(paramsPerGpu: number, gpu: GpuSpec, training: TrainingSpec): number {
  const bytes = 2 * (training.optimizerBytesPerParam + training.weightBytesPerParam + training.gradBytesPerParam) * paramsPerGpu;
  return bytes / (gpu.memoryBandwidthBytesPerS * MEMORY_EFFICIENCY);
}
