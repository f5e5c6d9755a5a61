/**
 * The training run's input, resolved (token budget, batch, precision, memory accounting);
 * composed into a Scenario by src/scenario/resolve.ts. Workload imports nothing, so the
 * numeric precision names live here (compute/gpu.ts re-exports them).
 */
import type { Recompute } from './flops';

export type Precision = 'bf16' | 'fp16' | 'fp8' | 'fp32';

export interface TrainingSpec {
  /** Tokens to train on (raw, before any token-efficiency penalty). */
  readonly tokens: number;
  /** Tokens per optimizer step summed over all workers (for DiLoCo: per inner step over all groups). */
  readonly globalBatchTokens: number;
  readonly microBatchSeqs: number;
  readonly precision: Precision;
  readonly recompute: Recompute;
  readonly flashAttention: boolean;
  readonly weightBytesPerParam: number;
  readonly gradBytesPerParam: number;
  readonly optimizerBytesPerParam: number;
}
