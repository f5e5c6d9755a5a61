/**
 * results.csv, targets.csv and report.html, regenerated from the per-point files. The rows are
 * in point order and depend only on the plan and the points, so the files are byte-identical
 * whatever the worker count, the shard count or the number of interruptions.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeToString } from 'fast-csv';
import { conditionMet, metricValue, parseCondition, type Condition } from './condition';
import { paramColumns, pointValues, unitCount, unitSize, valueText, type Plan } from './plan';
import { bisect } from './search';
import { writeAtomic, type PointRecord } from './store';
import { sweepReportHtml } from './report';

export function resultColumns(plan: Plan): string[] {
  return ['point', ...paramColumns(plan), 'status', ...plan.metrics, ...(plan.target ? ['target_met'] : []), 'message'];
}

export function planCondition(plan: Plan): Condition | null {
  if (!plan.target) return null;
  const c = parseCondition(plan.target.condition);
  if (typeof c === 'string') throw new Error(`sweep.json: target.condition: ${c}`);
  return c;
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Whether a point meets the target condition (a point that could not run does not). */
export function pointMet(cond: Condition, rec: PointRecord): boolean {
  return rec.status === 'ok' && conditionMet(cond, rec.summary);
}

export function resultRow(plan: Plan, cond: Condition | null, rec: PointRecord): string[] {
  const params = pointValues(plan, rec.index).map(valueText);
  const metrics = plan.metrics.map((m) => (rec.status === 'ok' ? cell(metricValue(rec.summary, m)) : ''));
  const met = cond ? [String(pointMet(cond, rec))] : [];
  return [String(rec.index), ...params, rec.status, ...metrics, ...met, rec.status === 'ok' ? '' : rec.message];
}

export async function csvText(rows: readonly (readonly string[])[]): Promise<string> {
  if (rows.length === 0) return '';
  return writeToString(rows as string[][], { includeEndRowDelimiter: true });
}

/** Appends one row (a live results file; rewritten in order when the run ends). */
export async function appendRow(file: string, row: readonly string[]): Promise<void> {
  appendFileSync(file, await csvText([row]));
}

export interface UnitOutcome {
  readonly unit: number;
  /** Point numbers the unit needs, in order (all simulated ones, plus the next one if unfinished). */
  readonly probes: readonly number[];
  /** For a target search: the point with the smallest value meeting the condition, null if none; undefined while unfinished. */
  readonly answer?: number | null;
  /** The next point to simulate, if the unit is unfinished. */
  readonly need?: number;
}

/** Replays a unit against the points known so far. */
export function unitOutcome(plan: Plan, cond: Condition | null, unit: number, points: ReadonlyMap<number, PointRecord>): UnitOutcome {
  const size = unitSize(plan);
  const first = unit * size;
  if (!cond) return points.has(first) ? { unit, probes: [first] } : { unit, probes: [first], need: first };
  const s = bisect(size, (k) => {
    const r = points.get(first + k);
    return r ? pointMet(cond, r) : undefined;
  });
  const probes = s.probes.map((k) => first + k);
  return 'need' in s ? { unit, probes, need: first + s.need } : { unit, probes, answer: s.answer === null ? null : first + s.answer };
}

export interface Collected {
  readonly rows: readonly PointRecord[];
  readonly outcomes: readonly UnitOutcome[];
  /** Points still to simulate (the next probe of each unfinished unit). */
  readonly missing: readonly number[];
}

/** The points of the given units (all units by default) that belong in the results, in point order. */
export function collect(plan: Plan, points: ReadonlyMap<number, PointRecord>, units?: readonly number[]): Collected {
  const cond = planCondition(plan);
  const list = units ?? Array.from({ length: unitCount(plan) }, (_, u) => u);
  const outcomes = list.map((u) => unitOutcome(plan, cond, u, points));
  const idx = outcomes.flatMap((o) => o.probes.filter((p) => points.has(p))).sort((a, b) => a - b);
  const rows = [...new Set(idx)].map((i) => points.get(i)!);
  const missing = outcomes.flatMap((o) => (o.need === undefined ? [] : [o.need]));
  return { rows, outcomes, missing };
}

export async function resultsCsv(plan: Plan, rows: readonly PointRecord[]): Promise<string> {
  const cond = planCondition(plan);
  return csvText([resultColumns(plan), ...rows.map((r) => resultRow(plan, cond, r))]);
}

export async function targetsCsv(plan: Plan, outcomes: readonly UnitOutcome[]): Promise<string> {
  const t = plan.target!;
  const cols = paramColumns(plan);
  const tIdx = cols.indexOf(t.path);
  const unitCols = cols.filter((_, i) => i !== tIdx);
  const head = ['unit', ...unitCols, t.path, 'met', 'point', 'points_simulated', 'condition'];
  const rows = outcomes.map((o) => {
    const vals = pointValues(plan, o.unit * unitSize(plan)).map(valueText).filter((_, i) => i !== tIdx);
    const done = o.need === undefined;
    const ans = o.answer ?? null;
    return [String(o.unit), ...vals, ans === null ? '' : valueText(t.values[ans % unitSize(plan)]),
      done ? String(ans !== null) : '', ans === null ? '' : String(ans), String(o.probes.length - (done ? 0 : 1)), t.condition];
  });
  return csvText([head, ...rows]);
}

/**
 * Writes results.csv (or `resultsName`), targets.csv and report.html for the given units.
 * Returns the points still missing.
 */
export async function writeViews(dir: string, plan: Plan, points: ReadonlyMap<number, PointRecord>,
  opts: { units?: readonly number[]; resultsName?: string; report?: boolean } = {}): Promise<Collected> {
  const c = collect(plan, points, opts.units);
  writeAtomic(join(dir, opts.resultsName ?? 'results.csv'), await resultsCsv(plan, c.rows));
  if (opts.report !== false) {
    if (plan.target) writeAtomic(join(dir, 'targets.csv'), await targetsCsv(plan, c.outcomes));
    writeAtomic(join(dir, 'report.html'), sweepReportHtml(plan, c.rows, c.outcomes));
  }
  return c;
}

export const resultsExists = (dir: string) => existsSync(join(dir, 'results.csv'));
