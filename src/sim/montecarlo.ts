/**
 * Monte Carlo over seeds for a scenario with an economy: the coupled run repeated with seeds
 * seed, seed+1, …; each run draws its own failures, churn and market noise. The baseline does
 * not depend on the economy and is simulated once. Bands are P10/P50/P90 (linear interpolation).
 *
 * A run is reduced to a sample (its headline figures and the banded daily columns), so that the
 * runs after the first can be simulated anywhere (worker threads: src/cli/montecarlo.ts) and
 * banded in seed order: the bands do not depend on where or in which order runs were simulated.
 */
import type { Scenario } from '../scenario/types';
import { quantile } from '../economy/run';
import type { EconomyRow } from '../economy/day';
import { simulate, type SimulateOptions, type SimulationResult } from './simulate';

export interface Band {
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
}

/** The headline figures banded over the runs. */
export const MC_HEADLINE = {
  timeToTrainS: (r: SimulationResult) => r.run.timeToTrainS,
  finishedShare: (r: SimulationResult) => (r.run.finished ? 1 : 0),
  finalPriceUsd: (r: SimulationResult) => r.economy!.summary.final.priceUsd,
  capacityH100eq: (r: SimulationResult) => r.economy!.summary.final.capacityH100eq,
  capacityShare: (r: SimulationResult) => r.economy!.summary.final.capacityShare,
  absorptionRatio: (r: SimulationResult) => r.economy!.summary.absorptionRatio,
  subsidyCoverage: (r: SimulationResult) => r.economy!.summary.subsidyCoverage,
  maxDrawdown: (r: SimulationResult) => r.economy!.summary.maxDrawdown,
} as const;

/** Daily columns banded in economy-mc.csv. */
export const MC_DAILY = ['price_usd', 'capacity_h100eq', 'capacity_share', 'absorption_ratio'] as const;

type HeadlineKey = keyof typeof MC_HEADLINE;

/** What the bands need of one run: plain numbers, cheap to send between threads. */
export interface McSample {
  readonly headline: Readonly<Record<HeadlineKey, number>>;
  /** Per MC_DAILY column, its value on each day. */
  readonly daily: Readonly<Record<(typeof MC_DAILY)[number], readonly number[]>>;
}

export interface MonteCarlo {
  readonly runs: number;
  readonly seeds: readonly number[];
  readonly headline: Readonly<Record<HeadlineKey, Band>>;
  /** Per day: the bands of MC_DAILY (day, then p10/p50/p90 of each). */
  readonly daily: readonly Readonly<Record<string, number>>[];
}

function band(values: number[]): Band {
  const s = values.slice().sort((a, b) => a - b);
  return { p10: quantile(s, 0.1), p50: quantile(s, 0.5), p90: quantile(s, 0.9) };
}

export function sampleOf(r: SimulationResult, rows: readonly EconomyRow[]): McSample {
  return {
    headline: Object.fromEntries(Object.entries(MC_HEADLINE).map(([k, f]) => [k, f(r)])) as McSample['headline'],
    daily: Object.fromEntries(MC_DAILY.map((c) => [c, rows.map((row) => row[c] ?? 0)])) as unknown as McSample['daily'],
  };
}

/** One run after the first: the system only (the baseline is the first run's), reduced to its sample. */
export function sampleRun(scenario: Scenario, seed: number, opts: Pick<SimulateOptions, 'fastForward' | 'ringMode' | 'onProgress'> = {}): McSample {
  const rows: EconomyRow[] = [];
  const { fastForward, ringMode, onProgress } = opts;
  const r = simulate({ ...scenario, baseline: null }, { fastForward, ringMode, onProgress, seed, onEconomyRow: (row) => rows.push(row) });
  return sampleOf(r, rows);
}

/** The bands of samples taken with `seeds` (in that order). */
export function bandSamples(seeds: readonly number[], samples: readonly McSample[]): MonteCarlo {
  const headline = Object.fromEntries(Object.keys(MC_HEADLINE).map((k) => [k, band(samples.map((s) => s.headline[k as HeadlineKey]))])) as MonteCarlo['headline'];
  const nDays = Math.min(...samples.map((s) => s.daily[MC_DAILY[0]].length));
  const daily = Array.from({ length: nDays }, (_, d) => {
    const row: Record<string, number> = { day: d };
    for (const c of MC_DAILY) {
      const b = band(samples.map((s) => s.daily[c][d]));
      row[`${c}_p10`] = b.p10;
      row[`${c}_p50`] = b.p50;
      row[`${c}_p90`] = b.p90;
    }
    return row;
  });
  return { runs: samples.length, seeds, headline, daily };
}

/** The first run, whole (headline run, with the caller's callbacks), and its sample. */
export function firstRun(scenario: Scenario, opts: SimulateOptions = {}): { first: SimulationResult; sample: McSample } {
  const rows: EconomyRow[] = [];
  const first = simulate(scenario, {
    ...opts, seed: opts.seed ?? scenario.seed,
    onEconomyRow: (row) => {
      rows.push(row);
      opts.onEconomyRow?.(row);
    },
  });
  return { first, sample: sampleOf(first, rows) };
}

/** Seeds of `runs` runs from the scenario's seed (or opts.seed). */
export const mcSeeds = (scenario: Scenario, runs: number, seed?: number): number[] =>
  Array.from({ length: runs }, (_, i) => (seed ?? scenario.seed) + i);
