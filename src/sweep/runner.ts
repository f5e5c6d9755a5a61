/**
 * Runs a sweep (or this process's shard of it) into an output folder: checks every point's
 * scenario up front, resumes from the points already there, runs the rest on the executor
 * (a unit at a time per target search, every point at once otherwise), simulates each distinct
 * baseline once, writes each point's summary as it finishes and appends its row to the live
 * results file, then rewrites the results in point order.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioError, scenarioFromTree } from '../scenario/load';
import type { Issue } from '../scenario/resolve';
import { resultJson } from '../report/write';
import type { SimulationResult } from '../sim/simulate';
import { baselineKey, composeResult, type RunSummary } from './compose';
import { buildPlan, paramColumns, pointTree, pointValues, unitCount, unitSize, valueText, type Plan } from './plan';
import { openExecutor, type Executor } from './pool';
import { Progress } from './progress';
import { appendRow, collect, planCondition, resultRow, unitOutcome, writeViews } from './results';
import { inShard, shardLabel, type Shard } from './shard';
import { sweptAt, type SweepSource } from './spec';
import {
  baselineFile, planJson, readPlanFile, readPoints, removeTempFiles, writeAtomic, writePointError, writePointSummary, type PointRecord,
} from './store';
import type { TaskResult } from './worker';

export interface SweepOptions {
  readonly out: string;
  /** Worker threads; 0 runs points in the main thread. */
  readonly workers: number;
  readonly shard?: Shard | null;
  readonly quiet?: boolean;
  readonly err?: NodeJS.WritableStream;
  /** Force the progress style (tests). */
  readonly tty?: boolean;
  /** An executor to use instead of opening one (kept open: e.g. a warm pool shared by several sweeps). */
  readonly executor?: Executor;
}

export interface SweepOutcome {
  readonly plan: Plan;
  /** Points of this run's scope: finished before (resumed), simulated now, failed (infeasible or error). */
  readonly resumed: number;
  readonly simulated: number;
  readonly failed: number;
  readonly internalErrors: number;
  readonly baselinesSimulated: number;
  readonly baselinesReused: number;
  /** The results file written for this scope, and whether the whole sweep is complete in `out`. */
  readonly resultsFile: string;
  readonly complete: boolean;
  readonly seconds: number;
}

/** One line per problem, naming the sweep file and the swept field when a swept value is at fault. */
function pointIssues(src: SweepSource, plan: Plan, index: number, e: ScenarioError): Issue[] {
  const cols = paramColumns(plan).slice(0, -1);
  const vals = pointValues(plan, index);
  return e.issues.map((i) => {
    const related = (c: string) => i.path === c || i.path.startsWith(`${c}.`) || i.path.startsWith(`${c}[`)
      || (i.path !== '' && (c.startsWith(`${i.path}.`) || c.startsWith(`${i.path}[`)));
    const col = cols.findIndex(related);
    const where = col >= 0 ? sweptAt(src, cols[col]) : null;
    if (where) return { path: where, message: `${valueText(vals[col])}: ${e.file}: ${i.path ? `${i.path}: ` : ''}${i.message}` };
    const set = Object.keys(src.sweep.set ?? {}).find(related);
    if (set) return { path: sweptAt(src, set)!, message: `${e.file}: ${i.path ? `${i.path}: ` : ''}${i.message}` };
    return { path: src.prefix.length ? '' : 'scenario', message: `${e.file}: ${i.path ? `${i.path}: ` : ''}${i.message}` };
  });
}

/** Swept paths through a list index the scenario does not have (system.sites[7] of 4 sites). */
function indexIssues(src: SweepSource, plan: Plan): Issue[] {
  const issues: Issue[] = [];
  for (const c of paramColumns(plan).slice(0, -1)) {
    let v: unknown = src.tree;
    let walked = '';
    for (const k of c.split(/\.|\[(\d+)\]/).filter((x) => x !== undefined && x !== '')) {
      if (Array.isArray(v)) {
        const i = Number(k);
        if (!/^\d+$/.test(k) || i >= v.length) {
          issues.push({ path: sweptAt(src, c)!, message: `${src.scenarioFile}: ${walked} has ${v.length} entr${v.length === 1 ? 'y' : 'ies'}, there is no [${k}]` });
          break;
        }
        v = v[i];
        walked += `[${k}]`;
      } else if (v && typeof v === 'object') {
        v = (v as Record<string, unknown>)[k];
        walked += walked ? `.${k}` : k;
      } else break;
    }
  }
  return issues;
}

interface Checked {
  /** Baseline key per point in scope (absent: no baseline). */
  readonly keys: Map<number, string>;
  /** One point per baseline key, whose tree simulates that baseline. */
  readonly baselinePoint: Map<string, number>;
}

/** Resolves every point of the units in scope; any scenario problem stops the sweep before it starts. */
function checkPoints(src: SweepSource, plan: Plan, units: readonly number[]): Checked {
  const pre = indexIssues(src, plan);
  if (pre.length) throw new ScenarioError(src.file, pre);
  const keys = new Map<number, string>();
  const baselinePoint = new Map<string, number>();
  const lines = new Map<string, Issue>();
  const size = unitSize(plan);
  for (const u of units) {
    for (let k = 0; k < size; k++) {
      const index = u * size + k;
      try {
        const s = scenarioFromTree(pointTree(src, plan, index), src.scenarioFile);
        const key = baselineKey(s);
        if (key) {
          keys.set(index, key);
          if (!baselinePoint.has(key)) baselinePoint.set(key, index);
        }
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        for (const i of pointIssues(src, plan, index, e)) lines.set(`${i.path}\0${i.message}`, i);
        if (lines.size >= 20) break;
      }
    }
    if (lines.size >= 20) break;
  }
  if (lines.size) throw new ScenarioError(src.file, [...lines.values()]);
  return { keys, baselinePoint };
}

/** sweep.json: written on the first run, and must match on a resumed one. */
function claimOutDir(src: SweepSource, plan: Plan, out: string): void {
  const existing = join(out, 'sweep.json');
  const text = planJson(plan);
  if (existsSync(existing)) {
    const old = readFileSync(existing, 'utf8');
    if (old !== text) {
      const why = (() => {
        const p = readPlanFile(out);
        if (!p) return 'unreadable';
        if (p.inputSha !== plan.inputSha) return 'the scenario or the sweep changed';
        return 'another sweep';
      })();
      throw new ScenarioError(src.file, [{ path: '', message: `${out} holds the results of a different sweep (${why}); choose another --out, or remove it to start over` }]);
    }
    return;
  }
  writeAtomic(existing, text);
}

export async function runSweep(src: SweepSource, o: SweepOptions): Promise<SweepOutcome> {
  const t0 = Date.now();
  const plan = buildPlan(src);
  const shard = o.shard ?? null;
  const units = Array.from({ length: unitCount(plan) }, (_, u) => u).filter((u) => inShard(shard, u));
  const checked = checkPoints(src, plan, units);
  claimOutDir(src, plan, o.out);
  removeTempFiles(o.out);
  const cond = planCondition(plan);
  const points = readPoints(o.out, plan);
  const resultsName = shard ? `results.shard-${shard.index + 1}-of-${shard.count}.csv` : 'results.csv';
  const resultsFile = join(o.out, resultsName);
  // The live file starts from what is on disk (a half-written row from a kill is gone).
  const before = collect(plan, points, units);
  await writeViews(o.out, plan, points, { units, resultsName, report: false });
  const resumed = before.rows.length;

  // Points this run's scope will have when done: exact without a target; with one, the points a
  // search has simulated plus at most what its bisection still needs. Kept per unit, summed once.
  const size = unitSize(plan);
  const searchBound = size > 1 ? 1 + Math.ceil(Math.log2(size)) : 1;
  const estimateOf = (u: number) => {
    const oc = unitOutcome(plan, cond, u, points);
    const have = oc.probes.filter((p) => points.has(p)).length;
    return have + (oc.need === undefined ? 0 : Math.max(1, searchBound - have));
  };
  const estimates = new Map(units.map((u) => [u, estimateOf(u)]));
  let estimate = [...estimates.values()].reduce((a, b) => a + b, 0);
  const reestimate = (u: number) => {
    const e = estimateOf(u);
    estimate += e - estimates.get(u)!;
    estimates.set(u, e);
  };
  const remaining = () => estimate;
  const label = `${plan.name}${shard ? ` shard ${shardLabel(shard)}` : ''}`;
  const progress = new Progress({ stream: o.err ?? process.stderr, label, done: resumed, total: remaining, quiet: o.quiet, tty: o.tty, slots: Math.max(1, o.workers) });

  let simulated = 0, failed = 0, internalErrors = 0, baselinesSimulated = 0, baselinesReused = 0;
  const baselines = new Map<string, Promise<RunSummary | TaskResult>>();
  let exec: Executor | null = null;

  const getBaseline = (key: string): Promise<RunSummary | TaskResult> => {
    let p = baselines.get(key);
    if (!p) {
      const file = baselineFile(o.out, key);
      if (existsSync(file)) {
        baselinesReused++;
        p = Promise.resolve(JSON.parse(readFileSync(file, 'utf8')) as RunSummary);
      } else {
        const index = checked.baselinePoint.get(key)!;
        p = exec!.run({ kind: 'baseline', tree: pointTree(src, plan, index), file: src.scenarioFile }).then((r) => {
          if (!r.ok) return r;
          baselinesSimulated++;
          writeAtomic(file, `${JSON.stringify(r.baseline)}\n`);
          return r.baseline!;
        });
      }
      baselines.set(key, p);
    }
    return p;
  };

  const runPoint = async (index: number, done: () => void): Promise<void> => {
    progress.start();
    const key = checked.keys.get(index);
    const [r, b] = await Promise.all([
      exec!.run({ kind: 'point', tree: pointTree(src, plan, index), file: src.scenarioFile }),
      key ? getBaseline(key) : Promise.resolve(null),
    ]);
    let rec: PointRecord;
    const bad = !r.ok ? r : b && 'ok' in b && !b.ok ? b : null;
    if (bad && !bad.ok) {
      writePointError(o.out, plan, index, { status: bad.status, message: bad.message });
      rec = { index, status: bad.status, message: bad.message, json: '' };
      failed++;
      if (bad.message.startsWith('internal error')) internalErrors++;
    } else {
      const result = composeResult((r as Extract<TaskResult, { ok: true }>).result!, b as RunSummary | null);
      const json = resultJson(result as SimulationResult);
      writePointSummary(o.out, plan, index, json);
      rec = { index, status: 'ok', summary: JSON.parse(json), json };
    }
    points.set(index, rec);
    simulated++;
    await appendRow(resultsFile, resultRow(plan, cond, rec));
    done();
    progress.finish();
  };

  const driveUnit = async (u: number): Promise<void> => {
    for (;;) {
      const oc = unitOutcome(plan, cond, u, points);
      if (oc.need === undefined) return;
      await runPoint(oc.need, () => reestimate(u));
    }
  };

  try {
    const todo = units.filter((u) => unitOutcome(plan, cond, u, points).need !== undefined);
    if (todo.length) {
      // No more threads than searches or points to run: each thread pays the simulator's start-up.
      exec = o.executor ?? await openExecutor(Math.min(o.workers, todo.length));
      await Promise.all(todo.map(driveUnit));
    }
  } finally {
    progress.close();
    if (exec && exec !== o.executor) await exec.close();
  }

  await writeViews(o.out, plan, points, { units, resultsName, report: !shard });
  let complete = !shard;
  if (shard) {
    // On a shared folder the last shard to finish writes the whole sweep's results.
    const all = readPoints(o.out, plan);
    if (collect(plan, all).missing.length === 0) {
      await writeViews(o.out, plan, all);
      complete = true;
    }
  }
  return {
    plan, resumed, simulated, failed, internalErrors, baselinesSimulated, baselinesReused,
    resultsFile, complete, seconds: (Date.now() - t0) / 1000,
  };
}
