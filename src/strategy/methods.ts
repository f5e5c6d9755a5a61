/**
 * Defaults of the training methods: bytes and compute of each compression scheme, and the
 * token efficiency (effective tokens per raw token) of low-communication methods.
 */
import type { CompressionKind, CompressionSpec } from './spec';

/**
 * Bytes per parameter on the wire and FLOP per parameter to encode + decode.
 * - none: the pseudo-gradient in fp32 (4 B), as DiLoCo sends it; data-parallel gradients use
 *   the training's gradient bytes instead (the caller decides).
 * - fp16: 2 B, "FP16 ... no loss of quality" (OpenDiLoCo, arXiv 2407.07852 [V abstract]).
 * - int8: 1 B + per-tensor scale (negligible); INTELLECT-1 `compression = "uint8"` [V config].
 *   Encode/decode ≈ 4 FLOP/param (scale, round, de-scale, accumulate) [M].
 * - int4: 0.5 B [M].
 * - topk: 1 % of values as bf16 value + int32 index = 0.01 × 6 B [D]; selection ≈ 10 FLOP/param [M].
 * - demo: DeMo (Peng et al. 2024) sends top-k DCT coefficients of chunks; 0.04 B/param
 *   (≈ 100× below fp32) [M]; DCT encode/decode ≈ 50 FLOP/param [M].
 */
export const COMPRESSION: Readonly<Record<CompressionKind, CompressionSpec>> = {
  none: { kind: 'none', bytesPerParam: 4, flopPerParam: 0 },
  fp16: { kind: 'fp16', bytesPerParam: 2, flopPerParam: 1 },
  int8: { kind: 'int8', bytesPerParam: 1, flopPerParam: 4 },
  int4: { kind: 'int4', bytesPerParam: 0.5, flopPerParam: 4 },
  topk: { kind: 'topk', bytesPerParam: 0.06, flopPerParam: 10 },
  demo: { kind: 'demo', bytesPerParam: 0.04, flopPerParam: 50 },
};

/**
 * Token efficiency of DiLoCo with H inner steps: η = 1 − 0.08·log10(H), the heuristic of
 * MIRI's decentralized-training simulator [S] (robirahman/miri-decentralized-training-report,
 * Simulator_Documentation.md §4, α ≈ 0.08). Synchronous
 * methods are the reference (η = 1). Override per scenario with `strategy.tokenEfficiency`.
 */
export function defaultTokenEfficiency(kind: 'data-parallel' | 'pipeline' | 'diloco', innerSteps: number): { value: number; source: string } {
  if (kind !== 'diloco') return { value: 1, source: 'synchronous training is the reference' };
  const value = Math.max(0.05, 1 - 0.08 * Math.log10(Math.max(1, innerSteps)));
  return { value, source: `MIRI heuristic 1 - 0.08*log10(H), H = ${innerSteps} [S] (robirahman/miri-decentralized-training-report)` };
}
