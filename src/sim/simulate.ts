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
import type { EconomySummary } from '../economy/run';
import type { EconomyRow } from '../economy/day';
import { DAY_S } from '../economy/spec';
import { H100_PEAK_FLOP_S } from './economy';
import type { MonteCarlo } from './montecarlo';
import type { RingMode } from '../collective/allreduce';
import { InfeasibleLayout } from '../strategy/layout';
import type { Tracer } from '../trace/tracer';

export const SUMMARY_SCHEMA_VERSION = 3;

export interface SimulationResult {
  readonly schemaVersion: number;
  readonly scenario: { readonly name: string; readonly file: string; readonly description: string; readonly seed: number; readonly model: string; readonly params: number; readonly tokens: number };
  readonly run: RunSummary;
  readonly baseline: RunSummary | null;
  /** Run ÷ baseline for the headline figures, when there is a baseline. */
  readonly comparison: Comparison | null;
  /** The token economy coupled to the system run, when the scenario has one. */
  readonly economy: EconomySection | null;
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

/** summary.json's economy section: the economy's own summary, how it was coupled, and the headline. */
export interface EconomySection {
  /** Days stepped on the run's measured verified work, then on the economy's capacity model after training ended. */
  readonly coupledDays: number;
  readonly uncoupledDays: number;
  /**
   * How long training went on after the economy's last day (0 when the economy covered the run):
   * from then on nobody decided who trains, so the fleet stayed as the economy left it.
   */
  readonly trainingAfterEconomyS: number;
  /** Cohort classes of the economy with no node in the system (left out), and reserve nodes per day-0 GPU. */
  readonly droppedClasses: readonly string[];
  readonly reservePerGpu: number;
  /** The economy's extensive quantities (supply, emission, inflows, demand, supply caps) × this: system H100-eq ÷ the economy's own. */
  readonly scale: number;
  /** Classes whose operators wanted more GPUs active than the run had nodes for: the largest gap and the days it occurred. */
  readonly nodeShortfall: Readonly<Record<string, { readonly maxGpus: number; readonly days: number }>>;
  readonly headline: {
    /** The scenario's model under this economy (the system run), and whether it finished. */
    readonly timeToTrainS: number;
    readonly finished: boolean;
    /** Hyperscalers' capacity (H100-eq) at the end of the run, and the time that whole fleet would need at the baseline's MFU (or 0.4). */
    readonly hyperscalerH100eq: number;
    readonly hyperscalerTimeToTrainS: number;
    readonly hyperscalerMfu: number;
    readonly hyperscalerMfuSource: string;
  };
  readonly summary: EconomySummary;
  /** With `dtsim run --runs N`: P10/P50/P90 of the headline figures over N seeds. */
  readonly monteCarlo?: MonteCarlo;
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
  /** Each day's economy row, as it is produced (economy.csv). */
  readonly onEconomyRow?: (row: EconomyRow) => void;
}

export function simulate(scenario: Scenario, opts: SimulateOptions = {}): SimulationResult {
  const seed = opts.seed ?? scenario.seed;
  const regions = loadCatalog().regions;
  const runOne = (spec: Scenario['run'], field: string) => {
    const s = opts.fastForward === undefined ? spec : { ...spec, engine: { ...spec.engine, fastForward: opts.fastForward } };
    try {
      const economy = field === 'system' && scenario.economy ? { spec: scenario.economy.spec, onRow: opts.onEconomyRow } : undefined;
      return simulateRun(scenario, s, {
        seed, regions, onRow: opts.onRow, ringMode: opts.ringMode, field, economy, tracer: field === 'system' ? opts.tracer : undefined,
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
    comparison: baseline ? compareRuns(run, baseline) : null,
    economy: runResult.economy && scenario.economy ? economySection(scenario, runResult, run, baseline) : null,
    details: { scenario, run: runResult, baseline: baselineResult },
  };
}

/** MFU a hyperscaler cluster reaches when the scenario has no baseline to measure it: 40 % [M] (Llama 3 405B reports 38-43 %, arXiv 2407.21783 Table 4). */
const DEFAULT_HYPERSCALER_MFU = 0.4;

function economySection(scenario: Scenario, r: RunResult, run: RunSummary, baseline: RunSummary | null): EconomySection {
  const e = r.economy!, c = scenario.economy!;
  const hyper = e.summary.final.hyperscalerH100eq;
  const mfu = baseline && baseline.mfu > 0 ? baseline.mfu : DEFAULT_HYPERSCALER_MFU;
  const flop = scenario.training.tokens * r.modelFlopPerToken;
  return {
    coupledDays: e.coupledDays, uncoupledDays: e.uncoupledDays,
    trainingAfterEconomyS: Math.max(0, run.timeToTrainS - e.summary.days * DAY_S),
    droppedClasses: c.droppedClasses, reservePerGpu: c.reserve, scale: c.scale,
    nodeShortfall: e.nodeShortfall,
    headline: {
      timeToTrainS: run.timeToTrainS, finished: run.finished, hyperscalerH100eq: hyper,
      hyperscalerTimeToTrainS: hyper > 0 ? flop / (hyper * H100_PEAK_FLOP_S * mfu) : 0,
      hyperscalerMfu: mfu, hyperscalerMfuSource: baseline && baseline.mfu > 0 ? `the baseline run (${baseline.label})` : 'default 0.4 [M] (Llama 3 405B: 38-43 %, arXiv 2407.21783)',
    },
    summary: e.summary,
  };
}

/** Run ÷ baseline: ratios only when both finished, else a note saying which did not and how far it got. */
export function compareRuns(run: RunSummary, baseline: RunSummary): Comparison {
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
