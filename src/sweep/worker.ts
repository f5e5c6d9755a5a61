/**
 * One sweep task, run in a worker thread (worker-entry.js loads this through tsx) or in the main
 * thread (--workers 0). A point task simulates the system only; a baseline task simulates a
 * baseline system once for every point that shares it (src/sweep/compose.ts puts them together).
 * Only the public simulate() is used: a baseline is simulated as the system of a scenario
 * without a baseline, which gives the same summary (each run has its own engine and streams).
 */
import { scenarioFromTree, ScenarioError } from '../scenario/load';
import { simulate } from '../sim/simulate';
import { InfeasibleLayout } from '../strategy/layout';
import { sampleRun, type McSample } from '../sim/montecarlo';
import type { PlainResult, RunSummary } from './compose';

export interface Task {
  /** A sweep point, a baseline shared by points, or one Monte Carlo run after the first (`dtsim run --runs N`). */
  readonly kind: 'point' | 'baseline' | 'mc';
  readonly tree: unknown;
  /** The scenario file label (summary `scenario.file`, relative paths inside the scenario). */
  readonly file: string;
  /** Monte Carlo runs: the run's seed, and the --no-fast-forward override. */
  readonly seed?: number;
  readonly fastForward?: boolean;
}

export type TaskResult =
  | { readonly ok: true; readonly result?: PlainResult; readonly baseline?: RunSummary; readonly sample?: McSample }
  | { readonly ok: false; readonly status: 'infeasible' | 'error'; readonly message: string };

/** The result without `details` (the resolved scenario and per-node results: not in summary.json, not needed across threads). */
function plain(r: object): PlainResult {
  return Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'details')) as unknown as PlainResult;
}

export function runTask(t: Task): TaskResult {
  try {
    const scenario = scenarioFromTree(t.tree, t.file);
    if (t.kind === 'mc') return { ok: true, sample: sampleRun(scenario, t.seed!, { fastForward: t.fastForward }) };
    if (t.kind === 'point') return { ok: true, result: plain(simulate({ ...scenario, baseline: null })) };
    try {
      return { ok: true, baseline: simulate({ ...scenario, run: scenario.baseline!, baseline: null }).run };
    } catch (e) {
      // Simulated in the system's place, its layout advice names system.strategy fields.
      if (e instanceof InfeasibleLayout) throw new InfeasibleLayout(e.message.replace(/\bsystem\.strategy\b/g, 'baseline.strategy'));
      throw e;
    }
  } catch (e) {
    if (e instanceof InfeasibleLayout) return { ok: false, status: 'infeasible', message: e.message };
    if (e instanceof ScenarioError) return { ok: false, status: 'error', message: e.message };
    return { ok: false, status: 'error', message: `internal error: ${(e as Error)?.message ?? String(e)}` };
  }
}

export default runTask;
