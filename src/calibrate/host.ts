/**
 * What the calibration ran on: the CPU (from /proc/cpuinfo where there is one), its FP32
 * peak estimate, and whether a GPU adapter or GL renderer is a real GPU or a software
 * rasterizer on the CPU.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface CpuInfo {
  readonly model: string;
  readonly vendor: string;
  /** Logical CPUs visible to Node (os.availableParallelism()). */
  readonly cores: number;
  /** Nominal clock in MHz as the OS reports it (a VM reports the host's base clock). */
  readonly mhz: number | null;
  readonly family: number | null;
  /** SIMD features that set the peak: avx512f, avx2, fma, avx, neon/asimd. */
  readonly simd: readonly string[];
}

export interface PeakEstimate {
  /** FLOP/s, or null when unknown. */
  readonly flopS: number | null;
  /** How it was obtained: the formula with its numbers, or "given with --peak". */
  readonly source: string;
}

const SIMD_FLAGS = ['avx512f', 'avx2', 'fma', 'avx', 'asimd', 'neon', 'sse2'];

/** CPU description; `cpuinfo` text may be passed for tests. */
export function cpuInfo(cpuinfo?: string): CpuInfo {
  let text = cpuinfo;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      text = '';
    }
  }
  const field = (name: string) => {
    const m = new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(text!);
    return m ? m[1].trim() : null;
  };
  const cpus = os.cpus();
  const flags = new Set((field('flags') ?? field('Features') ?? '').split(/\s+/));
  const mhz = Number(field('cpu MHz'));
  const family = Number(field('cpu family'));
  return {
    model: field('model name') ?? cpus[0]?.model ?? os.arch(),
    vendor: field('vendor_id') ?? field('CPU implementer') ?? 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    mhz: Number.isFinite(mhz) && mhz > 0 ? mhz : cpus[0]?.speed || null,
    family: Number.isFinite(family) && field('cpu family') !== null ? family : null,
    simd: SIMD_FLAGS.filter((f) => flags.has(f)),
  };
}

/**
 * FP32 FLOP per cycle per core from the SIMD features: FMA units × lanes × 2.
 * - AMD family 25 (Zen 3/4): two 256-bit FMA pipes; Zen 4 runs AVX-512 as two 256-bit halves
 *   → 2 × 8 × 2 = 32 (AMD, "Software Optimization Guide for the AMD Zen4 Microarchitecture",
 *   publication 57647, floating-point unit).
 * - AMD family 26 (Zen 5) and Intel with AVX-512: two 512-bit FMA units → 2 × 16 × 2 = 64
 *   (Intel 64 and IA-32 Architectures Optimization Reference Manual; some Xeon SKUs have
 *   one 512-bit FMA unit: half this).
 * - AVX2 + FMA (Haswell and later, Zen 1/2): 2 × 8 × 2 = 32. AVX without FMA: 16. SSE2: 8.
 * - Arm with NEON/ASIMD: 2 × 4 × 2 = 16 (two 128-bit FMA pipes, e.g. Neoverse N1).
 */
export function flopPerCycle(cpu: CpuInfo): { value: number; basis: string } {
  const has = (f: string) => cpu.simd.includes(f);
  const amd = /AMD/i.test(cpu.vendor);
  if (has('avx512f')) {
    if (amd && cpu.family === 25) return { value: 32, basis: 'AVX-512 on AMD family 25 (Zen 4: two 256-bit FMA pipes, 512-bit ops double-pumped)' };
    return { value: 64, basis: 'AVX-512, two 512-bit FMA units (one-unit SKUs reach half)' };
  }
  if (has('avx2') && has('fma')) return { value: 32, basis: 'AVX2, two 256-bit FMA units' };
  if (has('avx')) return { value: 16, basis: 'AVX without FMA' };
  if (has('asimd') || has('neon')) return { value: 16, basis: 'Arm NEON, two 128-bit FMA pipes' };
  return { value: 8, basis: 'SSE2' };
}

/** Theoretical FP32 peak of all logical CPUs at the reported clock. */
export function cpuPeak(cpu: CpuInfo): PeakEstimate {
  if (cpu.mhz === null) return { flopS: null, source: 'unknown: the OS reports no clock' };
  const f = flopPerCycle(cpu);
  const flopS = cpu.cores * cpu.mhz * 1e6 * f.value;
  return {
    flopS,
    source: `${cpu.cores} logical CPUs × ${(cpu.mhz / 1000).toFixed(3)} GHz (reported clock) × ${f.value} FP32 FLOP/cycle (${f.basis}) [D]; boost clocks raise it, SMT siblings sharing a core lower it`,
  };
}

export function describeCpu(cpu: CpuInfo): string {
  return `${cpu.model} (${cpu.vendor}${cpu.family !== null ? ` family ${cpu.family}` : ''}), ${cpu.cores} logical CPUs${cpu.mhz ? ` at ${(cpu.mhz / 1000).toFixed(2)} GHz` : ''}, ${cpu.simd.join('/') || 'no SIMD flags'}`;
}

/** Software rasterizers and fallback adapters: a "GPU" backend that really runs on the CPU. */
const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|swrast|software|microsoft basic render|warp/i;

export function isSoftwareRenderer(description: string, fallbackAdapter = false): boolean {
  return fallbackAdapter || SOFTWARE.test(description);
}

export function hostMemoryBytes(): number {
  return os.totalmem();
}
