/**
 * From a sweep to its points. The points are the product of axes (each grid field one axis, the
 * zip lists one, the random or Latin-hypercube samples one, the seeds one; the first axis varies
 * slowest), numbered 0, 1, ... in that order. A target search adds its ordered values as the
 * innermost axis: each combination of the other axes is a *unit*, searched by bisection over its
 * own consecutive block of point numbers. Without a target a unit is one point. Units are what
 * workers and shards share out; point numbers are what results are ordered by.
 *
 * The plan is plain JSON (written as sweep.json), so `merge` and `check` need no sweep file.
 */
import { createHash } from 'node:crypto';
import { relative, resolve } from 'node:path';
import { RandomStream } from '../engine/rng';
import { applyOverrides } from '../scenario/load';
import { splitQuantity, type Continuous, type Range, type RawSweep, type SweepSource } from './spec';

export const SWEEP_SCHEMA_VERSION = 1;

export const DEFAULT_METRICS = [
  'run.finished', 'run.progress', 'run.timeToTrainS', 'run.throughputTokensPerS', 'run.effectiveThroughputTokensPerS',
  'run.mfu', 'run.gpuHours', 'run.energyJ', 'run.costUsd', 'run.wanBytesSent',
] as const;
export const DEFAULT_COMPARISON_METRICS = ['comparison.timeToTrainRatio', 'comparison.costRatio'] as const;

export interface Axis {
  readonly kind: 'grid' | 'zip' | 'random' | 'lhs' | 'seeds';
  readonly columns: readonly string[];
  /** rows[k][c]: the value of column c at position k of the axis. */
  readonly rows: readonly (readonly unknown[])[];
}

export interface Plan {
  readonly sweepSchemaVersion: number;
  readonly name: string;
  /** The sweep file and the base scenario, relative to the working directory. */
  readonly file: string;
  readonly scenario: string;
  /** sha256 of the base scenario tree and the sweep block: a resumed run must find the same. */
  readonly inputSha: string;
  readonly baseline: boolean;
  /** Axes of the units, slowest first; the last is always the seeds axis. */
  readonly axes: readonly Axis[];
  readonly target?: { readonly path: string; readonly values: readonly unknown[]; readonly condition: string };
  /** results.csv metric columns (summary.json paths). */
  readonly metrics: readonly string[];
  readonly report?: RawSweep['report'];
}

export const unitCount = (p: Plan) => p.axes.reduce((n, a) => n * a.rows.length, 1);
export const unitSize = (p: Plan) => (p.target ? p.target.values.length : 1);
export const pointCount = (p: Plan) => unitCount(p) * unitSize(p);

/** Parameter columns of results.csv: every swept field, the target field, then `seed`. */
export function paramColumns(p: Plan): string[] {
  const cols = p.axes.filter((a) => a.kind !== 'seeds').flatMap((a) => a.columns);
  if (p.target) cols.push(p.target.path);
  cols.push('seed');
  return cols;
}

/** Field values of a point, in paramColumns order (the last is the seed). */
export function pointValues(p: Plan, index: number): unknown[] {
  const size = unitSize(p);
  let u = Math.floor(index / size);
  const pos: number[] = new Array(p.axes.length);
  for (let a = p.axes.length - 1; a >= 0; a--) {
    const n = p.axes[a].rows.length;
    pos[a] = u % n;
    u = Math.floor(u / n);
  }
  const out: unknown[] = [];
  let seed: unknown;
  p.axes.forEach((axis, a) => {
    if (axis.kind === 'seeds') seed = axis.rows[pos[a]][0];
    else out.push(...axis.rows[pos[a]]);
  });
  if (p.target) out.push(p.target.values[index % size]);
  out.push(seed);
  return out;
}

/** A field value as a results.csv cell and a point key: strings as written, others as JSON. */
export function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return JSON.stringify(v);
}

/** The point's scenario tree: base, fixed `set`, baseline dropped if asked, the point's fields and seed. */
export function pointTree(src: SweepSource, p: Plan, index: number): Record<string, unknown> {
  const cols = paramColumns(p);
  const vals = pointValues(p, index);
  let tree = structuredClone(src.tree);
  const sets = Object.entries(src.sweep.set ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  if (!p.baseline) tree.baseline = null;
  sets.push(...cols.slice(0, -1).map((c, i) => `${c}=${JSON.stringify(vals[i])}`));
  tree = applyOverrides(tree, sets, src.scenarioFile) as Record<string, unknown>;
  tree.seed = vals[vals.length - 1];
  return tree;
}

/** JSON with sorted keys; non-finite numbers spelled out (they are not JSON). */
export function canonical(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : `"${String(v)}"`;
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return v === undefined ? 'null' : JSON.stringify(v);
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The plan of a sweep: its axes, target, metrics. Pure: the same source gives the same plan. */
export function buildPlan(src: SweepSource): Plan {
  const s = src.sweep;
  const fixed = applyOverrides(src.tree, Object.entries(s.set ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`), src.scenarioFile) as Record<string, unknown>;
  const hasBaseline = s.baseline && fixed.baseline !== undefined && fixed.baseline !== null;
  const axes: Axis[] = [];
  for (const [path, v] of Object.entries(s.grid ?? {})) axes.push({ kind: 'grid', columns: [path], rows: expandValues(v).map((x) => [x]) });
  const zip = Object.entries(s.zip ?? {});
  if (zip.length) axes.push({ kind: 'zip', columns: zip.map(([p]) => p), rows: zip[0][1].map((_, k) => zip.map(([, vs]) => vs[k])) });
  if (s.random) axes.push({ kind: 'random', ...sampleRandom(s.random) });
  if (s.lhs) axes.push({ kind: 'lhs', ...sampleLhs(s.lhs) });
  axes.push({ kind: 'seeds', columns: ['seed'], rows: seedList(s.seeds, src.tree.seed).map((x) => [x]) });
  const metrics = s.metrics ?? [...DEFAULT_METRICS, ...(hasBaseline ? DEFAULT_COMPARISON_METRICS : [])];
  return {
    sweepSchemaVersion: SWEEP_SCHEMA_VERSION,
    name: src.name,
    file: relative(process.cwd(), resolve(src.file)) || src.file,
    scenario: src.scenarioFile,
    inputSha: sha256(canonical({ tree: src.tree, sweep: s })),
    baseline: s.baseline,
    axes,
    ...(s.target ? { target: { path: s.target.path, values: expandValues(s.target.values), condition: s.target.condition } } : {}),
    metrics,
    ...(s.report ? { report: s.report } : {}),
  };
}

function seedList(seeds: RawSweep['seeds'], base: unknown): number[] {
  const b = typeof base === 'number' && Number.isInteger(base) && base >= 0 ? base : 1;
  if (seeds === undefined) return [b];
  if (typeof seeds === 'number') return Array.from({ length: seeds }, (_, i) => b + i);
  if (Array.isArray(seeds)) return [...seeds];
  return Array.from({ length: seeds.count }, (_, i) => seeds.from + i);
}

/** 6 significant digits, so generated values read well ("3.16228 Gbit/s") and round-trip. */
const tidy = (x: number) => Number(x.toPrecision(6));

function withUnit(x: number, unit: string, integer: boolean): number | string {
  const n = integer ? Math.round(x) : tidy(x);
  return unit ? `${n} ${unit}` : n;
}

/** A list as given, or the values of a range (integers deduplicated). */
export function expandValues(v: readonly unknown[] | Range): unknown[] {
  if (Array.isArray(v)) return [...v];
  const r = v as Range;
  const a = splitQuantity(r.from)!, b = splitQuantity(r.to)!;
  const xs: number[] = [];
  if (r.step !== undefined) {
    const dir = b.value >= a.value ? 1 : -1;
    const n = Math.floor(Math.abs(b.value - a.value) / r.step + 1e-9);
    for (let j = 0; j <= n; j++) xs.push(Number((a.value + dir * j * r.step).toPrecision(12)));
  } else {
    const n = r.steps!;
    for (let j = 0; j < n; j++) {
      const f = j / (n - 1);
      xs.push(r.scale === 'log' ? Math.exp(Math.log(a.value) + f * (Math.log(b.value) - Math.log(a.value))) : a.value + f * (b.value - a.value));
    }
  }
  const out = xs.map((x) => withUnit(x, a.unit, r.integer));
  return out.filter((x, i) => out.indexOf(x) === i);
}

type Sampled = NonNullable<RawSweep['random']>;

function fromUnit(spec: readonly unknown[] | Continuous, u: number): unknown {
  if (Array.isArray(spec)) return spec[Math.min(spec.length - 1, Math.floor(u * spec.length))];
  const c = spec as Continuous;
  const a = splitQuantity(c.from)!, b = splitQuantity(c.to)!;
  const x = c.scale === 'log'
    ? Math.exp(Math.log(a.value) + u * (Math.log(b.value) - Math.log(a.value)))
    : a.value + u * (b.value - a.value);
  return withUnit(x, a.unit, c.integer);
}

/** Independent uniform draws per parameter (a seeded xoshiro128** stream). */
function sampleRandom(s: Sampled): Pick<Axis, 'columns' | 'rows'> {
  const rng = new RandomStream(s.seed);
  const params = Object.entries(s.parameters);
  const rows = Array.from({ length: s.samples }, () => params.map(([, spec]) => fromUnit(spec, rng.uniform())));
  return { columns: params.map(([p]) => p), rows };
}

/** Latin hypercube: each parameter's range cut in `samples` equal strata, each stratum used once. */
function sampleLhs(s: Sampled): Pick<Axis, 'columns' | 'rows'> {
  const rng = new RandomStream(s.seed);
  const params = Object.entries(s.parameters);
  const n = s.samples;
  const cols = params.map(([, spec]) => {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    return perm.map((k) => fromUnit(spec, (k + rng.uniform()) / n));
  });
  return { columns: params.map(([p]) => p), rows: Array.from({ length: n }, (_, i) => cols.map((c) => c[i])) };
}
