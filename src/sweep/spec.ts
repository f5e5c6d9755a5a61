/**
 * The sweep file format: a zod schema of the raw YAML, and reading a sweep either from a sweep
 * file (`scenario: base.yaml` plus the sweep) or from a scenario's own `sweep:` block. Every
 * problem is one line "file: field.path: what was expected, what was found", as for scenarios
 * (the same ScenarioError, so the CLI reports both alike).
 *
 *   scenario: ../flip-the-coin.yaml     # relative to this file
 *   set: { system.strategy.zero: 3 }    # fixed overrides, as --set
 *   baseline: false                     # drop the scenario's baseline (as --no-baseline)
 *   grid: { system.strategy.innerSteps: [50, 100, 500] }          # cartesian product
 *   zip:  { system.sites[0].wan: [dia-1g, dia-10g], system.sites[0].pue: [1.5, 1.2] }  # together
 *   random | lhs: { samples: 8, seed: 1, parameters: { path: {from, to, scale, integer} | [choices] } }
 *   seeds: 5 | [1, 2, 3] | { from: 100, count: 5 }                # Monte Carlo replicas
 *   target: { path, values, condition: "run.timeToTrainS <= 90 days" }   # bisection
 *   metrics: [run.timeToTrainS, ...]    # results.csv columns (summary.json paths)
 *   report: { lines: [{ x, metric, series }], heatmaps: [{ x, y, metric }] }
 */
import { basename, dirname, extname, relative, resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { ScenarioError, isObject, readRaw, readScenarioTree } from '../scenario/load';
import type { Issue } from '../scenario/resolve';
import { parseCondition, type Condition } from './condition';

/** A field path in a scenario, as `--set` takes it: dots and [i]. */
export const PATH_RE = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\])*$/;

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** A number, or a quantity string with a unit ("1 Gbit/s"); ranges need both ends in the same unit. */
const endpoint = z.union([z.number(), z.string()]);
const scale = z.enum(['linear', 'log']).default('linear');

/** Evenly spaced values, both ends included: {from, to, steps} (linear or log), or {from, to, step}. */
const rangeSchema = z.strictObject({
  from: endpoint,
  to: endpoint,
  steps: z.number().int().min(2).optional().meta({ description: 'number of values, both ends included' }),
  step: z.number().positive().optional().meta({ description: 'arithmetic step (linear scale only)' }),
  scale,
  integer: z.boolean().default(false).meta({ description: 'round every value to an integer (duplicates removed)' }),
});

/** A list of values (any YAML: numbers, quantity strings, whole objects), or a range. */
const valuesSchema = z.union([z.array(z.unknown()).min(1), rangeSchema]);

const continuousSchema = z.strictObject({ from: endpoint, to: endpoint, scale, integer: z.boolean().default(false) });
const sampledSchema = z.strictObject({
  samples: z.number().int().positive(),
  seed: z.number().int().min(0).default(1),
  parameters: z.record(z.string(), z.union([z.array(z.unknown()).min(1), continuousSchema])),
});

const seedsSchema = z.union([
  z.number().int().positive().meta({ description: "this many seeds from the scenario's seed up" }),
  z.array(z.number().int().min(0)).min(1),
  z.strictObject({ from: z.number().int().min(0), count: z.number().int().positive() }),
]);

const targetSchema = z.strictObject({
  path: z.string().meta({ description: 'the ordered dimension searched by bisection' }),
  values: valuesSchema.meta({ description: 'ordered so that once the condition holds it holds for every later value' }),
  condition: z.string().meta({ description: 'e.g. "run.timeToTrainS <= 90 days"' }),
});

const reportSchema = z.strictObject({
  lines: z.array(z.strictObject({ x: z.string(), metric: z.string(), series: z.string().optional() })).optional(),
  heatmaps: z.array(z.strictObject({ x: z.string(), y: z.string(), metric: z.string() })).optional(),
});

const sweepFields = {
  name: z.string().min(1).optional(),
  set: z.record(z.string(), z.unknown()).optional().meta({ description: 'fixed overrides applied before the sweep (as --set)' }),
  baseline: z.boolean().default(true).meta({ description: "false drops the scenario's baseline (as --no-baseline)" }),
  grid: z.record(z.string(), valuesSchema).optional(),
  zip: z.record(z.string(), z.array(z.unknown()).min(1)).optional(),
  random: sampledSchema.optional(),
  lhs: sampledSchema.optional(),
  seeds: seedsSchema.optional(),
  target: targetSchema.optional(),
  metrics: z.array(z.string()).min(1).optional(),
  report: reportSchema.optional(),
};

export const sweepBlockSchema = z.strictObject(sweepFields);
export const sweepFileSchema = z.strictObject({ scenario: z.string().meta({ description: 'scenario file, relative to this file' }), ...sweepFields });

export type RawSweep = z.output<typeof sweepBlockSchema>;
export type Range = z.output<typeof rangeSchema>;
export type Continuous = z.output<typeof continuousSchema>;

/** What a sweep needs, read and checked: the base scenario tree and the sweep block. */
export interface SweepSource {
  /** The sweep file, as given. */
  readonly file: string;
  /** The base scenario's file, relative to the working directory (used as summary `scenario.file`). */
  readonly scenarioFile: string;
  /** The base scenario tree (extends applied; without any `sweep:` block). */
  readonly tree: Record<string, unknown>;
  readonly sweep: RawSweep;
  readonly name: string;
  readonly condition: Condition | null;
  /** Where the sweep fields sit in the file: [] in a sweep file, ['sweep'] in a scenario. */
  readonly prefix: readonly string[];
}

/** The sweep file field that defines a swept path (for error messages). */
export function sweptAt(src: SweepSource, path: string): string | null {
  const s = src.sweep;
  const at = (...keys: string[]) => fieldPath([...src.prefix, ...keys]);
  if (s.grid && path in s.grid) return at('grid', path);
  if (s.zip && path in s.zip) return at('zip', path);
  if (s.random && path in s.random.parameters) return at('random', 'parameters', path);
  if (s.lhs && path in s.lhs.parameters) return at('lhs', 'parameters', path);
  if (s.target?.path === path) return at('target', 'values');
  if (s.set && path in s.set) return at('set', path);
  return null;
}

/** `grid["system.x"][0]` style, so paths inside keys stay readable. */
export function fieldPath(keys: readonly PropertyKey[]): string {
  return keys.reduce<string>((acc, k) => {
    if (typeof k === 'number') return `${acc}[${k}]`;
    const s = String(k);
    if (/[.[\]]/.test(s)) return `${acc}[${JSON.stringify(s)}]`;
    return acc ? `${acc}.${s}` : s;
  }, '');
}

function zodIssues(error: z.ZodError, prefix: PropertyKey[]): Issue[] {
  return error.issues.map((i) => {
    const keys = [...prefix, ...i.path];
    const input = (i as { input?: unknown }).input;
    let message = i.message;
    if (i.code === 'invalid_type') message = `expected ${i.expected}, got ${show(input)}`;
    if (i.code === 'unrecognized_keys') message = `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}`;
    if (i.code === 'invalid_value') message = `expected one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}, got ${show(input)}`;
    if (i.code === 'invalid_union') message = `expected a list of values or a range {from, to, steps | step}, got ${show(input)}`;
    return { path: fieldPath(keys), message };
  });
}

/**
 * Reads a sweep: a sweep file (top-level `scenario:`) or a scenario with a `sweep:` block.
 * `noBaseline` (the --no-baseline flag) drops the baseline like `baseline: false`.
 */
export function readSweep(file: string, opts: { noBaseline?: boolean } = {}): SweepSource {
  const raw = readRaw(file);
  if (!isObject(raw)) throw new ScenarioError(file, [{ path: '', message: `expected a mapping at the top level, got ${Array.isArray(raw) ? 'a list' : typeof raw}` }]);
  let sweep: RawSweep;
  let tree: Record<string, unknown>;
  let scenarioFile: string;
  let prefix: string[];
  if ('scenario' in raw) {
    const parsed = sweepFileSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) throw new ScenarioError(file, zodIssues(parsed.error, []));
    const { scenario, ...rest } = parsed.data;
    sweep = rest;
    const abs = resolvePath(dirname(file), scenario);
    scenarioFile = relative(process.cwd(), abs) || abs;
    try {
      tree = readScenarioTree(scenarioFile) as Record<string, unknown>;
    } catch (e) {
      if (e instanceof ScenarioError && e.issues.length === 1 && e.issues[0].path === '' && /cannot read file/.test(e.issues[0].message)) {
        throw new ScenarioError(file, [{ path: 'scenario', message: `${e.issues[0].message}: ${scenarioFile}` }]);
      }
      throw e;
    }
    prefix = [];
  } else if ('sweep' in raw) {
    scenarioFile = file;
    tree = readScenarioTree(file) as Record<string, unknown>;
    const parsed = sweepBlockSchema.safeParse(tree.sweep, { reportInput: true });
    if (!parsed.success) throw new ScenarioError(file, zodIssues(parsed.error, ['sweep']));
    sweep = parsed.data;
    prefix = ['sweep'];
  } else {
    throw new ScenarioError(file, [{ path: '', message: "a sweep file needs 'scenario:' (the scenario to sweep) or, in a scenario, a 'sweep:' block" }]);
  }
  if ('sweep' in tree) {
    const { sweep: _drop, ...rest } = tree;
    tree = rest;
  }
  const issues = checkSweep(sweep, prefix);
  let condition: Condition | null = null;
  if (sweep.target) {
    const c = parseCondition(sweep.target.condition);
    if (typeof c === 'string') issues.push({ path: fieldPath([...prefix, 'target', 'condition']), message: c });
    else condition = c;
  }
  if (issues.length) throw new ScenarioError(file, issues);
  if (opts.noBaseline) sweep = { ...sweep, baseline: false };
  const name = sweep.name ?? (typeof tree.name === 'string' && prefix.length ? tree.name : basename(file, extname(file)).replace(/\.sweep$/, ''));
  return { file, scenarioFile, tree, sweep, name, condition, prefix };
}

/** Checks zod cannot express: paths, one sampler, equal zip lengths, a dimension swept once, ranges. */
function checkSweep(s: RawSweep, prefix: readonly string[]): Issue[] {
  const issues: Issue[] = [];
  const at = (...keys: PropertyKey[]) => fieldPath([...prefix, ...keys]);
  const seen = new Map<string, string>();
  const claim = (path: string, where: string) => {
    if (!PATH_RE.test(path)) {
      issues.push({ path: where, message: `expected a field path like system.strategy.innerSteps or system.sites[0].wan, got ${show(path)}` });
      return;
    }
    const prev = seen.get(path);
    if (prev) issues.push({ path: where, message: `${path} is already swept at ${prev}` });
    else seen.set(path, where);
    if (path === 'seed') issues.push({ path: where, message: "sweep seeds with 'seeds:' (a count, a list or {from, count}), not as a field" });
  };
  for (const [p, v] of Object.entries(s.grid ?? {})) {
    claim(p, at('grid', p));
    if (!Array.isArray(v)) issues.push(...checkRange(v, at('grid', p), true));
  }
  const zip = Object.entries(s.zip ?? {});
  for (const [p, v] of zip) {
    claim(p, at('zip', p));
    if (v.length !== zip[0][1].length) issues.push({ path: at('zip', p), message: `zip lists need equal lengths: ${zip[0][0]} has ${zip[0][1].length} values, this has ${v.length}` });
  }
  if (s.random && s.lhs) issues.push({ path: at('lhs'), message: "give either 'random:' or 'lhs:', not both" });
  for (const kind of ['random', 'lhs'] as const) {
    const block = s[kind];
    if (!block) continue;
    if (Object.keys(block.parameters).length === 0) issues.push({ path: at(kind, 'parameters'), message: 'expected at least one parameter' });
    for (const [p, v] of Object.entries(block.parameters)) {
      claim(p, at(kind, 'parameters', p));
      if (!Array.isArray(v)) issues.push(...checkRange(v, at(kind, 'parameters', p), false));
    }
  }
  if (s.target) {
    claim(s.target.path, at('target', 'path'));
    if (!Array.isArray(s.target.values)) issues.push(...checkRange(s.target.values, at('target', 'values'), true));
  }
  const columns = new Set([...seen.keys(), 'seed']);
  const field = (v: string, where: string) => {
    if (!columns.has(v)) issues.push({ path: where, message: `expected a swept field (${[...columns].join(', ')}), got ${show(v)}` });
  };
  s.report?.lines?.forEach((l, i) => {
    field(l.x, at('report', 'lines', i, 'x'));
    if (l.series !== undefined) field(l.series, at('report', 'lines', i, 'series'));
  });
  s.report?.heatmaps?.forEach((h, i) => {
    field(h.x, at('report', 'heatmaps', i, 'x'));
    field(h.y, at('report', 'heatmaps', i, 'y'));
  });
  for (const [p, v] of Object.entries(s.set ?? {})) {
    if (!PATH_RE.test(p)) issues.push({ path: at('set', p), message: `expected a field path like system.strategy.innerSteps, got ${show(p)}` });
    else if (seen.has(p)) issues.push({ path: at('set', p), message: `${p} is also swept at ${seen.get(p)}` });
    void v;
  }
  return issues;
}

/** A number or "<number> <unit>": its numeric part and unit (empty for a plain number). */
export function splitQuantity(v: number | string): { value: number; unit: string } | null {
  if (typeof v === 'number') return Number.isFinite(v) ? { value: v, unit: '' } : null;
  const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$/.exec(v);
  if (!m) return null;
  return { value: Number(m[1]), unit: m[2] };
}

/** `discrete`: a grid or target range, which needs steps or step; otherwise a sampled interval. */
function checkRange(r: Range | Continuous, where: string, discrete: boolean): Issue[] {
  const a = splitQuantity(r.from), b = splitQuantity(r.to);
  if (!a) return [{ path: `${where}.from`, message: `expected a number or a quantity like "1 Gbit/s", got ${show(r.from)}` }];
  if (!b) return [{ path: `${where}.to`, message: `expected a number or a quantity like "100 Gbit/s", got ${show(r.to)}` }];
  if (a.unit !== b.unit) return [{ path: where, message: `from and to need the same unit, got ${show(r.from)} and ${show(r.to)}` }];
  if (r.scale === 'log' && (a.value <= 0 || b.value <= 0)) return [{ path: where, message: 'a log scale needs positive ends' }];
  if (discrete) {
    const g = r as Range;
    if (g.steps === undefined && g.step === undefined) return [{ path: where, message: "expected 'steps' (how many values) or 'step' (the increment)" }];
    if (g.steps !== undefined && g.step !== undefined) return [{ path: where, message: "give 'steps' or 'step', not both" }];
    if (g.step !== undefined && g.scale === 'log') return [{ path: where, message: "'step' needs a linear scale; use 'steps' for a log scale" }];
    if (g.step !== undefined && Math.abs(b.value - a.value) / g.step > 1e6) return [{ path: where, message: 'more than a million values' }];
  }
  return [];
}
