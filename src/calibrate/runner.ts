/**
 * The calibration run: matmuls over square sizes (and a transformer layer's GEMM shapes) on
 * each requested gpu.js backend, timed, checked against float64, summarized into a profile.
 *
 * Per kernel and shape: the first call is timed on its own (gpu.js builds lazily: kernel
 * compile, WebAssembly module, worker pool, GL context or WebGPU pipeline), then one warm-up
 * call, then `runs` (≥ 5) timed calls, each awaited and including argument upload and
 * readback into JavaScript arrays. GPU backends are also run in pipeline mode to time the
 * compute alone (until the device queue drains) and the readback alone. The first and the
 * last result are checked against float64 (check.ts); a wrong result throws
 * CalibrationError, so no profile exists.
 */
import os from 'node:os';
import { Input } from 'gpu.js';
import type { ModelShape } from '../workload/model';
import { layerGemms } from '../workload/flops';
import { KERNELS, bestKernelFor, flatten, kernelFits, randomMatrix, transpose, type KernelDef } from './kernels';
import { checkResult, reference, type CheckResult, type Reference } from './check';
import {
  ACCUMULATION, BackendUnavailable, adapterOfKernel, gpujsVersion, identifyKernel, openBackend, webgpuVersion,
  type AdapterInfo, type BackendName, type BackendRequest, type KernelIdentity, type OpenBackend,
} from './backends';
import { cpuInfo, cpuPeak, describeCpu, hostMemoryBytes, type PeakEstimate } from './host';
import { numpyBenchmark, type NumpyResult } from './numpy';
import {
  PROFILE_KIND, PROFILE_SCHEMA_VERSION, buildCurve, curveMeasurements, curveSource, exactRate, floorCpuPeak, formatRate, parseProfile,
  type BackendSummary, type Measurement, type Profile,
} from './profile';

/** A calibration that cannot give a trustworthy profile; exitCode 1 = a wrong kernel result, 2 = bad options or fallback. */
export class CalibrationError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2 = 1) {
    super(message);
  }
}

export interface Shape {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly label: string;
}

export interface ModelSpec {
  readonly name: string;
  readonly shape: ModelShape;
  readonly microBatch: number;
}

export interface CalibrateOptions {
  readonly name: string;
  readonly backends: readonly BackendRequest[];
  readonly sizes: readonly number[];
  readonly model?: ModelSpec | null;
  /** Timed runs per kernel and shape (≥ 5). */
  readonly runs: number;
  /** Kernels to run on every shape; default: the best that fits each shape (bt-r4, else bt). */
  readonly kernels?: readonly KernelDef[] | null;
  /** Also run the gpu.js README kernel on square sizes up to this (0 = never), as the baseline. */
  readonly naiveMaxSize: number;
  /** Skip a shape whose predicted time per run exceeds this. */
  readonly maxRunSeconds: number;
  /** Record a backend other than the one asked for instead of stopping. */
  readonly allowFallback: boolean;
  /** Backend whose measurements give the curve; default the fastest. */
  readonly primary?: BackendName | null;
  /** Peak of a real GPU (from --peak or --gpu-id); CPU peaks are estimated (host.ts) unless `cpuPeak` is given. */
  readonly gpuPeak?: PeakEstimate | null;
  readonly cpuPeak?: PeakEstimate | null;
  /** python executable for the numpy peer, or null to skip it. */
  readonly python?: string | null;
  readonly seed: number;
  readonly dawnFlags?: readonly string[] | null;
  readonly dtsimVersion?: string;
  readonly onEvent?: (e: CalibrateEvent) => void;
  /** Opens a backend (tests substitute one whose kernels fall back). */
  readonly open?: typeof openBackend;
}

export type CalibrateEvent =
  | { readonly kind: 'job'; readonly index: number; readonly total: number; readonly text: string }
  | { readonly kind: 'step'; readonly index: number; readonly total: number; readonly step: number; readonly steps: number; readonly text: string }
  | { readonly kind: 'done'; readonly index: number; readonly total: number; readonly text: string }
  | { readonly kind: 'note'; readonly text: string };

interface Job {
  readonly phase: 1 | 2;
  readonly kernel: KernelDef;
  readonly shape: Shape;
  /** Part of the optimized set (feeds plateau and curve), as opposed to the naive baseline. */
  readonly optimized: boolean;
}

interface Inputs {
  readonly a: Float32Array;
  readonly b: Float32Array;
  bt: Float32Array | null;
  ref: Reference | null;
}

const WARMUP = 1;

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function stats(times: readonly number[]): { medianS: number; minS: number; maxS: number; spread: number } {
  const s = [...times].sort((x, y) => x - y);
  const medianS = quantile(s, 0.5);
  return { medianS, minS: s[0], maxS: s[s.length - 1], spread: (quantile(s, 0.75) - quantile(s, 0.25)) / medianS };
}

/** Forward GEMMs of one transformer layer at micro-batch × sequence tokens, one of each shape (batched ones measured once). */
export function modelShapes(model: ModelSpec): Shape[] {
  const tokens = model.microBatch * model.shape.seqLength;
  return layerGemms(model.shape, tokens, 1).filter((g) => g.count > 0).map((g) => ({ m: g.m, n: g.n, k: g.k, label: g.label ?? 'gemm' }));
}

const shapeText = (s: Shape) => `${s.m}×${s.n}×${s.k}${s.label === 'square' ? '' : ` ${s.label}`}`;

/** Runs the calibration and returns a validated profile; throws CalibrationError or BackendUnavailable. */
export async function runCalibration(opts: CalibrateOptions): Promise<Profile> {
  if (opts.runs < 5) throw new CalibrationError(`--runs must be at least 5, got ${opts.runs}`, 2);
  if (opts.backends.length === 0) throw new CalibrationError('no backend to calibrate', 2);
  const emit = opts.onEvent ?? (() => {});
  const load0 = os.loadavg()[0];
  const cpu = cpuInfo();
  const cpuPk = opts.cpuPeak ?? cpuPeak(cpu);
  const inputs = new Map<string, Inputs>();
  const getInputs = (s: Shape): Inputs => {
    const key = `${s.m}x${s.n}x${s.k}`;
    let v = inputs.get(key);
    if (!v) {
      v = { a: randomMatrix(s.m * s.k, opts.seed * 7919 + s.m), b: randomMatrix(s.k * s.n, opts.seed * 104729 + s.n + 3 * s.k), bt: null, ref: null };
      inputs.set(key, v);
    }
    return v;
  };

  const squares: Shape[] = opts.sizes.map((n) => ({ m: n, n, k: n, label: 'square' }));
  const kernelsFor = (s: Shape): KernelDef[] => (opts.kernels ?? [bestKernelFor(s.m, s.k)]).filter((d) => kernelFits(d, s.m, s.k));
  const phase1 = (): Job[] => squares.flatMap((s) => [
    ...kernelsFor(s).map((kernel) => ({ phase: 1 as const, kernel, shape: s, optimized: true })),
    ...(s.n <= opts.naiveMaxSize && !(opts.kernels ?? []).some((d) => d.name === 'naive')
      ? [{ phase: 1 as const, kernel: KERNELS.naive, shape: s, optimized: false }] : []),
  ]);
  const shapes2 = opts.model ? modelShapes(opts.model) : [];
  const phase2 = (): Job[] => shapes2.flatMap((s) => kernelsFor(s).map((kernel) => ({ phase: 2 as const, kernel, shape: s, optimized: true })));
  const total = opts.backends.length * phase1().length + phase2().length;
  let index = 0;

  const measurements: Measurement[] = [];
  const summaries: BackendSummary[] = [];
  const skipped: Profile['skipped'] = [];
  const devices = new Map<BackendName, { adapter: AdapterInfo | null }>();

  const runJobs = async (request: BackendRequest, jobs: Job[]): Promise<void> => {
    const be = await (opts.open ?? openBackend)(request, { dawnFlags: opts.dawnFlags });
    let actual: BackendName | null = null;
    let firstIdentity: KernelIdentity | null = null;
    let firstExtra: number | null = null;
    /** Called right after each kernel's first call: the backend that ran, not the one asked for. */
    const onIdentity = (identity: KernelIdentity, adapter: AdapterInfo | null) => {
      if (identity.backend === null) throw new CalibrationError(`${request.name}: gpu.js ran an unknown kernel class ${identity.className}`);
      if (actual === null) {
        actual = identity.backend;
        firstIdentity = identity;
        if (request.name !== 'auto' && actual !== request.name) {
          const msg = `asked for the ${request.name} backend, but gpu.js ran ${identity.className}${identity.fallbackReason ? ` (${identity.fallbackReason})` : ''}`;
          if (!opts.allowFallback) throw new CalibrationError(`${msg}; rerun with --allow-fallback to record it as ${actual}; no profile written`, 2);
          emit({ kind: 'note', text: `${msg}: recorded as ${actual}` });
        }
        if (request.name === 'auto') emit({ kind: 'note', text: `auto: gpu.js ran ${identity.className} (${actual})` });
        be.adapter = be.adapter ?? adapter;
        devices.set(actual, { adapter: be.adapter });
      } else if (identity.backend !== actual) {
        throw new CalibrationError(`${request.name}: gpu.js switched from ${firstIdentity!.className} to ${identity.className} between kernels`);
      }
    };
    try {
      // Kernels of one shape are timed together, their runs interleaved, so a change in the
      // machine's load affects them alike and their ratio stays fair.
      for (const group of groupByShape(jobs)) {
        const todo: { job: Job; index: number }[] = [];
        for (const job of group) {
          index++;
          const familyBest = bestRate(measurements, actual, job.kernel.name);
          const flop = 2 * job.shape.m * job.shape.n * job.shape.k;
          const required = job.optimized && job.shape.label === 'square' && job.shape.n <= 2048;
          if (!required && familyBest !== null && flop / familyBest > opts.maxRunSeconds) {
            const reason = `predicted ${(flop / familyBest).toFixed(0)} s per run at ${formatRate(familyBest)} > --max-run-seconds ${opts.maxRunSeconds}`;
            skipped.push({ backend: actual!, kernel: job.kernel.name, label: job.shape.label, m: job.shape.m, n: job.shape.n, k: job.shape.k, reason });
            emit({ kind: 'done', index, total, text: `${actual} ${job.kernel.name} ${shapeText(job.shape)}: skipped (${reason})` });
            continue;
          }
          todo.push({ job, index });
        }
        if (todo.length === 0) continue;
        const last = todo[todo.length - 1].index;
        const head = `${actual ?? request.name} ${todo.map((t) => t.job.kernel.name).join('+')} ${shapeText(todo[0].job.shape)}`;
        emit({ kind: 'job', index: last, total, text: head });
        const results = await measureShape(be, todo.map((t) => t.job), getInputs(todo[0].job.shape), opts, onIdentity,
          (step, steps) => emit({ kind: 'step', index: last, total, step, steps, text: head }));
        results.forEach((r, i) => {
          if (firstExtra === null) firstExtra = Math.max(0, r.m.firstCallS - r.m.medianS);
          const m: Measurement = { ...r.m, backend: actual!, kernelClass: r.identity.className, peakFraction: null };
          measurements.push(m);
          emit({ kind: 'done', index: todo[i].index, total, text: `${actual} ${m.kernel} ${shapeText(todo[i].job.shape)}: ${m.gflops.toPrecision(3)} GFLOP/s (IQR ${(100 * m.spread).toFixed(0)} %, first call ${(m.firstCallS * 1000).toFixed(0)} ms)` });
        });
      }
    } finally {
      await be.close();
    }
    if (actual !== null && jobs[0]?.phase === 1) {
      const adapter = devices.get(actual)?.adapter ?? null;
      summaries.push({
        backend: actual, requested: request.name, kernelClass: firstIdentity!.className, threads: be.threads,
        deviceKind: deviceKind(actual, adapter), adapter: adapter?.description ?? null,
        setupS: be.setupS, firstKernelExtraS: firstExtra ?? 0, plateau: '1 FLOP/s', peakFraction: null,
        fallbackReason: firstIdentity!.fallbackReason,
      });
    }
  };

  for (const request of opts.backends) await runJobs(request, phase1());

  // Peaks per device kind; plateau and fraction of peak per backend.
  const peakOf = (b: BackendName): PeakEstimate => {
    const kind = deviceKind(b, devices.get(b)?.adapter ?? null);
    return kind === 'cpu' ? cpuPk : opts.gpuPeak ?? { flopS: null, source: 'unknown: give --peak or --gpu-id' };
  };
  const plateauOf = (b: BackendName, threads: number) => Math.max(...measurements
    .filter((m) => m.backend === b && m.threads === threads && m.kernel !== 'naive').map((m) => m.gflops * 1e9));
  for (const s of summaries) {
    const p = plateauOf(s.backend, s.threads);
    const peak = peakOf(s.backend).flopS;
    Object.assign(s, { plateau: formatRate(p), peakFraction: peak ? round(p / peak) : null });
  }
  if (summaries.length === 0) throw new CalibrationError('no backend produced a measurement');
  const primarySummary = opts.primary
    ? summaries.find((s) => s.backend === opts.primary)
    : [...summaries].sort((x, y) => plateauOf(y.backend, y.threads) - plateauOf(x.backend, x.threads))[0];
  if (!primarySummary) throw new CalibrationError(`--primary ${opts.primary}: that backend was not measured (measured: ${summaries.map((s) => s.backend).join(', ')})`, 2);

  if (shapes2.length > 0) {
    const request = opts.backends.find((r) => r.name === primarySummary.requested && (r.threads ?? 1) === primarySummary.threads)
      ?? { name: primarySummary.backend, threads: primarySummary.threads };
    emit({ kind: 'note', text: `model GEMM shapes of ${opts.model!.name} at micro-batch ${opts.model!.microBatch} on ${primarySummary.backend}` });
    await runJobs(request, phase2());
  }
  for (const m of measurements) {
    const peak = peakOf(m.backend).flopS;
    (m as { peakFraction: number | null }).peakFraction = peak ? round((m.gflops * 1e9) / peak) : null;
  }

  let numpy: NumpyResult | null = null;
  let numpyNote = 'numpy benchmark not run (--no-numpy)';
  if (opts.python) {
    emit({ kind: 'note', text: `numpy peer (${opts.python})` });
    const r = numpyBenchmark(opts.python, opts.sizes, opts.runs);
    numpy = r.result;
    numpyNote = r.note;
  }

  const primary = primarySummary.backend;
  const primaryMs = curveMeasurements({ measurements }, primary, primarySummary.threads);
  const adapter = devices.get(primary)?.adapter ?? null;
  const kind = deviceKind(primary, adapter);
  const peak = peakOf(primary);
  const kernelNames = [...new Set(primaryMs.map((m) => m.kernel))].join('/');
  const date = new Date().toISOString();
  const cpuText = describeCpu(cpu);
  const description = adapter ? `${adapter.description}${adapter.software ? ' — software rasterizer on the CPU' : ''}` : cpuText;
  const { curve, plateauFlopS } = buildCurve(primaryMs, curveSource(date, gpujsVersion(), primarySummary, kernelNames, description, primaryMs.length));
  const profile = {
    kind: PROFILE_KIND,
    schemaVersion: PROFILE_SCHEMA_VERSION,
    name: opts.name,
    date,
    backend: primary,
    kernelClass: primarySummary.kernelClass,
    kernel: kernelNames,
    threads: primarySummary.threads,
    device: { kind, description, cpu: cpuText, adapter: adapter?.description ?? null, software: adapter?.software ?? false, memoryBytes: hostMemoryBytes() },
    peak: { fp32: peak.flopS ? formatRate(peak.flopS) : null, source: peak.source },
    plateau: exactRate(plateauFlopS),
    curve,
    software: { node: process.version, gpujs: gpujsVersion(), webgpu: webgpuVersion(), dtsim: opts.dtsimVersion ?? 'unknown', os: `${os.type()} ${os.release()}`, arch: os.arch() },
    conditions: { runs: opts.runs, warmup: WARMUP, loadAverage: [round(load0), round(os.loadavg()[0])] as [number, number], seed: opts.seed, model: opts.model ? `${opts.model.name}, micro-batch ${opts.model.microBatch}, seq ${opts.model.shape.seqLength}` : null },
    backends: summaries,
    measurements,
    skipped,
    reference: { numpy, note: numpyNote },
  };
  // The same checks a reader applies: a profile this code writes always loads.
  return parseProfile(floorCpuPeak(profile as unknown as Profile), `${opts.name} (generated)`);
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}

/** Software rasterizers and the CPU backends run on the CPU: never labelled a GPU. */
export function deviceKind(backend: BackendName, adapter: AdapterInfo | null): 'cpu' | 'gpu' {
  if (backend === 'cpu' || backend === 'webasm') return 'cpu';
  return adapter && !adapter.software ? 'gpu' : 'cpu';
}

/** Best FLOP/s so far of a kernel on a backend (for predicting run times), or null. */
function bestRate(ms: readonly Measurement[], backend: BackendName | null, kernel: string): number | null {
  if (backend === null) return null;
  const own = ms.filter((m) => m.backend === backend && m.kernel === kernel);
  if (own.length === 0) return null;
  // The largest GEMM measured so far predicts the next best (rates fall with size on CPUs).
  const largest = own.reduce((a, b) => (b.flop >= a.flop ? b : a));
  return largest.gflops * 1e9;
}

interface JobResult {
  readonly m: Omit<Measurement, 'backend' | 'kernelClass' | 'peakFraction'>;
  readonly identity: KernelIdentity;
  /** GPU adapter or GL renderer of the kernel's context; null on the CPU backends. */
  readonly adapter: AdapterInfo | null;
}

type Shortcut = ((...args: unknown[]) => unknown) & { destroy?: (removeCanvas?: boolean) => unknown };

function describeFailure(job: Job, be: OpenBackend, identity: KernelIdentity, which: string, c: CheckResult, acc: string): string {
  const w = c.worst!;
  return `${identity.backend ?? be.request.name} (${identity.className}) kernel ${job.kernel.name} ${shapeText(job.shape)}: ${which} result is wrong at C[${w.row}][${w.col}]: got ${w.got}, float64 reference ${w.want.toPrecision(8)}, |error| ${Math.abs(w.got - w.want).toPrecision(3)} > tolerance ${w.tolerance.toPrecision(3)} (${acc} accumulation over k = ${job.shape.k}); no profile written`;
}

function groupByShape(jobs: readonly Job[]): Job[][] {
  const groups = new Map<string, Job[]>();
  for (const j of jobs) {
    const key = `${j.shape.m}x${j.shape.n}x${j.shape.k}:${j.shape.label}`;
    groups.set(key, [...(groups.get(key) ?? []), j]);
  }
  return [...groups.values()];
}

interface Prepared {
  readonly job: Job;
  readonly kernel: Shortcut;
  readonly args: unknown[];
  readonly settings: Record<string, unknown>;
  readonly identity: KernelIdentity;
  readonly adapter: AdapterInfo | null;
  readonly acc: 'f32' | 'f64';
  readonly firstCallS: number;
  check: CheckResult;
  out: unknown;
  readonly times: number[];
}

/**
 * Times the kernels of one shape: each kernel's first call (then its identity is reported and
 * its result checked), one warm-up call each, then `runs` rounds in which every kernel runs
 * once, in rotating order. The last result of each is checked again. GPU backends then time
 * compute and readback apart in pipeline mode, kernel by kernel.
 */
async function measureShape(be: OpenBackend, jobs: readonly Job[], inp: Inputs, opts: CalibrateOptions,
  onIdentity: (identity: KernelIdentity, adapter: AdapterInfo | null) => void, step: (i: number, n: number) => void): Promise<JobResult[]> {
  const { m, n, k } = jobs[0].shape;
  const gpuBackend = be.sync !== null;
  const steps = jobs.length * (1 + WARMUP + opts.runs + (gpuBackend ? 1 + opts.runs : 0));
  let done = 0;
  const tick = () => step(++done, steps);
  const prepared: Prepared[] = [];
  const call = async (p: Prepared) => await p.kernel(...p.args);
  try {
    for (const job of jobs) {
      const def = job.kernel;
      if (def.layout === 'bt' && !inp.bt) inp.bt = transpose(inp.b, k, n);
      const second = def.layout === 'bt' ? new Input(inp.bt! as unknown as number[], [k, n]) : new Input(inp.b as unknown as number[], [n, k]);
      const args = [new Input(inp.a as unknown as number[], [k, m]), second];
      const settings = {
        output: [n, m / def.rows],
        constants: { k },
        returnType: def.rows === 4 ? 'Array(4)' : 'Number',
        precision: 'single',
        tactic: 'precision',
        loopMaxIterations: k + 1,
        asyncMode: be.asyncMode,
        ...(be.request.name === 'webasm' ? { poolSize: be.threads } : {}),
      };
      const kernel = be.gpu.createKernel(def.source, settings as never) as unknown as Shortcut;
      const t0 = performance.now();
      let out: unknown;
      try {
        out = await kernel(...args);
      } catch (e) {
        kernel.destroy?.();
        throw e;
      }
      const firstCallS = (performance.now() - t0) / 1000;
      const identity = identifyKernel(kernel);
      const adapter = adapterOfKernel(kernel, identity);
      const p: Prepared = {
        job, kernel, args, settings, identity, adapter, firstCallS, out, times: [],
        acc: identity.backend ? ACCUMULATION[identity.backend] : 'f32',
        check: null as unknown as CheckResult,
      };
      prepared.push(p);
      tick();
      onIdentity(identity, adapter);
      if (!inp.ref) inp.ref = reference(inp.a, inp.b, m, n, k, opts.seed);
      p.check = verify(be, p, out, 'first', inp.ref);
    }
    for (const p of prepared) {
      for (let w = 0; w < WARMUP; w++) {
        p.out = await call(p);
        tick();
      }
    }
    for (let r = 0; r < opts.runs; r++) {
      for (let j = 0; j < prepared.length; j++) {
        const p = prepared[(j + r) % prepared.length];
        const t0 = performance.now();
        p.out = await call(p);
        p.times.push((performance.now() - t0) / 1000);
        tick();
      }
    }
    const results: JobResult[] = [];
    for (const p of prepared) {
      const last = verify(be, p, p.out, 'last timed', inp.ref!);
      if (last.worstRatio > p.check.worstRatio) p.check = last;
      p.out = null;
      let computeS: number | null = null;
      let readbackS: number | null = null;
      if (gpuBackend && (p.identity.backend === 'webgpu' || p.identity.backend === 'headlessgl')) {
        ({ computeS, readbackS } = await pipelineTimes(be, p, opts.runs, inp.ref!, tick));
      }
      const st = stats(p.times);
      const flop = 2 * m * n * k;
      results.push({
        identity: p.identity,
        adapter: p.adapter,
        m: {
          kernel: p.job.kernel.name, threads: be.threads, label: p.job.shape.label, m, n, k, flop, runs: opts.runs,
          medianS: st.medianS, minS: st.minS, maxS: st.maxS, spread: round(st.spread), gflops: round(flop / st.medianS / 1e9),
          firstCallS: p.firstCallS, computeS, readbackS,
          check: { accumulation: p.acc, entries: p.check.checked, sampled: p.check.sampled, maxAbsError: p.check.maxAbsError, worstRatio: round(p.check.worstRatio) },
        },
      });
    }
    return results;
  } finally {
    for (const p of prepared) {
      try {
        p.kernel.destroy?.();
      } catch {
        // a kernel that failed to build has nothing to free
      }
    }
  }
}

function verify(be: OpenBackend, p: Prepared, result: unknown, which: string, ref: Reference): CheckResult {
  const { m, n } = p.job.shape;
  const c = checkResult(flatten(result, m, n, p.job.kernel.rows), ref, p.acc);
  if (!c.ok) throw new CalibrationError(describeFailure(p.job, be, p.identity, which, c, p.acc));
  return c;
}

/** Pipeline mode: compute until the device queue drains, then readback alone (medians). */
async function pipelineTimes(be: OpenBackend, p: Prepared, runs: number, ref: Reference, tick: () => void): Promise<{ computeS: number; readbackS: number }> {
  const pk = be.gpu.createKernel(p.job.kernel.source, { ...p.settings, pipeline: true, immutable: true } as never) as unknown as Shortcut;
  try {
    const once = async () => {
      const t = performance.now();
      const handle = (await pk(...p.args)) as { toArray(): unknown; delete?: () => void };
      await be.sync!(pk);
      const t1 = performance.now();
      const arr = await handle.toArray();
      const t2 = performance.now();
      handle.delete?.();
      return { compute: (t1 - t) / 1000, readback: (t2 - t1) / 1000, arr };
    };
    const first = await once();
    verify(be, p, first.arr, 'pipeline', ref);
    tick();
    const cs: number[] = [], rs: number[] = [];
    for (let r = 0; r < runs; r++) {
      const x = await once();
      cs.push(x.compute);
      rs.push(x.readback);
      tick();
    }
    return { computeS: stats(cs).medianS, readbackS: stats(rs).medianS };
  } finally {
    pk.destroy?.();
  }
}

export { BackendUnavailable };
