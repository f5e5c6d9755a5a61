/**
 * The library entry point: simulate(scenario) runs the system under study and, when the
 * scenario has one, the baseline, each in its own engine with its own seeded streams.
 */
import type { Scenario } from '../scenario/types';
import { loadCatalog } from '../compute/catalog';
import { paramCount } from '../workload/model';
import { simulateRun, type TimeseriesRow } from './run';
import type { RunSummary } from '../metrics/summary';
import type { RingMode } from '../collective/allreduce';
import { InfeasibleLayout } from '../strategy/layout';

export const SUMMARY_SCHEMA_VERSION = 1;

export interface SimulationResult {
  readonly schemaVersion: number;
  readonly scenario: { readonly name: string; readonly file: string; readonly description: string; readonly seed: number; readonly model: string; readonly params: number; readonly tokens: number };
  readonly run: RunSummary;
  readonly baseline: RunSummary | null;
  /** Baseline ÷ run for the headline figures (how many times slower/costlier the run is), when there is a baseline. */
  readonly comparison: {
    readonly timeToTrainRatio: number;
    readonly effectiveTimeRatio: number;
    readonly costRatio: number;
    readonly energyRatio: number;
  } | null;
}

export interface SimulateOptions {
  readonly seed?: number;
  readonly onRow?: (row: TimeseriesRow) => void;
  readonly onProgress?: (label: string, fraction: number) => void;
  readonly ringMode?: RingMode;
  /** Overrides every run's fast-forward switch (for checks against full simulation). */
  readonly fastForward?: boolean;
}

export function simulate(scenario: Scenario, opts: SimulateOptions = {}): SimulationResult {
  const seed = opts.seed ?? scenario.seed;
  const regions = loadCatalog().regions;
  const runOne = (spec: Scenario['run'], field: string) => {
    const s = opts.fastForward === undefined ? spec : { ...spec, engine: { ...spec.engine, fastForward: opts.fastForward } };
    try {
      return simulateRun(scenario, s, {
        seed, regions, onRow: opts.onRow, ringMode: opts.ringMode,
        onProgress: opts.onProgress ? (f) => opts.onProgress!(s.label, f) : undefined,
      });
    } catch (e) {
      // Say which system of the file cannot be laid out.
      if (e instanceof InfeasibleLayout) throw new InfeasibleLayout(`${scenario.file}: ${field}.strategy: ${e.message}`);
      throw e;
    }
  };
  const run = runOne(scenario.run, 'system');
  const baseline = scenario.baseline ? runOne(scenario.baseline, 'baseline') : null;
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  const effTime = (r: RunSummary) => ratio(r.timeToTrainS, r.tokenEfficiency.value);
  const cost = (r: RunSummary) => r.rentalCostUsd + r.energyCostUsd;
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    scenario: {
      name: scenario.name, file: scenario.file, description: scenario.description, seed,
      model: scenario.model.name, params: paramCountOf(scenario), tokens: scenario.training.tokens,
    },
    run,
    baseline,
    comparison: baseline ? {
      timeToTrainRatio: ratio(run.timeToTrainS, baseline.timeToTrainS),
      effectiveTimeRatio: ratio(effTime(run), effTime(baseline)),
      costRatio: ratio(cost(run), cost(baseline)),
      energyRatio: ratio(run.energyJ, baseline.energyJ),
    } : null,
  };
}

function paramCountOf(s: Scenario): number {
  return paramCount(s.model);
}
