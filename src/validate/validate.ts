/**
 * `dtsim validate`: runs every validation case's scenario through simulate() and compares the
 * prediction with the published figure. Rows sharing a scenario file share one simulation.
 * Pure library code: nothing here prints or exits (the CLI does).
 */
import { join } from 'node:path';
import { loadScenario, scenarioFromTree } from '../scenario/load';
import { simulate, type SimulationResult } from '../sim/simulate';
import type { Scenario } from '../scenario/types';
import { VALIDATION_CASES, VALIDATION_SCENARIO_DIR, type Tag, type ValidationCase } from './cases';
import type { JunitCase, JunitSuite } from '../check/junit';

/** The CLI fails when the median |error| exceeds this (percent). */
export const MEDIAN_ERROR_LIMIT_PCT = 10;
/** The CLI fails when any single |error| exceeds this (percent), or a row could not be computed. */
export const MAX_ERROR_LIMIT_PCT = 25;

export interface ValidationRow {
  readonly case: string;
  readonly group: string;
  readonly metric: string;
  readonly published: number;
  /** NaN when the scenario failed to load or simulate (see `error`). */
  readonly predicted: number;
  /** Signed: (predicted − published) / published × 100. */
  readonly errorPct: number;
  readonly source: string;
  readonly tag: Tag;
  readonly scenario: string;
  readonly note?: string;
  /** Why the prediction is missing, if it is. */
  readonly error?: string;
}

export interface ValidationOptions {
  /** Run only cases whose id starts with one of these (e.g. "megatron-1.7b", "yuan-case1"). */
  readonly only?: readonly string[];
  /** Called before each new simulation with the scenario name. */
  readonly onScenario?: (name: string) => void;
}

interface Simulated {
  readonly scenario: Scenario;
  readonly result: SimulationResult;
}

function scenarioLabel(c: ValidationCase): string {
  return typeof c.scenario === 'string' ? `scenarios/validation/${c.scenario}` : `${c.id} (built in)`;
}

function simulateCase(c: ValidationCase): Simulated {
  const scenario = typeof c.scenario === 'string'
    ? loadScenario(join(VALIDATION_SCENARIO_DIR, c.scenario))
    : scenarioFromTree(c.scenario(), c.id);
  return { scenario, result: simulate(scenario) };
}

/** Runs the validation cases (all of them by default) and returns one row per published figure. */
export function runValidation(opts: ValidationOptions = {}): ValidationRow[] {
  const cases = opts.only ? VALIDATION_CASES.filter((c) => opts.only!.some((p) => c.id.startsWith(p))) : VALIDATION_CASES;
  const cache = new Map<string, Simulated | Error>();
  return cases.map((c) => {
    const key = typeof c.scenario === 'string' ? c.scenario : `tree:${c.id}`;
    let sim = cache.get(key);
    if (!sim) {
      opts.onScenario?.(scenarioLabel(c));
      try {
        sim = simulateCase(c);
      } catch (e) {
        sim = e instanceof Error ? e : new Error(String(e));
      }
      cache.set(key, sim);
    }
    const base = {
      case: c.id, group: c.group, metric: c.metric, published: c.published, source: c.source, tag: c.tag,
      scenario: scenarioLabel(c), note: c.note,
    };
    if (sim instanceof Error) return { ...base, predicted: NaN, errorPct: NaN, error: sim.message.split('\n')[0] };
    const predicted = c.extract(sim.result, sim.scenario);
    const errorPct = ((predicted - c.published) / c.published) * 100;
    return Number.isFinite(predicted)
      ? { ...base, predicted, errorPct }
      : { ...base, predicted: NaN, errorPct: NaN, error: 'prediction is not a finite number (run unfinished?)' };
  });
}

export interface ValidationSummary {
  readonly rows: number;
  /** Median of |errorPct| over rows with a prediction. */
  readonly medianAbsErrorPct: number;
  readonly maxAbsErrorPct: number;
  /** Row with the largest |error|. */
  readonly worst: string | null;
  /** Rows without a prediction. */
  readonly failed: readonly string[];
  /** Median within MEDIAN_ERROR_LIMIT_PCT, every row within MAX_ERROR_LIMIT_PCT, none failed. */
  readonly passed: boolean;
}

export function summarizeValidation(rows: readonly ValidationRow[]): ValidationSummary {
  const ok = rows.filter((r) => Number.isFinite(r.errorPct));
  const abs = ok.map((r) => Math.abs(r.errorPct)).sort((a, b) => a - b);
  const n = abs.length;
  const median = n === 0 ? NaN : n % 2 === 1 ? abs[(n - 1) / 2] : (abs[n / 2 - 1] + abs[n / 2]) / 2;
  let worst: ValidationRow | null = null;
  for (const r of ok) if (!worst || Math.abs(r.errorPct) > Math.abs(worst.errorPct)) worst = r;
  const max = worst ? Math.abs(worst.errorPct) : NaN;
  const failed = rows.filter((r) => !Number.isFinite(r.errorPct)).map((r) => r.case);
  return {
    rows: rows.length, medianAbsErrorPct: median, maxAbsErrorPct: max, worst: worst?.case ?? null, failed,
    passed: n > 0 && failed.length === 0 && median <= MEDIAN_ERROR_LIMIT_PCT && max <= MAX_ERROR_LIMIT_PCT,
  };
}

/** The CLI's pass/fail: median |error| ≤ MEDIAN_ERROR_LIMIT_PCT, every |error| ≤ MAX_ERROR_LIMIT_PCT, no failed row. */
export function validationPasses(rows: readonly ValidationRow[]): boolean {
  return summarizeValidation(rows).passed;
}

/** A number in at most 4 significant digits, thousands separated for large values. */
function fmtValue(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a >= 10000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(1);
  if (a >= 10) return x.toFixed(2);
  return x.toFixed(3);
}

function fmtPct(x: number, signed: boolean): string {
  if (!Number.isFinite(x)) return '—';
  return `${signed && x > 0 ? '+' : ''}${x.toFixed(1)}%`;
}

/** Fixed-width table of the rows, then the median and maximum absolute error against the limits. */
export function formatValidation(rows: readonly ValidationRow[]): string {
  const head = ['case', 'metric', 'published', 'predicted', 'error', 'tag', 'result'];
  const body = rows.map((r) => [r.case, r.metric, fmtValue(r.published), r.error ? 'failed' : fmtValue(r.predicted), fmtPct(r.errorPct, true), `[${r.tag}]`, rowPasses(r) ? 'pass' : 'FAIL']);
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const right = [false, false, true, true, true, false, false];
  const line = (cells: string[]) => cells.map((c, i) => (right[i] ? c.padStart(width[i]) : c.padEnd(width[i]))).join('  ').trimEnd();
  const out: string[] = [line(head), width.map((w) => '-'.repeat(w)).join('  ')];
  let group = '';
  for (let i = 0; i < rows.length; i++) {
    if (rows[i].group !== group) {
      group = rows[i].group;
      out.push(`${i > 0 ? '\n' : ''}${group}`);
    }
    out.push(line(body[i]));
  }
  const s = summarizeValidation(rows);
  out.push('');
  out.push(`error = (predicted - published) / published. ${s.rows} rows.`);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  const failing = rows.filter((r) => !rowPasses(r)).length;
  out.push(`median |error| ${fmtPct(s.medianAbsErrorPct, false)} (limit ${MEDIAN_ERROR_LIMIT_PCT}%): ${met(s.medianAbsErrorPct <= MEDIAN_ERROR_LIMIT_PCT)}`);
  out.push(`max |error|    ${fmtPct(s.maxAbsErrorPct, false)}${s.worst ? ` (${s.worst})` : ''} (limit ${MAX_ERROR_LIMIT_PCT}%): ${met(s.maxAbsErrorPct <= MAX_ERROR_LIMIT_PCT)}${failing ? `, ${failing} row${failing === 1 ? '' : 's'} FAIL` : ''}`);
  for (const r of rows.filter((x) => x.error)) out.push(`failed: ${r.case}: ${r.error}`);
  out.push(`${s.passed ? 'PASS' : 'FAIL'}: every target gates (exit code ${s.passed ? 0 : 1})`);
  return out.join('\n');
}

/** A row passes when it has a prediction within MAX_ERROR_LIMIT_PCT of the published figure. */
export function rowPasses(r: ValidationRow): boolean {
  return Number.isFinite(r.errorPct) && Math.abs(r.errorPct) <= MAX_ERROR_LIMIT_PCT;
}

/** JUnit suites: one per group of published figures (a case per row), and the two summary targets. */
export function validationJunit(rows: readonly ValidationRow[]): JunitSuite[] {
  const groups = [...new Set(rows.map((r) => r.group))];
  const s = summarizeValidation(rows);
  const rowCase = (r: ValidationRow): JunitCase => ({
    classname: `validate.${r.group}`,
    name: `${r.case}: ${r.metric}`,
    ...(rowPasses(r) ? {} : {
      failure: r.error ? `no prediction: ${r.error}` : `|error| ${fmtPct(Math.abs(r.errorPct), false)} > ${MAX_ERROR_LIMIT_PCT}%`,
      details: `${r.case}: ${r.metric}: published ${fmtValue(r.published)}, predicted ${fmtValue(r.predicted)}, error ${fmtPct(r.errorPct, true)} [${r.tag}] (${r.source}; ${r.scenario})${r.note ? `; ${r.note}` : ''}`,
    }),
  });
  const summary: JunitCase[] = [
    { classname: 'validate.summary', name: `median |error| <= ${MEDIAN_ERROR_LIMIT_PCT}%`, ...(s.medianAbsErrorPct <= MEDIAN_ERROR_LIMIT_PCT ? {} : { failure: `median |error| ${fmtPct(s.medianAbsErrorPct, false)}` }) },
    { classname: 'validate.summary', name: `max |error| <= ${MAX_ERROR_LIMIT_PCT}%`, ...(s.maxAbsErrorPct <= MAX_ERROR_LIMIT_PCT ? {} : { failure: `max |error| ${fmtPct(s.maxAbsErrorPct, false)} (${s.worst})` }) },
  ];
  return [...groups.map((g) => ({ name: g, cases: rows.filter((r) => r.group === g).map(rowCase) })), { name: 'summary', cases: summary }];
}
