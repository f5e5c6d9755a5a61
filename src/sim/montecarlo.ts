/**
 * Monte Carlo over seeds for a scenario with an economy: the coupled run repeated with seeds
 * seed, seed+1, …; each run draws its own failures, churn and market noise. The baseline does
 * not depend on the economy and is simulated once. Bands are P10/P50/P90 (linear interpolation).
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

export interface MonteCarlo {
  readonly runs: number;
  readonly seeds: readonly number[];
  readonly headline: Readonly<Record<keyof typeof MC_HEADLINE, Band>>;
  /** Per day: the bands of MC_DAILY (day, then p10/p50/p90 of each). */
  readonly daily: readonly Readonly<Record<string, number>>[];
}

function band(values: number[]): Band {
  const s = values.slice().sort((a, b) => a - b);
  return { p10: quantile(s, 0.1), p50: quantile(s, 0.5), p90: quantile(s, 0.9) };
}

/** `runs` coupled runs from the scenario's seed (or opts.seed); the first is returned whole as the headline run. */
export function simulateMonteCarlo(scenario: Scenario, runs: number, opts: SimulateOptions = {}): { first: SimulationResult; monteCarlo: MonteCarlo } {
  const seed0 = opts.seed ?? scenario.seed;
  const seeds = Array.from({ length: runs }, (_, i) => seed0 + i);
  const results: SimulationResult[] = [];
  const days: EconomyRow[][] = [];
  const noBaseline: Scenario = { ...scenario, baseline: null };
  seeds.forEach((seed, i) => {
    const rows: EconomyRow[] = [];
    const first = i === 0;
    const r = simulate(first ? scenario : noBaseline, {
      ...opts, seed,
      onRow: first ? opts.onRow : undefined,
      tracer: first ? opts.tracer : undefined,
      onEconomyRow: (row) => {
        rows.push(row);
        if (first) opts.onEconomyRow?.(row);
      },
    });
    results.push(r);
    days.push(rows);
  });
  const headline = Object.fromEntries(Object.entries(MC_HEADLINE).map(([k, f]) => [k, band(results.map(f))])) as MonteCarlo['headline'];
  const nDays = Math.min(...days.map((d) => d.length));
  const daily = Array.from({ length: nDays }, (_, d) => {
    const row: Record<string, number> = { day: d };
    for (const c of MC_DAILY) {
      const b = band(days.map((x) => x[d][c] ?? 0));
      row[`${c}_p10`] = b.p10;
      row[`${c}_p50`] = b.p50;
      row[`${c}_p90`] = b.p90;
    }
    return row;
  });
  return { first: results[0], monteCarlo: { runs, seeds, headline, daily } };
}
