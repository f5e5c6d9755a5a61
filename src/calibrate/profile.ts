/**
 * Calibration profiles: the JSON file `dtsim calibrate` writes and scenarios read.
 *
 * One zod schema gives the loader's checks (with field paths) and the JSON Schema
 * (`dtsim calibrate --schema`, profiles/profile.schema.json). Rates the simulator uses are
 * unit strings ("2.31 GFLOP/s"); the measurement table holds plain numbers whose unit is in
 * the field name (…S = seconds, gflops = GFLOP/s, flop = FLOP) and is cross-checked
 * (gflops must equal flop ÷ medianS), so a table written in other units is rejected.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseQuantity } from '../scenario/units';
import { MAX_EFFICIENCY, type EfficiencyCurve } from '../compute/efficiency';
import { BACKEND_NAMES, type BackendName } from './names';

export const PROFILE_SCHEMA_VERSION = 1;
export const PROFILE_KIND = 'dtsim-calibration-profile';

export class ProfileError extends Error {}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 50 ? `${s.slice(0, 47)}...` : s;
}

/** A FLOP/s unit string, kept as written (the loader converts with flopRate()). */
const rate = z.string().meta({ description: 'a compute rate like "2.31 GFLOP/s"' }).superRefine((v, ctx) => {
  const r = parseQuantity(v, 'flopRate');
  if (!r.ok) ctx.addIssue({ code: 'custom', message: `expected ${r.expected}, got ${show(v)}` });
  else if (!(r.value > 0)) ctx.addIssue({ code: 'custom', message: `expected a positive rate, got ${show(v)}` });
});

const backend = z.enum(BACKEND_NAMES);
const seconds = z.number().nonnegative().meta({ description: 'seconds' });
const posInt = z.number().int().positive();

const measurementSchema = z.strictObject({
  backend,
  kernelClass: z.string().min(1).meta({ description: 'class of the gpu.js kernel that ran (CPUKernel, WebAssemblyKernel, HeadlessGLKernel, WebGPUKernel)' }),
  kernel: z.string().min(1).meta({ description: 'naive | bt | bt-r4 (src/calibrate/kernels.ts)' }),
  threads: posInt,
  label: z.string().min(1).meta({ description: '"square" or the transformer GEMM (qkv, attn-scores, ...)' }),
  m: posInt, n: posInt, k: posInt,
  flop: z.number().positive().meta({ description: '2·m·n·k of one GEMM, FLOP' }),
  runs: z.number().int().min(5),
  medianS: z.number().positive(),
  minS: z.number().positive(),
  maxS: z.number().positive(),
  /** Interquartile range ÷ median. */
  spread: z.number().nonnegative().meta({ description: 'interquartile range of the run times ÷ median' }),
  gflops: z.number().positive().meta({ description: 'flop ÷ medianS ÷ 1e9 (readback included)' }),
  peakFraction: z.number().positive().nullable().meta({ description: 'achieved ÷ the device FP32 peak; null when the peak is unknown' }),
  firstCallS: seconds.meta({ description: 'the first call: compile, module build, worker spawn, plus one run' }),
  computeS: seconds.nullable().meta({ description: 'median without readback (GPU backends, pipeline mode); null where the backend returns host arrays' }),
  readbackS: seconds.nullable().meta({ description: 'median readback (GPU backends); null where it cannot be separated' }),
  check: z.strictObject({
    accumulation: z.enum(['f32', 'f64']),
    entries: posInt,
    sampled: z.boolean(),
    maxAbsError: z.number().nonnegative(),
    worstRatio: z.number().nonnegative().lt(1).meta({ description: 'largest |error| ÷ tolerance; < 1 passed' }),
  }),
}).superRefine((m, ctx) => {
  const flop = 2 * m.m * m.n * m.k;
  if (Math.abs(m.flop / flop - 1) > 1e-9) ctx.addIssue({ code: 'custom', path: ['flop'], message: `expected 2·m·n·k = ${flop} FLOP, got ${m.flop}` });
  const g = m.flop / m.medianS / 1e9;
  if (Math.abs(m.gflops / g - 1) > 0.01) {
    ctx.addIssue({ code: 'custom', path: ['gflops'], message: `expected flop ÷ medianS = ${g.toPrecision(4)} GFLOP/s, got ${m.gflops} (wrong units? gflops is GFLOP/s, medianS seconds)` });
  }
  if (!(m.minS <= m.medianS && m.medianS <= m.maxS)) ctx.addIssue({ code: 'custom', path: ['medianS'], message: `expected minS ≤ medianS ≤ maxS, got ${m.minS}, ${m.medianS}, ${m.maxS}` });
});

const curvePoint = z.tuple([z.number(), z.number()]);

const curveSchema = z.strictObject({
  points: z.array(curvePoint).min(1).meta({ description: '[GEMM FLOP, achieved ÷ plateau]: FLOP ascending; the highest point is the plateau, 1; efficiency non-decreasing up to it' }),
  source: z.string().min(1),
}).superRefine((c, ctx) => {
  let bad = false;
  c.points.forEach(([flop, eff], i) => {
    const at = (message: string) => {
      bad = true;
      ctx.addIssue({ code: 'custom', path: ['points', i], message });
    };
    if (!Number.isFinite(flop) || flop < 1e3) at(`GEMM size ${flop} is not a FLOP count (2·m·n·k ≥ 1e3; GFLOP given?)`);
    else if (!Number.isFinite(eff) || eff <= 0) at(`efficiency ${eff} must be a positive fraction`);
    else if (eff > MAX_EFFICIENCY) at(`efficiency ${eff} is above ${MAX_EFFICIENCY}: give a fraction of the plateau, not a percent`);
    else if (i > 0 && !(flop > c.points[i - 1][0])) at(`GEMM sizes must be strictly ascending (${c.points[i - 1][0]} then ${flop})`);
  });
  if (bad) return;
  // Efficiency rises to the plateau (the best throughput, 1); past it, it may fall (caches).
  const top = Math.max(...c.points.map((q) => q[1]));
  const peakAt = c.points.findIndex((q) => q[1] === top);
  if (Math.abs(top - 1) > 1e-6) {
    ctx.addIssue({ code: 'custom', path: ['points', peakAt], message: `the highest point is the plateau and must be 1, got ${top}` });
    return;
  }
  for (let i = 1; i <= peakAt; i++) {
    const [pf, pe] = c.points[i - 1];
    const [f, e] = c.points[i];
    if (e < pe) {
      ctx.addIssue({ code: 'custom', path: ['points', i], message: `efficiency must not decrease below the plateau (${pe} at ${pf} FLOP, then ${e} at ${f})` });
      return;
    }
  }
});

const deviceSchema = z.strictObject({
  kind: z.enum(['cpu', 'gpu']).meta({ description: 'what executed the kernels: a software rasterizer counts as cpu' }),
  description: z.string().min(1),
  cpu: z.string().min(1).meta({ description: 'host CPU description' }),
  adapter: z.string().nullable().meta({ description: 'GPU adapter / GL renderer, null for cpu and webasm' }),
  software: z.boolean().meta({ description: 'a GPU API served by a software rasterizer on the CPU' }),
  memoryBytes: z.number().positive().optional(),
});

const backendSummarySchema = z.strictObject({
  backend,
  requested: z.enum([...BACKEND_NAMES, 'auto']),
  kernelClass: z.string().min(1),
  threads: posInt,
  deviceKind: z.enum(['cpu', 'gpu']),
  adapter: z.string().nullable(),
  setupS: seconds.meta({ description: 'GPU object (and WebGPU adapter/device) creation' }),
  firstKernelExtraS: seconds.meta({ description: 'first call of the first kernel minus its median: compile, worker spawn, context' }),
  plateau: rate.meta({ description: 'best median GFLOP/s of the optimized kernel' }),
  peakFraction: z.number().positive().nullable(),
  fallbackReason: z.string().nullable(),
});

export const profileSchema = z.strictObject({
  $schema: z.string().optional(),
  kind: z.literal(PROFILE_KIND),
  schemaVersion: z.literal(PROFILE_SCHEMA_VERSION),
  name: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}T/, 'expected an ISO 8601 date-time'),
  backend: backend.meta({ description: 'backend whose measurements give the curve (the class that ran, not the mode asked for)' }),
  kernelClass: z.string().min(1),
  kernel: z.string().min(1),
  threads: posInt,
  device: deviceSchema,
  peak: z.strictObject({
    fp32: rate.nullable().meta({ description: 'FP32 peak of the device that ran the kernels; null when unknown' }),
    source: z.string().min(1),
  }),
  plateau: rate.meta({ description: 'achieved GFLOP/s at large GEMMs (the curve is relative to it)' }),
  curve: curveSchema,
  software: z.strictObject({
    node: z.string().min(1), gpujs: z.string().min(1), webgpu: z.string().nullable(), dtsim: z.string().min(1),
    os: z.string().min(1), arch: z.string().min(1),
  }),
  conditions: z.strictObject({
    runs: z.number().int().min(5),
    warmup: z.number().int().min(1),
    loadAverage: z.tuple([z.number(), z.number()]).meta({ description: '1-minute load average before and after: other work on the machine skews the figures' }),
    seed: z.number().int(),
    model: z.string().nullable(),
  }),
  backends: z.array(backendSummarySchema).min(1),
  measurements: z.array(measurementSchema).min(1),
  skipped: z.array(z.strictObject({ backend, kernel: z.string(), label: z.string(), m: posInt, n: posInt, k: posInt, reason: z.string() })),
  reference: z.strictObject({
    numpy: z.strictObject({
      python: z.string(), version: z.string(), blas: z.string(),
      results: z.array(z.strictObject({
        n: posInt, medianS: z.number().positive(), gflops: z.number().positive().meta({ description: 'default BLAS threading' }),
        singleThreadGflops: z.number().positive().meta({ description: 'OPENBLAS_NUM_THREADS=1' }),
      })),
    }).nullable(),
    note: z.string(),
  }),
}).superRefine((p, ctx) => {
  if ((p.backend === 'cpu' || p.backend === 'webasm') && p.device.kind === 'gpu') {
    ctx.addIssue({ code: 'custom', path: ['device', 'kind'], message: `a ${p.backend} run executes on the CPU and cannot be labelled a GPU` });
  }
  if (p.device.software && p.device.kind === 'gpu') {
    ctx.addIssue({ code: 'custom', path: ['device', 'kind'], message: 'a software rasterizer runs on the CPU and cannot be labelled a GPU' });
  }
  p.backends.forEach((b, i) => {
    if ((b.backend === 'cpu' || b.backend === 'webasm') && b.deviceKind === 'gpu') {
      ctx.addIssue({ code: 'custom', path: ['backends', i, 'deviceKind'], message: `a ${b.backend} run executes on the CPU and cannot be labelled a GPU` });
    }
  });
  if (!p.measurements.some((m) => m.backend === p.backend)) {
    ctx.addIssue({ code: 'custom', path: ['backend'], message: `no measurement of backend '${p.backend}'` });
  }
});

export type Profile = z.output<typeof profileSchema>;
export type Measurement = Profile['measurements'][number];
export type BackendSummary = Profile['backends'][number];

/** JSON Schema of profile files (input side). */
export function profileJsonSchema(): unknown {
  return {
    ...(z.toJSONSchema(profileSchema, { io: 'input', unrepresentable: 'any' }) as object),
    title: 'dtsim calibration profile',
  };
}

/** A FLOP/s unit string in FLOP/s (assumes it passed the schema). */
export function flopRate(text: string): number {
  const r = parseQuantity(text, 'flopRate');
  if (!r.ok) throw new Error(`expected ${r.expected}, got ${show(text)}`);
  return r.value;
}

/** A rate as stored in a profile: GFLOP/s to 12 significant digits (no rounding the simulator would see). */
export function exactRate(flopS: number): string {
  return `${Number((flopS / 1e9).toPrecision(12))} GFLOP/s`;
}

/** "1.234 GFLOP/s" with 4 significant digits in a fitting prefix. */
export function formatRate(flopS: number): string {
  const units: [number, string][] = [[1e15, 'PFLOP/s'], [1e12, 'TFLOP/s'], [1e9, 'GFLOP/s'], [1e6, 'MFLOP/s']];
  for (const [f, u] of units) if (flopS >= f) return `${Number((flopS / f).toPrecision(4))} ${u}`;
  return `${Number(flopS.toPrecision(4))} FLOP/s`;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

/** Validates a parsed profile; throws ProfileError "FILE: FIELD: problem" (one line, first problem, count of the rest). */
export function parseProfile(raw: unknown, file: string): Profile {
  const r = profileSchema.safeParse(raw, { reportInput: true });
  if (r.success) return r.data;
  const issues = r.error.issues;
  const first = issues[0];
  let message = first.message;
  if (first.code === 'invalid_type') message = `expected ${first.expected}, got ${show((first as { input?: unknown }).input)}`;
  if (first.code === 'unrecognized_keys') message = `unknown field${first.keys.length > 1 ? 's' : ''} ${first.keys.map((k) => `'${k}'`).join(', ')}`;
  if (first.code === 'invalid_value') message = `expected ${first.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${show((first as { input?: unknown }).input)}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw new ProfileError(`${file}: ${pathText(first.path) || '(top)'}: ${message}${more}`);
}

/** Reads and validates a profile file. */
export function loadProfile(file: string): Profile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ProfileError(`${file}: cannot read profile (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ProfileError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return parseProfile(raw, file);
}

// ---------- the efficiency curve ----------

/** Non-decreasing least-squares fit (pool adjacent violators) of `values` in the given order. */
export function isotonic(values: readonly number[]): number[] {
  const blocks: { sum: number; count: number }[] = [];
  for (const v of values) {
    blocks.push({ sum: v, count: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1], a = blocks[blocks.length - 2];
      if (a.sum / a.count <= b.sum / b.count) break;
      blocks.splice(blocks.length - 2, 2, { sum: a.sum + b.sum, count: a.count + b.count });
    }
  }
  return blocks.flatMap((b) => Array(b.count).fill(b.sum / b.count));
}

/**
 * The curve from measurements of one backend and kernel family: medians per GEMM FLOP (equal
 * sizes averaged: the simulator's curves are functions of FLOP only), divided by the best, the
 * plateau. Below the plateau's size the values are fitted non-decreasing (efficiency rises
 * with GEMM size; a dip there is noise); above it they are kept as measured (CPU caches make
 * large GEMMs slower). Returns the plateau in FLOP/s too.
 */
export function buildCurve(ms: readonly Pick<Measurement, 'flop' | 'gflops'>[], source: string): { curve: EfficiencyCurve; plateauFlopS: number } {
  if (ms.length === 0) throw new Error('no measurements to build a curve from');
  const byFlop = new Map<number, number[]>();
  for (const m of ms) byFlop.set(m.flop, [...(byFlop.get(m.flop) ?? []), m.gflops]);
  const xs = [...byFlop.keys()].sort((a, b) => a - b);
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const ys = xs.map((x) => mean(byFlop.get(x)!));
  const plateau = Math.max(...ys);
  const top = ys.indexOf(plateau);
  const fitted = [...isotonic(ys.slice(0, top + 1)), ...ys.slice(top + 1)];
  const points = xs.map((x, i) => [x, i === top ? 1 : Number((fitted[i] / plateau).toPrecision(9))] as const);
  return { curve: { points, source }, plateauFlopS: plateau * 1e9 };
}

/** Measurements the curve of `p` comes from: its backend and thread count, optimized kernels. */
export function curveMeasurements(p: Pick<Profile, 'measurements'>, backend: string, threads: number): Measurement[] {
  return p.measurements.filter((m) => m.backend === backend && m.threads === threads && m.kernel !== 'naive');
}

/** The text of a curve's `source`. */
export function curveSource(date: string, gpujs: string, b: Pick<BackendSummary, 'backend' | 'kernelClass' | 'threads'>, kernels: string, device: string, count: number): string {
  return `dtsim calibrate ${date.slice(0, 10)}: gpu.js ${gpujs} ${b.backend} (${b.kernelClass}, ${b.threads} thread${b.threads > 1 ? 's' : ''}) ${kernels} on ${device}; ${count} medians ÷ the best (plateau), non-decreasing fit below it`;
}

/**
 * The profile with its curve and plateau computed again from its measurements (`dtsim
 * calibrate --refit`), for its own primary backend or another one measured on the same device.
 */
export function refitProfile(p: Profile, primary: BackendName | null, file: string): Profile {
  const candidates = p.backends.filter((b) => b.backend === (primary ?? p.backend) && (primary !== null || b.threads === p.threads));
  if (candidates.length === 0) throw new ProfileError(`${file}: backends: no backend '${primary}' (measured: ${p.backends.map((b) => b.backend).join(', ')})`);
  const b = candidates.reduce((x, y) => (flopRate(y.plateau) > flopRate(x.plateau) ? y : x));
  if (b.deviceKind !== p.device.kind) throw new ProfileError(`${file}: backends: ${b.backend} ran on a ${b.deviceKind}, the profile's device is a ${p.device.kind}; run dtsim calibrate again`);
  const ms = curveMeasurements(p, b.backend, b.threads);
  const kernels = [...new Set(ms.map((m) => m.kernel))].join('/');
  const description = b.adapter ?? p.device.cpu;
  const { curve, plateauFlopS } = buildCurve(ms, curveSource(p.date, p.software.gpujs, b, kernels, description, ms.length));
  const { $schema: _drop, ...rest } = floorCpuPeak(p);
  return parseProfile({
    ...rest, backend: b.backend, kernelClass: b.kernelClass, threads: b.threads, kernel: kernels,
    device: { ...p.device, description: b.adapter ? `${b.adapter}${p.device.software ? ' — software rasterizer on the CPU' : ''}` : p.device.cpu, adapter: b.adapter },
    plateau: exactRate(plateauFlopS), curve,
  }, file);
}

/**
 * A CPU's peak is estimated at its reported clock (host.ts); when numpy's BLAS runs faster than
 * that, the CPUs run above it (boost), and the peak becomes numpy's best rate, a lower bound
 * of the true one, with the fractions of peak of the CPU-run backends recomputed. Profiles
 * whose device is a GPU are returned as they are.
 */
export function floorCpuPeak<P extends Pick<Profile, 'device' | 'peak' | 'backends' | 'measurements' | 'reference'>>(p: P): P {
  const np = p.reference.numpy;
  if (p.device.kind !== 'cpu' || !np || np.results.length === 0) return p;
  const best = Math.max(...np.results.map((r) => Math.max(r.gflops, r.singleThreadGflops))) * 1e9;
  const estimate = p.peak.fp32 ? flopRate(p.peak.fp32) : 0;
  if (best <= estimate) return p;
  const fraction = (flopS: number) => Number((flopS / best).toPrecision(4));
  const cpuRun = new Set(p.backends.filter((b) => b.deviceKind === 'cpu').map((b) => `${b.backend}/${b.threads}`));
  return {
    ...p,
    peak: {
      fp32: formatRate(best),
      source: `numpy's best float32 matmul, ${formatRate(best)}, as a lower bound: it beats the estimate at the reported clock (${p.peak.fp32 ?? 'none'}: ${p.peak.source}), so the CPUs run faster than reported`,
    },
    backends: p.backends.map((b) => (b.deviceKind === 'cpu' ? { ...b, peakFraction: fraction(flopRate(b.plateau)) } : b)),
    measurements: p.measurements.map((m) => (cpuRun.has(`${m.backend}/${m.threads}`) ? { ...m, peakFraction: fraction(m.gflops * 1e9) } : m)),
  };
}
