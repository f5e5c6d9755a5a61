/**
 * The library entry point: simulate(scenario) runs the system under study and, when the
 * scenario has one, the baseline, each in its own engine with its own seeded streams.
 */
import type { Scenario } from '../scenario/types';
import { loadCatalog } from '../compute/catalog';
import { paramCount } from '../workload/model';
import { simulateRun, type TimeseriesRow } from './run';
import { summarizeRun, type RunSummary } from '../result/summary';
import type { RunResult } from '../result/result';
import type { RingMode } from '../collective/allreduce';
import { InfeasibleLayout } from '../strategy/layout';
import type { Tracer } from '../trace/tracer';

export const SUMMARY_SCHEMA_VERSION = 2;

export interface SimulationResult {
  readonly schemaVersion: number;
  readonly scenario: { readonly name: string; readonly file: string; readonly description: string; readonly seed: number; readonly model: string; readonly params: number; readonly tokens: number };
  readonly run: RunSummary;
  readonly baseline: RunSummary | null;
  /** Run ÷ baseline for the headline figures, when there is a baseline. */
  readonly comparison: Comparison | null;
  /**
   * Everything behind the summaries: the resolved scenario (SI units) and each run's per-node,
   * per-site and per-link result. Not part of summary.json (nodes.csv and links.csv hold it).
   */
  readonly details: { readonly scenario: Scenario; readonly run: RunResult; readonly baseline: RunResult | null };
}

/**
 * Run ÷ baseline (how many times slower, costlier the run is). A ratio of an unfinished run would
 * compare a time limit with a time to train: the ratios are given only when both finished, and
 * `note` says which did not and how far it got.
 */
export interface Comparison {
  readonly bothFinished: boolean;
  readonly timeToTrainRatio?: number;
  /** Time per effective token (token efficiency counted). */
  readonly effectiveTimeRatio?: number;
  readonly costRatio?: number;
  readonly energyRatio?: number;
  readonly note?: string;
}

export interface SimulateOptions {
  readonly seed?: number;
  readonly onRow?: (row: TimeseriesRow) => void;
  readonly onProgress?: (label: string, fraction: number) => void;
  readonly ringMode?: RingMode;
  /** Overrides every run's fast-forward switch (for checks against full simulation). */
  readonly fastForward?: boolean;
  /** Records a trace of the system under study (not the baseline); see src/report/trace.ts. */
  readonly tracer?: Tracer;
}

export function simulate(scenario: Scenario, opts: SimulateOptions = {}): SimulationResult {
  const seed = opts.seed ?? scenario.seed;
  const regions = loadCatalog().regions;
  const runOne = (spec: Scenario['run'], field: string) => {
    const s = opts.fastForward === undefined ? spec : { ...spec, engine: { ...spec.engine, fastForward: opts.fastForward } };
    try {
      return simulateRun(scenario, s, {
        seed, regions, onRow: opts.onRow, ringMode: opts.ringMode, field, tracer: field === 'system' ? opts.tracer : undefined,
        onProgress: opts.onProgress ? (f) => opts.onProgress!(s.label, f) : undefined,
      });
    } catch (e) {
      // Say which system of the file cannot be laid out.
      if (e instanceof InfeasibleLayout) throw new InfeasibleLayout(`${scenario.file}: ${field}.strategy: ${e.message}`);
      throw e;
    }
  };
  const runResult = runOne(scenario.run, 'system');
  const baselineResult = scenario.baseline ? runOne(scenario.baseline, 'baseline') : null;
  const run = summarizeRun(runResult);
  const baseline = baselineResult ? summarizeRun(baselineResult) : null;
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    scenario: {
      name: scenario.name, file: scenario.file, description: scenario.description, seed,
      model: scenario.model.name, params: paramCountOf(scenario), tokens: scenario.training.tokens,
    },
    run,
    baseline,
    comparison: baseline ? compare(run, baseline) : null,
    details: { scenario, run: runResult, baseline: baselineResult },
  };
}

function compare(run: RunSummary, baseline: RunSummary): Comparison {
  const unfinished = [run, baseline].filter((r) => !r.finished);
  if (unfinished.length > 0) {
    return {
      bothFinished: false,
      note: unfinished.map((r) => `${r.label} did not finish: ${(100 * r.progress).toFixed(1)} % of the tokens in ${(r.timeToTrainS / 86400).toFixed(1)} days` +
        ` (${r.stopReason === 'event-limit' ? `event limit of ${r.simulator.events} reached` : 'time limit reached'})`).join('; ') + '; no ratio is given',
    };
  }
  // A finished run took time, cost and energy: the denominators are positive unless the baseline is free.
  const ratio = (a: number, b: number) => (b > 0 ? a / b : undefined);
  const effTime = (r: RunSummary) => r.timeToTrainS / r.tokenEfficiency.value;
  return {
    bothFinished: true,
    timeToTrainRatio: ratio(run.timeToTrainS, baseline.timeToTrainS),
    effectiveTimeRatio: ratio(effTime(run), effTime(baseline)),
    costRatio: ratio(run.costUsd, baseline.costUsd),
    energyRatio: ratio(run.energyJ, baseline.energyJ),
  };
}

function paramCountOf(s: Scenario): number {
  return paramCount(s.model);
}
