/**
 * Regression checks for CI: compare the metrics of a sweep (or a single run) with a stored
 * baseline and fail when one got worse beyond its tolerance.
 *
 * Results: a sweep output folder (sweep.json + points), its results.csv, a run's summary.json or
 * a run output folder. Points are matched by their swept values and seed (the `key`), not by
 * number, so adding points to a sweep leaves the others comparable.
 *
 * baseline.json:
 *   { "dtsimCheckBaseline": 1,
 *     "tolerances": { "default": "1%", "run.costUsd": "5%", "run.mfu": "0.005" },   // % relative, else absolute
 *     "better": { "run.someMetric": "higher" },                                       // overrides the built-in directions
 *     "points": [ { "key": "system.strategy.innerSteps=50, seed=1", "metrics": { "run.timeToTrainS": 1.2e6, ... } } ] }
 *
 * A metric is worse when it moves in its bad direction (time, cost, energy up; throughput, MFU,
 * progress down; any change for a metric without a known direction) by more than its tolerance.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseString } from 'fast-csv';
import { metricValue, toNumber } from '../sweep/condition';
import { paramColumns, pointValues, valueText } from '../sweep/plan';
import { collect } from '../sweep/results';
import { readPlanFile, readPoints } from '../sweep/store';

export const BASELINE_FORMAT = 1;
export const DEFAULT_TOLERANCE = '1%';

export class CheckError extends Error {}

export type Direction = 'lower' | 'higher' | 'either';

export interface ResultPoint {
  readonly key: string;
  /** 'ok', or why the point has no metrics (infeasible, error). */
  readonly status: string;
  readonly metric: (path: string) => number | null;
  /** Metric paths this point can give (for a new baseline). */
  readonly metrics: readonly string[];
}

export interface Results {
  readonly source: string;
  readonly points: readonly ResultPoint[];
}

export interface Baseline {
  readonly dtsimCheckBaseline: number;
  readonly source?: string;
  readonly tolerances?: Record<string, string>;
  readonly better?: Record<string, Direction>;
  readonly points: readonly { readonly key: string; readonly metrics: Record<string, number> }[];
}

const HIGHER = new Set(['throughputTokensPerS', 'effectiveThroughputTokensPerS', 'mfu', 'mfuFleet', 'hfu', 'progress', 'finished', 'tokensTrained', 'effectiveTokens', 'value']);
const LOWER = new Set(['timeToTrainS', 'costUsd', 'energyJ', 'gpuHours', 'timeToTrainRatio', 'effectiveTimeRatio', 'costRatio', 'energyRatio',
  'wanBytesSent', 'tokensLost', 'communicationS', 'bubbleS', 'idleS', 'lostWorkS', 'restartS', 'checkpointS', 'repairS', 'offlineS',
  'rentalUsd', 'depreciationUsd', 'hostingUsd', 'electricityUsd']);

/** Which way is better for a metric path (by its last name), unless the baseline says. */
export function direction(metric: string, over?: Record<string, Direction>): Direction {
  if (over?.[metric]) return over[metric];
  const last = metric.split('.').pop() ?? metric;
  return HIGHER.has(last) ? 'higher' : LOWER.has(last) ? 'lower' : 'either';
}

export interface Tolerance {
  readonly text: string;
  /** Relative (fraction of the baseline value) or absolute. */
  readonly relative: boolean;
  readonly amount: number;
}

export function parseTolerance(text: string): Tolerance | null {
  const t = text.trim();
  const m = /^(\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*%$/.exec(t);
  if (m) return { text: t, relative: true, amount: Number(t.slice(0, -1).trim()) / 100 };
  const n = Number(t);
  return t !== '' && Number.isFinite(n) && n >= 0 ? { text: t, relative: false, amount: n } : null;
}

const pointKey = (cols: readonly string[], vals: readonly string[]) => cols.map((c, i) => `${c}=${vals[i]}`).join(', ');

function numericPaths(v: unknown, prefix: string, out: string[]): string[] {
  if (typeof v === 'number' || typeof v === 'boolean') out.push(prefix);
  else if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) numericPaths(x, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

/** Reads results from a sweep folder, a results.csv, a summary.json or a run folder. */
export async function readResults(path: string): Promise<Results> {
  if (!existsSync(path)) throw new CheckError(`${path}: no such file or folder`);
  if (statSync(path).isDirectory()) {
    const plan = readPlanFile(path);
    if (plan) {
      const cols = paramColumns(plan);
      const rows = collect(plan, readPoints(path, plan)).rows;
      return {
        source: path,
        points: rows.map((r) => ({
          key: pointKey(cols, pointValues(plan, r.index).map(valueText)),
          status: r.status,
          metric: (m) => (r.status === 'ok' ? toNumber(metricValue(r.summary, m)) : null),
          metrics: r.status === 'ok' ? plan.metrics.filter((m) => toNumber(metricValue(r.summary, m)) !== null) : [],
        })),
      };
    }
    if (existsSync(join(path, 'summary.json'))) return readResults(join(path, 'summary.json'));
    throw new CheckError(`${path}: neither a sweep output folder (sweep.json) nor a run output folder (summary.json)`);
  }
  const text = readFileSync(path, 'utf8');
  if (path.toLowerCase().endsWith('.json')) {
    let s: unknown;
    try {
      s = JSON.parse(text);
    } catch (e) {
      throw new CheckError(`${path}: not valid JSON: ${(e as Error).message}`);
    }
    const name = String(metricValue(s, 'scenario.name') ?? 'run');
    const paths = numericPaths({ run: metricValue(s, 'run'), baseline: metricValue(s, 'baseline'), comparison: metricValue(s, 'comparison') }, '', [])
      .filter((p) => !/\.perSite\b|\.simulator\b|\.gpuTypes\b/.test(p));
    return { source: path, points: [{ key: `scenario=${name}`, status: 'ok', metric: (m) => toNumber(metricValue(s, m)), metrics: paths }] };
  }
  const rows = await new Promise<string[][]>((resolve, reject) => {
    const out: string[][] = [];
    parseString(text, { headers: false })
      .on('error', reject)
      .on('data', (r: string[]) => out.push(r))
      .on('end', () => resolve(out));
  }).catch((e: Error) => {
    throw new CheckError(`${path}: not valid CSV: ${e.message}`);
  });
  const head = rows[0] ?? [];
  const st = head.indexOf('status');
  if (head[0] !== 'point' || st < 0) throw new CheckError(`${path}: expected a dtsim sweep results.csv (columns point, <swept fields>, status, <metrics>)`);
  const cols = head.slice(1, st);
  const metricCols = head.slice(st + 1).filter((c) => c !== 'target_met' && c !== 'message');
  return {
    source: path,
    points: rows.slice(1).map((r) => {
      const get = (m: string) => {
        const i = head.indexOf(m);
        return i < 0 || r[i] === '' ? null : toNumber(r[i]);
      };
      return { key: pointKey(cols, r.slice(1, st)), status: r[st], metric: get, metrics: metricCols.filter((m) => get(m) !== null) };
    }),
  };
}

export type RowStatus = 'ok' | 'improved' | 'regressed' | 'changed' | 'missing' | 'new';

export interface CheckRow {
  readonly key: string;
  readonly metric: string;
  readonly baseline: number | null;
  readonly current: number | null;
  /** Relative change (current − baseline) / |baseline|; NaN when not computable. */
  readonly change: number;
  readonly tolerance: string;
  readonly direction: Direction;
  readonly status: RowStatus;
  readonly note?: string;
}

export interface CheckReport {
  readonly results: string;
  readonly baselineFile: string;
  readonly rows: readonly CheckRow[];
  readonly failed: number;
  readonly passed: boolean;
}

const FAILING: ReadonlySet<RowStatus> = new Set(['regressed', 'changed', 'missing']);

export function readBaseline(file: string): Baseline {
  if (!existsSync(file)) throw new CheckError(`${file}: no such baseline (create it with --update-baseline)`);
  let b: Baseline;
  try {
    b = JSON.parse(readFileSync(file, 'utf8')) as Baseline;
  } catch (e) {
    throw new CheckError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  if (!b || b.dtsimCheckBaseline !== BASELINE_FORMAT || !Array.isArray(b.points)) throw new CheckError(`${file}: expected a dtsim check baseline ("dtsimCheckBaseline": ${BASELINE_FORMAT}, "points": [...])`);
  for (const [m, t] of Object.entries(b.tolerances ?? {})) if (!parseTolerance(t)) throw new CheckError(`${file}: tolerances.${m}: expected "5%" (relative) or a number (absolute), got ${JSON.stringify(t)}`);
  for (const [m, d] of Object.entries(b.better ?? {})) if (!['lower', 'higher', 'either'].includes(d)) throw new CheckError(`${file}: better.${m}: expected "lower", "higher" or "either", got ${JSON.stringify(d)}`);
  return b;
}

/** `--tolerance metric=5%` or `--tolerance 5%` (every metric). */
export function parseToleranceArgs(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of args) {
    const eq = a.lastIndexOf('=');
    const [metric, text] = eq > 0 ? [a.slice(0, eq).trim(), a.slice(eq + 1)] : ['default', a];
    if (!parseTolerance(text)) throw new CheckError(`--tolerance: expected metric=5% (relative) or metric=0.01 (absolute), or 5% for every metric, got '${a}'`);
    out[metric] = text.trim();
  }
  return out;
}

export function checkResults(results: Results, baseline: Baseline, baselineFile: string, tolerances: Record<string, string> = {}): CheckReport {
  const tol: Record<string, string> = { default: DEFAULT_TOLERANCE, ...(baseline.tolerances ?? {}), ...tolerances };
  const current = new Map(results.points.map((p) => [p.key, p]));
  const rows: CheckRow[] = [];
  for (const bp of baseline.points) {
    const cp = current.get(bp.key);
    for (const [metric, b] of Object.entries(bp.metrics)) {
      const t = parseTolerance(tol[metric] ?? tol.default)!;
      const dir = direction(metric, baseline.better);
      const c = cp ? cp.metric(metric) : null;
      if (c === null) {
        rows.push({ key: bp.key, metric, baseline: b, current: null, change: NaN, tolerance: t.text, direction: dir, status: 'missing',
          note: !cp ? 'point not in the results' : cp.status !== 'ok' ? `point ${cp.status}` : 'metric not in the results' });
        continue;
      }
      const diff = c - b;
      const allowed = t.relative ? Math.abs(b) * t.amount : t.amount;
      const worse = dir === 'lower' ? diff > allowed : dir === 'higher' ? -diff > allowed : false;
      const better = dir === 'lower' ? -diff > allowed : dir === 'higher' ? diff > allowed : false;
      const changed = dir === 'either' && Math.abs(diff) > allowed;
      const status: RowStatus = worse ? 'regressed' : changed ? 'changed' : better ? 'improved' : 'ok';
      rows.push({ key: bp.key, metric, baseline: b, current: c, change: b !== 0 ? diff / Math.abs(b) : diff === 0 ? 0 : NaN, tolerance: t.text, direction: dir, status });
    }
  }
  const known = new Set(baseline.points.map((p) => p.key));
  for (const p of results.points) {
    if (!known.has(p.key)) rows.push({ key: p.key, metric: '', baseline: null, current: null, change: NaN, tolerance: '', direction: 'either', status: 'new', note: 'not in the baseline' });
  }
  const failed = rows.filter((r) => FAILING.has(r.status)).length;
  return { results: results.source, baselineFile, rows, failed, passed: failed === 0 };
}

/** A baseline from the current results, keeping an existing baseline's tolerances, directions and metric list. */
export function makeBaseline(results: Results, old: Baseline | null, metrics?: readonly string[]): Baseline {
  const oldMetrics = old ? [...new Set(old.points.flatMap((p) => Object.keys(p.metrics)))] : null;
  const points = results.points.filter((p) => p.status === 'ok').map((p) => {
    const want = metrics ?? oldMetrics ?? p.metrics;
    const m: Record<string, number> = {};
    for (const k of want) {
      const v = p.metric(k);
      if (v !== null) m[k] = v;
    }
    return { key: p.key, metrics: m };
  });
  return {
    dtsimCheckBaseline: BASELINE_FORMAT,
    source: results.source,
    tolerances: old?.tolerances ?? { default: DEFAULT_TOLERANCE },
    ...(old?.better ? { better: old.better } : {}),
    points,
  };
}

export function fmtNum(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return x.toExponential(4);
  return String(Number(x.toPrecision(6)));
}

const fmtChange = (r: CheckRow) => (Number.isFinite(r.change) ? `${r.change > 0 ? '+' : ''}${(100 * r.change).toFixed(2)}%` : '—');

const STATUS_TEXT: Record<RowStatus, string> = { ok: 'ok', improved: 'improved', regressed: 'REGRESSED', changed: 'CHANGED', missing: 'MISSING', new: 'new' };

function tableRows(r: CheckReport, all: boolean): string[][] {
  const rows = all ? r.rows : r.rows.filter((x) => x.status !== 'ok');
  return rows.map((x) => [x.key, x.metric, fmtNum(x.baseline), fmtNum(x.current), fmtChange(x), x.tolerance ? `${x.tolerance} ${x.direction === 'either' ? '±' : x.direction === 'lower' ? '↓' : '↑'}` : '', STATUS_TEXT[x.status] + (x.note ? ` (${x.note})` : '')]);
}

const HEAD = ['point', 'metric', 'baseline', 'current', 'change', 'tolerance', 'status'];

/** Fixed-width table (every row when there are at most 60, else only those not ok) and a verdict. */
export function formatCheck(r: CheckReport): string {
  const all = r.rows.length <= 60;
  const body = tableRows(r, all);
  const w = HEAD.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const right = [false, false, true, true, true, true, false];
  const line = (c: string[]) => c.map((x, i) => (right[i] ? x.padStart(w[i]) : x.padEnd(w[i]))).join('  ').trimEnd();
  const counts = (['ok', 'improved', 'regressed', 'changed', 'missing', 'new'] as RowStatus[])
    .map((s) => [s, r.rows.filter((x) => x.status === s).length] as const).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ');
  const out = [`dtsim check: ${r.results} against ${r.baselineFile}`, ''];
  if (body.length) out.push(line(HEAD), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line), '');
  if (!all) out.push(`(${r.rows.length - body.length} rows within tolerance not shown)`);
  out.push(`${r.passed ? 'PASSED' : 'FAILED'}: ${counts || 'nothing compared'}${r.rows.some((x) => x.status === 'improved') ? '; improvements beyond tolerance: refresh the baseline with --update-baseline' : ''}`);
  return out.join('\n');
}

export function checkMarkdown(r: CheckReport): string {
  const body = tableRows(r, r.rows.length <= 60);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const out = [`### dtsim check: ${r.passed ? '✅ passed' : `❌ failed (${r.failed} regression${r.failed === 1 ? '' : 's'})`}`, '',
    `\`${r.results}\` against \`${r.baselineFile}\`: ${r.rows.length} comparisons.`, ''];
  if (body.length) out.push(`| ${HEAD.join(' | ')} |`, `|${HEAD.map((_, i) => (i >= 2 && i <= 5 ? ' ---: ' : ' --- ')).join('|')}|`, ...body.map((b) => `| ${b.map(esc).join(' | ')} |`), '');
  return `${out.join('\n')}\n`;
}

export function checkJunit(r: CheckReport): { name: string; cases: { classname: string; name: string; failure?: string; details?: string }[] } {
  return {
    name: `dtsim check ${r.results}`,
    cases: r.rows.filter((x) => x.status !== 'new').map((x) => ({
      classname: x.key,
      name: x.metric,
      ...(FAILING.has(x.status) ? {
        failure: `${x.metric} ${STATUS_TEXT[x.status]}: ${fmtNum(x.baseline)} -> ${fmtNum(x.current)} (${fmtChange(x)}, tolerance ${x.tolerance})`,
        details: `${x.key}: ${x.metric} baseline ${fmtNum(x.baseline)}, current ${fmtNum(x.current)}, change ${fmtChange(x)}, tolerance ${x.tolerance} (${x.direction} is better)${x.note ? `; ${x.note}` : ''}`,
      } : {}),
    })),
  };
}
