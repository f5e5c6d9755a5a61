/**
 * One GPU model, in SI units. Built from src/data/gpus.yaml (or a scenario's custom entry)
 * by catalog.ts; see that file's header for the conventions behind each number.
 */
import type { EfficiencyCurve } from './efficiency';
import type { Precision } from '../workload/spec';

export interface GpuSpec {
  readonly id: string;
  readonly name: string;
  readonly vendor: string;
  readonly year: number;
  /** Dense (no 2:4 sparsity) tensor peaks in FLOP/s. GeForce: the FP32-accumulate rate. fp8 null: no FP8 tensor cores. */
  readonly peakFlopS: { readonly bf16: number; readonly fp16: number; readonly fp8: number | null; readonly fp32: number };
  readonly memoryBytes: number;
  readonly memoryBandwidthBytesPerS: number;
  readonly tdpW: number;
  /** Scale-up link per GPU, PER DIRECTION (NVLink4 = 450 GB/s, PCIe Gen4 x16 = 31.5 GB/s). */
  readonly intraNode: { readonly kind: string; readonly bandwidthBytesPerS: number; readonly latencyS: number };
  /** Purchase price of the GPU alone; null where no figure exists. */
  readonly priceUsd: number | null;
  /** Representative rental price per GPU; null where none is offered. */
  readonly rentalUsdPerS: number | null;
  /** Mean time between failures of one GPU (incl. its share of host/network causes). */
  readonly mtbfS: number;
  /** GEMM efficiency vs GEMM FLOP size for this GPU. */
  readonly efficiency: EfficiencyCurve;
  /**
   * Set when `efficiency` comes from a measured calibration profile (src/calibrate/apply.ts);
   * absent for the built-in curves of src/data/defaults.yaml.
   */
  readonly efficiencyProfile?: EfficiencyProfileRef;
  /** Data-file field name (year, peak.bf16, memory, ...) -> "KEY [tag]" plus a short note if derived. */
  readonly sources: Readonly<Record<string, string>>;
}

/** Where a profiled GPU's efficiency curve came from. */
export interface EfficiencyProfileRef {
  /** The profile file as the scenario names it. */
  readonly file: string;
  readonly name: string;
  /** gpu.js backend that ran (cpu, webasm, headlessgl, webgpu) and the measurement date. */
  readonly backend: string;
  readonly date: string;
  /** How the curve's shape was scaled to this GPU's peak, in words. */
  readonly scaling: string;
}

/** "default" for a built-in curve, "profile <file>" for a measured one: what a run summary reports per GPU. */
export function efficiencySourceOf(gpu: GpuSpec): string {
  return gpu.efficiencyProfile ? `profile ${gpu.efficiencyProfile.file}` : 'default';
}

/** Numeric formats; the type lives with the workload's TrainingSpec (issue 13). */
export type { Precision };
export const PRECISIONS: readonly Precision[] = ['bf16', 'fp16', 'fp8', 'fp32'];

/** Data-file fields that hold a number (or a number's stand-in) and so need a source. */
export const GPU_SOURCED_FIELDS = [
  'year', 'peak.bf16', 'peak.fp16', 'peak.fp8', 'peak.fp32', 'memory', 'memoryBandwidth', 'tdp',
  'intraNode', 'price', 'rental', 'mtbf', 'efficiency',
] as const;

/**
 * Dense peak for a precision in FLOP/s.
 * fp8 on a GPU without FP8 tensor cores falls back to bf16: the framework would run the
 * layer in 16-bit. V100 and T4 have no bf16 either; their bf16 entry equals the fp16 rate
 * because training on them runs fp16.
 */
export function peakFor(gpu: GpuSpec, precision: Precision): number {
  if (precision === 'fp8') return gpu.peakFlopS.fp8 ?? gpu.peakFlopS.bf16;
  return gpu.peakFlopS[precision];
}

/** Data-file fields of `gpu` that lack a source; [] when every number is cited. */
export function missingSources(gpu: GpuSpec): string[] {
  return GPU_SOURCED_FIELDS.filter((f) => !(gpu.sources[f] ?? '').trim());
}
