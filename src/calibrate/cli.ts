/**
 * `dtsim calibrate`: options (a yargs builder main.ts mounts) and the command. gpu.js is
 * loaded only when the command runs, so other commands do not pay for it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import type { Argv } from 'yargs';
import { MODEL_PRESETS } from '../workload/presets';
import { loadCatalog } from '../compute/catalog';
import { parseQuantity } from '../scenario/units';
import { BACKEND_NAMES, type BackendName } from './names';
import { KERNELS, KERNEL_NAMES, type KernelDef, type KernelName } from './kernels';
import { ProfileError, flopRate, formatRate, loadProfile, profileJsonSchema, refitProfile, type Profile } from './profile';
import { progressPrinter } from './progress';

export const DEFAULT_SIZES = [64, 128, 256, 512, 1024, 2048];

export function calibrateBuilder(y: Argv): Argv {
  return y
    .option('backend', { type: 'string', default: 'auto', describe: `comma-separated: ${[...BACKEND_NAMES, 'auto'].join(', ')}; webasm:N = N worker threads (webasm:1 = synchronous, one thread)` })
    .option('threads', { type: 'number', describe: 'worker threads for webasm without :N (default: all logical CPUs)' })
    .option('sizes', { type: 'string', default: DEFAULT_SIZES.join(','), describe: 'square sizes n (comma-separated)' })
    .option('model', { type: 'string', describe: 'also time the GEMM shapes of one transformer layer of this preset (dtsim catalog --models)' })
    .option('micro-batch', { type: 'number', default: 1, describe: 'sequences per micro-batch for --model' })
    .option('seq-length', { type: 'number', describe: "override the preset's sequence length (smaller shapes for slow backends)" })
    .option('runs', { type: 'number', default: 5, describe: 'timed runs per kernel and shape (at least 5)' })
    .option('kernels', { type: 'string', describe: `kernels to time (${KERNEL_NAMES.join(', ')}); default the best that fits each shape` })
    .option('naive-max', { type: 'number', default: 1024, describe: 'also time the gpu.js README kernel on square sizes up to this (0: never)' })
    .option('max-run-seconds', { type: 'number', default: 30, describe: 'skip a shape whose predicted time per run is longer' })
    .option('primary', { type: 'string', describe: 'backend whose curve the profile carries (default the fastest)' })
    .option('peak', { type: 'string', describe: 'FP32 peak of the device, e.g. "82.6 TFLOP/s" (default: estimated for CPUs, unknown for GPUs)' })
    .option('gpu-id', { type: 'string', describe: 'catalog GPU the kernels run on; its FP32 peak becomes the device peak' })
    .option('python', { type: 'string', default: 'python3', describe: 'python with numpy for the BLAS comparison' })
    .option('numpy', { type: 'boolean', default: true, describe: 'compare with numpy (--no-numpy to skip)' })
    .option('allow-fallback', { type: 'boolean', default: false, describe: 'record the backend gpu.js fell back to instead of stopping' })
    .option('dawn', { type: 'string', describe: 'Dawn toggles for webgpu, comma-separated (e.g. backend=vulkan); default: try the native API, then OpenGL ES' })
    .option('seed', { type: 'number', default: 1 })
    .option('name', { type: 'string', describe: 'profile name (default <backend>-<host>)' })
    .option('out', { type: 'string', describe: 'profile file (default profiles/<name>.json); calibration.html goes beside it' })
    .option('json', { type: 'boolean', default: false, describe: 'print the profile JSON to stdout' })
    .option('schema', { type: 'boolean', default: false, describe: 'print the JSON Schema of profile files and exit' })
    .option('refit', { type: 'string', describe: 'recompute the curve (and calibration.html) of an existing profile from its measurements, for --primary or its own backend; no timing' })
    .option('quiet', { type: 'boolean', default: false });
}

export interface CalibrateArgs {
  readonly backend: string;
  readonly threads?: number;
  readonly sizes: string;
  readonly model?: string;
  readonly microBatch: number;
  readonly seqLength?: number;
  readonly runs: number;
  readonly kernels?: string;
  readonly naiveMax: number;
  readonly maxRunSeconds: number;
  readonly primary?: string;
  readonly peak?: string;
  readonly gpuId?: string;
  readonly python: string;
  readonly numpy: boolean;
  readonly allowFallback: boolean;
  readonly dawn?: string;
  readonly seed: number;
  readonly name?: string;
  readonly out?: string;
  readonly json: boolean;
  readonly schema: boolean;
  readonly refit?: string;
  readonly quiet: boolean;
}

interface Io {
  readonly out: { write(s: string): unknown };
  readonly err: { write(s: string): unknown; isTTY?: boolean; columns?: number };
}

class InputError extends Error {}

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

function dtsimVersion(): string {
  try {
    return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Validated options for runCalibration from the command line. */
export function parseArgs(a: CalibrateArgs) {
  const backends = list(a.backend).map((b) => {
    const [name, t] = b.split(':');
    if (![...BACKEND_NAMES, 'auto'].includes(name)) throw new InputError(`--backend: unknown backend '${name}'; expected ${[...BACKEND_NAMES, 'auto'].join(', ')}`);
    if (t !== undefined && (name !== 'webasm' || !/^[1-9]\d*$/.test(t))) throw new InputError(`--backend: '${b}': only webasm takes :N, a positive thread count`);
    const threads = name === 'webasm' ? (t !== undefined ? Number(t) : a.threads ?? os.availableParallelism()) : undefined;
    return { name: name as BackendName | 'auto', threads };
  });
  if (backends.length === 0) throw new InputError('--backend: give at least one backend');
  const sizes = list(a.sizes).map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 4 || n > 16384) throw new InputError(`--sizes: expected integers from 4 to 16384, got '${s}'`);
    return n;
  });
  if (!Number.isInteger(a.runs) || a.runs < 5) throw new InputError(`--runs: expected an integer of at least 5 (a median with a spread), got ${a.runs}`);
  let kernels = null;
  if (a.kernels) {
    kernels = list(a.kernels).map((k) => {
      if (!(KERNEL_NAMES as readonly string[]).includes(k)) throw new InputError(`--kernels: unknown kernel '${k}'; expected ${KERNEL_NAMES.join(', ')}`);
      return KERNELS[k as KernelName];
    });
  }
  let model = null;
  if (a.model !== undefined) {
    const preset = MODEL_PRESETS.get(a.model);
    if (!preset) throw new InputError(`--model: unknown preset '${a.model}'; expected one of: ${[...MODEL_PRESETS.keys()].join(', ')}`);
    if (!Number.isInteger(a.microBatch) || a.microBatch < 1) throw new InputError(`--micro-batch: expected a positive integer, got ${a.microBatch}`);
    if (a.seqLength !== undefined && (!Number.isInteger(a.seqLength) || a.seqLength < 1)) throw new InputError(`--seq-length: expected a positive integer, got ${a.seqLength}`);
    model = { name: a.model, microBatch: a.microBatch, shape: { ...preset, seqLength: a.seqLength ?? preset.seqLength } };
  }
  if (a.primary !== undefined && !(BACKEND_NAMES as readonly string[]).includes(a.primary)) throw new InputError(`--primary: unknown backend '${a.primary}'`);
  let gpuPeak = null;
  let cpuPeak = null;
  if (a.peak !== undefined) {
    const r = parseQuantity(a.peak, 'flopRate');
    if (!r.ok || r.value <= 0) throw new InputError(`--peak: expected ${r.ok ? 'a positive rate' : r.expected}, got '${a.peak}'`);
    gpuPeak = cpuPeak = { flopS: r.value, source: `given with --peak ${a.peak}` };
  }
  if (a.gpuId !== undefined) {
    const g = loadCatalog().gpus.get(a.gpuId);
    if (!g) throw new InputError(`--gpu-id: unknown GPU '${a.gpuId}'; see dtsim catalog`);
    gpuPeak = { flopS: g.peakFlopS.fp32, source: `catalog ${g.id} peak.fp32 (${g.sources['peak.fp32'] ?? 'src/data/gpus.yaml'})` };
  }
  if (!(a.maxRunSeconds > 0)) throw new InputError(`--max-run-seconds: expected a positive number, got ${a.maxRunSeconds}`);
  const host = os.hostname().split('.')[0].replace(/[^A-Za-z0-9_-]/g, '') || 'host';
  const name = a.name ?? `${backends.map((b) => b.name).join('+')}-${host}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(name)) throw new InputError(`--name: use letters, digits, '.', '_', '+', '-', got '${name}'`);
  return {
    name, backends, sizes, model, runs: a.runs, kernels, naiveMaxSize: a.naiveMax, maxRunSeconds: a.maxRunSeconds,
    allowFallback: a.allowFallback, primary: (a.primary as BackendName | undefined) ?? null, gpuPeak, cpuPeak,
    python: a.numpy ? a.python : null, seed: a.seed, dawnFlags: a.dawn ? list(a.dawn) : null, dtsimVersion: dtsimVersion(),
    out: a.out ?? join('profiles', `${name}.json`),
  };
}

/** A few lines for the terminal: per backend and size, against peak and numpy. */
export function formatProfile(p: Profile, files: readonly string[]): string {
  const lines = [`profile ${p.name}: curve from ${p.backend} (${p.kernelClass}, ${p.threads} thread${p.threads > 1 ? 's' : ''}), plateau ${p.plateau}, FP32 peak ${p.peak.fp32 ?? 'unknown'}`];
  const np = new Map((p.reference.numpy?.results ?? []).map((r) => [r.n, Math.max(r.gflops, r.singleThreadGflops)]));
  const pct = (x: number) => `${x >= 10 ? (100 * x).toFixed(0) : (100 * x).toPrecision(2)} %`;
  for (const b of p.backends) {
    const sq = p.measurements.filter((m) => m.backend === b.backend && m.threads === b.threads && m.label === 'square');
    lines.push(`  ${b.backend}${b.backend === 'webasm' ? ` ×${b.threads}` : ''} (${b.kernelClass}, ${b.deviceKind}${b.adapter ? `: ${b.adapter}` : ''}): set-up ${(1000 * b.setupS).toFixed(0)} ms, first call +${(1000 * b.firstKernelExtraS).toFixed(0)} ms`);
    for (const m of sq) {
      const vsNp = np.has(m.n) ? `, ${pct(m.gflops / np.get(m.n)!)} of numpy` : '';
      lines.push(`    ${m.kernel.padEnd(5)} n=${String(m.n).padEnd(5)} ${m.gflops.toPrecision(3).padStart(6)} GFLOP/s (IQR ${(100 * m.spread).toFixed(0)} %)${m.peakFraction !== null ? `, ${pct(m.peakFraction)} of peak` : ''}${vsNp}, first call ${(1000 * m.firstCallS).toFixed(0)} ms`);
    }
  }
  const layer = p.measurements.filter((m) => m.label !== 'square');
  if (layer.length > 0) {
    lines.push(`  layer GEMMs (${p.conditions.model}) on ${p.backend}: ${layer.map((m) => `${m.label} ${m.m}×${m.n}×${m.k} ${m.gflops.toPrecision(3)}`).join(', ')} GFLOP/s`);
  }
  if (p.reference.numpy) lines.push(`  numpy ${p.reference.numpy.version} (${p.reference.numpy.blas}), all threads / 1 thread: ${p.reference.numpy.results.map((r) => `n=${r.n} ${r.gflops.toPrecision(3)}/${r.singleThreadGflops.toPrecision(3)}`).join(', ')} GFLOP/s`);
  else lines.push(`  ${p.reference.note}`);
  for (const s of p.skipped) lines.push(`  skipped ${s.backend} ${s.kernel} ${s.m}×${s.n}×${s.k} ${s.label}: ${s.reason}`);
  lines.push(`wrote ${files.join(' and ')}`);
  return lines.join('\n');
}

/** Runs the command; returns the exit code (0 ok, 1 a kernel gave a wrong result, 2 bad input or backend unavailable, 3 internal). */
export async function calibrateCommand(
  a: CalibrateArgs,
  io: Io = { out: process.stdout, err: process.stderr },
  /** Tests: run these kernels instead of the ones the options name (e.g. a deliberately wrong one). */
  testKernels?: readonly KernelDef[],
): Promise<number> {
  if (a.schema) {
    io.out.write(`${JSON.stringify(profileJsonSchema(), null, 2)}\n`);
    return 0;
  }
  if (a.refit !== undefined) return refitCommand(a, io);
  let opts;
  try {
    opts = parseArgs(a);
  } catch (e) {
    if (e instanceof InputError) {
      io.err.write(`dtsim calibrate: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const { runCalibration, CalibrationError, BackendUnavailable } = await import('./runner');
  const { calibrationHtml } = await import('./chart');
  const progress = progressPrinter(io.err, a.quiet);
  let profile: Profile;
  try {
    mkdirSync(dirname(opts.out), { recursive: true }); // fail before a long run, not after it
    profile = await runCalibration({ ...opts, kernels: testKernels ?? opts.kernels, onEvent: progress.onEvent });
  } catch (e) {
    progress.end();
    if (e instanceof CalibrationError) {
      io.err.write(`dtsim calibrate: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof BackendUnavailable) {
      io.err.write(`dtsim calibrate: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  progress.end();
  const html = writeProfile(opts.out, profile);
  writeFileSync(html, calibrationHtml(profile));
  if (a.json) io.out.write(`${JSON.stringify(profile, null, 2)}\n`);
  else if (!a.quiet) io.out.write(`${formatProfile(profile, [opts.out, html])}\n`);
  return 0;
}

function writeProfile(file: string, profile: Profile): string {
  const html = join(dirname(file), 'calibration.html');
  writeFileSync(file, `${JSON.stringify({ $schema: './profile.schema.json', ...profile }, null, 2)}\n`);
  return html;
}

async function refitCommand(a: CalibrateArgs, io: Io): Promise<number> {
  if (a.primary !== undefined && !(BACKEND_NAMES as readonly string[]).includes(a.primary)) {
    io.err.write(`dtsim calibrate: --primary: unknown backend '${a.primary}'\n`);
    return 2;
  }
  let profile: Profile;
  try {
    profile = refitProfile(loadProfile(a.refit!), (a.primary as BackendName | undefined) ?? null, a.refit!);
  } catch (e) {
    if (e instanceof ProfileError) {
      io.err.write(`dtsim calibrate: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const out = a.out ?? a.refit!;
  const { calibrationHtml } = await import('./chart');
  const html = writeProfile(out, profile);
  writeFileSync(html, calibrationHtml(profile));
  if (a.json) io.out.write(`${JSON.stringify(profile, null, 2)}\n`);
  else if (!a.quiet) io.out.write(`${formatProfile(profile, [out, html])}\n`);
  return 0;
}

export { flopRate, formatRate };
