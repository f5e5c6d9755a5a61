/**
 * Calibration profiles in scenarios: a node's GPU can take its efficiency curve from a
 * profile, or a whole custom GPU can be declared from one.
 *
 * 1. A catalog (or scenario) GPU with a profile — `gpu: { id: rtx-4090, profile: profiles/my.json }`:
 *      eff(F) = shape(F) × E∞,   shape(F) = the profile's curve (achieved ÷ plateau, 1 at its largest GEMM)
 *    E∞ is the GPU's own large-GEMM efficiency: the last point of its built-in curve (e.g. 1.041
 *    for the RTX 4090, 0.803 for the H100 SXM), or `plateau:` when given. The profile decides how
 *    fast efficiency falls off for smaller GEMMs; the catalog keeps the level a tuned BLAS
 *    reaches at large ones, which a gpu.js kernel does not. The GEMM-FLOP axis is used as
 *    measured. The GPU becomes "<id>@<profile name>" so it never shares cached timings with
 *    the uncalibrated GPU (the stack factor of src/compute/stack.ts follows the base id).
 *
 * 2. A custom GPU from a profile — an entry in the gpus.yaml format with `profile:` instead of
 *    `efficiency:` (under `gpus:` or inline as a node's gpu):
 *      peak.bf16 = peak.fp16 = peak.fp32 = P   (default; the profile's FP32 peak, or its plateau when the peak is unknown)
 *      eff(F)    = shape(F) × plateau ÷ P       (the measured fraction of that peak)
 *    so a GEMM of F FLOP takes F ÷ (plateau × shape(F)): exactly the measured throughput.
 *    name, vendor and year default from the profile; memory, memoryBandwidth, tdp, intraNode
 *    and mtbf must be given (a profile does not measure them).
 *
 * Profile paths are relative to the scenario file's folder, else to the working directory.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { buildGpu } from '../compute/catalog';
import type { EfficiencyProfileRef, GpuSpec } from '../compute/gpu';
import { MAX_EFFICIENCY, checkCurve, type EfficiencyCurve } from '../compute/efficiency';
import { flopRate, loadProfile, type Profile } from './profile';

/** The scenario's GPU table, remembering the scenario file so profile paths can be resolved. */
export class GpuTable extends Map<string, GpuSpec> {
  constructor(entries: Iterable<readonly [string, GpuSpec]>, readonly scenarioFile: string | null) {
    super(entries);
  }
}

const REF_KEYS = new Set(['id', 'profile', 'plateau']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Profile path as written → the file to read (scenario folder first, then the working directory). */
export function profilePath(path: string, scenarioFile: string | null): string {
  if (isAbsolute(path) || !scenarioFile) return path;
  const beside = join(dirname(scenarioFile), path);
  return existsSync(beside) || !existsSync(path) ? beside : path;
}

function readProfile(raw: unknown, scenarioFile: string | null): { profile: Profile; file: string } {
  if (typeof raw !== 'string' || raw.trim() === '') throw new Error(`profile: expected a profile file path like "profiles/my-4090.json", got ${JSON.stringify(raw)}`);
  const file = profilePath(raw, scenarioFile);
  // ProfileError messages already read "FILE: FIELD: problem".
  return { profile: loadProfile(file), file: raw };
}

function refOf(p: Profile, file: string, scaling: string): EfficiencyProfileRef {
  return { file, name: p.name, backend: p.backend, date: p.date, scaling };
}

/** The profile's curve scaled by `factor`, checked like any efficiency curve. */
function scaled(p: Profile, factor: number, note: string): EfficiencyCurve {
  const curve: EfficiencyCurve = {
    points: p.curve.points.map(([f, e]) => [f, e * factor] as const),
    source: `${p.curve.source}; ${note}`,
  };
  const problems = checkCurve(curve);
  if (problems.length) throw new Error(`the profile curve scaled to this GPU is not usable: ${problems[0]}`);
  return curve;
}

/** Case 1: a GPU of the table with its efficiency from a profile. */
export function gpuWithProfile(base: GpuSpec, p: Profile, file: string, plateau?: number): GpuSpec {
  const pts = base.efficiency.points;
  const eInf = plateau ?? pts[pts.length - 1][1];
  const how = plateau !== undefined
    ? `shape × ${eInf} (plateau given in the scenario)`
    : `shape × ${eInf} (large-GEMM efficiency of ${base.id}'s built-in curve)`;
  return {
    ...base,
    id: `${base.id}@${p.name}`,
    efficiency: scaled(p, eInf, how),
    efficiencyProfile: refOf(p, file, how),
  };
}

/** Case 2: a whole custom GPU from a gpus.yaml-style entry with `profile:`. */
export function customGpuFromProfile(raw: Record<string, unknown>, where: string, scenarioFile: string | null): GpuSpec {
  if ('efficiency' in raw) throw new Error('give either efficiency or profile, not both');
  const { profile: p, file } = readProfile(raw.profile, scenarioFile);
  const plateau = flopRate(p.plateau);
  const peak = p.peak.fp32 ? flopRate(p.peak.fp32) : plateau;
  const { profile: _drop, ...entry } = raw;
  const rate = `${peak} FLOP/s`;
  const filled = {
    name: `${p.device.description.slice(0, 80)} (${p.backend}, calibrated)`,
    vendor: p.device.kind === 'gpu' ? 'GPU (calibrated)' : 'CPU (calibrated)',
    year: Number(p.date.slice(0, 4)),
    peak: { bf16: rate, fp16: rate, fp32: rate },
    ...entry,
    efficiency: { points: [[1e6, 1]], source: 'placeholder' },
  };
  const base = buildGpu(filled, where);
  const gpuPeak = base.peakFlopS.fp32;
  const factor = plateau / gpuPeak;
  if (factor > MAX_EFFICIENCY) throw new Error(`peak.fp32: ${gpuPeak} FLOP/s is below the profile's plateau ${p.plateau}`);
  const how = `shape × plateau ${p.plateau} ÷ peak.fp32 ${gpuPeak.toPrecision(4)} FLOP/s = ${factor.toPrecision(4)} (measured throughput)`;
  return { ...base, efficiency: scaled(p, factor, how), efficiencyProfile: refOf(p, file, how) };
}

/** The table's scenario file, when it is a GpuTable. */
function scenarioFileOf(gpus: ReadonlyMap<string, GpuSpec>): string | null {
  return gpus instanceof GpuTable ? gpus.scenarioFile : null;
}

/**
 * A scenario `gpus:` entry: the gpus.yaml format, or that format with `profile:` (case 2).
 * Throws an Error naming `where` and the field.
 */
export function buildScenarioGpu(raw: unknown, where: string, gpus: ReadonlyMap<string, GpuSpec>): GpuSpec {
  if (isObject(raw) && 'profile' in raw) return customGpuFromProfile(raw, where, scenarioFileOf(gpus));
  return buildGpu(raw, where);
}

/**
 * A node's `gpu:` when it is an object: `{ id, profile, plateau? }` refers to a GPU of the table
 * with a profile (case 1); any other object is an inline GPU entry, with or without `profile:`.
 * Errors name the field inside the object (the caller prefixes the object's path); errors in
 * the profile file name that file and its field.
 */
export function resolveGpuObject(raw: Record<string, unknown>, where: string, gpus: ReadonlyMap<string, GpuSpec>): GpuSpec {
  const isRef = 'profile' in raw && Object.keys(raw).every((k) => REF_KEYS.has(k));
  if (!isRef) return buildScenarioGpu(raw, where, gpus);
  if (typeof raw.id !== 'string') throw new Error(`id: expected a GPU id like "rtx-4090" with the profile, got ${JSON.stringify(raw.id)}`);
  const base = gpus.get(raw.id);
  if (!base) throw new Error(`id: unknown GPU '${raw.id}'; expected one of: ${[...gpus.keys()].join(', ')} (or define it under gpus:)`);
  if (raw.plateau !== undefined && !(typeof raw.plateau === 'number' && raw.plateau > 0 && raw.plateau <= MAX_EFFICIENCY)) {
    throw new Error(`plateau: expected the large-GEMM efficiency as a fraction in (0, ${MAX_EFFICIENCY}], got ${JSON.stringify(raw.plateau)}`);
  }
  const { profile, file } = readProfile(raw.profile, scenarioFileOf(gpus));
  return gpuWithProfile(base, profile, file, raw.plateau as number | undefined);
}
