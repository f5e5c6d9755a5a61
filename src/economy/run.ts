/**
 * Running the economy alone (uncoupled: every active GPU delivers its nameplate work) or with a
 * work callback (coupled: the training run reports verified work per class), its summary, and
 * Monte Carlo bands over seeds.
 */
import { streamFor } from '../engine/rng';
import { advanceDay, classColumn, type DayInput, type EconomyRow } from './day';
import { DAYS_PER_YEAR, type EconomySpec } from './spec';
import { bookValue, initialState, type EconomyState } from './state';
import { classDerived } from './derived';

/** GPUs of one class at the end, by state. */
export interface ClassGpus {
  readonly active: number;
  readonly idle: number;
  readonly migrated: number;
  readonly exited: number;
  readonly retired: number;
  readonly delivered: number;
  /** Effective H100-equivalents of the active GPUs (perf × uptime × (1 − verification overhead)). */
  readonly capacityH100eq: number;
}

/** One vintage of one class (cost tiers summed). */
export interface CohortSummary {
  readonly class: string;
  /** First day of the vintage (negative: the day-0 fleet's purchase day). */
  readonly vintageDay: number;
  readonly initial: boolean;
  readonly delivered: number;
  readonly active: number;
  readonly idle: number;
  readonly migrated: number;
  readonly exited: number;
  readonly retired: number;
  /** Capital spent (day-0 fleet: its book value on day 0). */
  readonly capexUsd: number;
  /** Cumulative operating cash flow in the window, residual value at retirement included. */
  readonly cashUsd: number;
  /** Days from the vintage (or day 0 for the initial fleet) until cash covered capex; null if it never did. */
  readonly paybackDays: number | null;
  /** (cash + book value of the GPUs still held − capex) ÷ capex, at the end. */
  readonly roi: number;
  /** roi ÷ years held in the window. */
  readonly roiPerYear: number;
}

export interface EconomySummary {
  readonly days: number;
  readonly seed: number;
  readonly preset: string | null;
  /** Values on the last day (prices at its close; GPU counts going into the next day). */
  readonly final: {
    readonly priceUsd: number;
    readonly marketCapUsd: number;
    readonly circulatingTokens: number;
    readonly mintedTokens: number;
    readonly burnedTokens: number;
    readonly lockedTokens: number;
    /** Effective capacity of the decentralized network, H100-equivalents. */
    readonly capacityH100eq: number;
    readonly hyperscalerH100eq: number;
    /** capacityH100eq ÷ hyperscalerH100eq. */
    readonly capacityShare: number;
    /** Share of capacity on home GPUs. */
    readonly homeShare: number;
    readonly idleFraction: number;
    readonly exitFraction: number;
  };
  readonly peakCapacityH100eq: number;
  readonly peakPriceUsd: number;
  readonly minPriceUsd: number;
  /** Largest fall from a running peak of the price, as a share of that peak. */
  readonly maxDrawdown: number;
  /** Σ over days of effective capacity (H100-eq·days), and of the hyperscalers' capacity. */
  readonly capacityH100eqDays: number;
  readonly hyperscalerH100eqDays: number;
  /** Market value of all emission, and of the operators' rewards, at each day's opening price. */
  readonly emissionValueUsd: number;
  readonly operatorRewardUsd: number;
  /** Σ max(0, active GPUs × (capex / life + hurdle × capex + OpEx) per day − fiat revenue): what operators need from tokens. */
  readonly requiredSubsidyUsd: number;
  /** operatorRewardUsd ÷ requiredSubsidyUsd. */
  readonly subsidyCoverage: number;
  /** (investor buys − investor sells) ÷ (operator + validator + unlock sells), over the run. */
  readonly absorptionRatio: number;
  readonly investorBuyUsd: number;
  readonly investorSellUsd: number;
  readonly operatorSellUsd: number;
  readonly otherSellUsd: number;
  readonly unlockSellUsd: number;
  readonly buybackUsd: number;
  readonly fiatRevenueUsd: number;
  readonly gpusByClass: Readonly<Record<string, ClassGpus>>;
  readonly cohorts: readonly CohortSummary[];
}

export interface RunOptions {
  /** Keep every day's row in the result (default true). */
  readonly rows?: boolean;
  /** Called with each day's row as it is produced (e.g. to stream economy.csv). */
  readonly onRow?: (row: EconomyRow) => void;
}

/**
 * Runs `spec.days` days from the initial state. `work(state, day)` supplies the day's verified
 * work (coupled run); without it every active GPU delivers perf × uptime × 86,400 H100-eq·s.
 */
export function runEconomy(spec: EconomySpec, seed: number, work?: (state: EconomyState, day: number) => DayInput,
  opts: RunOptions = {}): { rows: EconomyRow[]; summary: EconomySummary; state: EconomyState } {
  const rng = streamFor(seed, 'economy');
  const s = initialState(spec);
  const rows: EconomyRow[] = [];
  const keep = opts.rows !== false;
  const acc = new SummaryAcc();
  const empty: DayInput = {};
  for (let d = 0; d < spec.days; d++) {
    const res = advanceDay(spec, s, work ? work(s, d) : empty, rng);
    acc.add(res.row);
    if (keep) rows.push(res.row);
    opts.onRow?.(res.row);
  }
  return { rows, summary: summarize(spec, s, seed, acc), state: s };
}

/** Running extremes over the rows. */
export class SummaryAcc {
  peakCapacity = 0;
  peakPrice = 0;
  minPrice = Infinity;
  maxDrawdown = 0;
  last: EconomyRow | null = null;
  add(row: EconomyRow): void {
    this.peakCapacity = Math.max(this.peakCapacity, row.capacity_h100eq);
    this.peakPrice = Math.max(this.peakPrice, row.price_usd);
    this.minPrice = Math.min(this.minPrice, row.price_usd);
    if (this.peakPrice > 0) this.maxDrawdown = Math.max(this.maxDrawdown, 1 - row.price_usd / this.peakPrice);
    this.last = row;
  }
}

export function summarize(spec: EconomySpec, s: EconomyState, seed: number, acc: SummaryAcc): EconomySummary {
  const D = classDerived(spec);
  const last = acc.last;
  const T = s.totals;
  const gpusByClass: Record<string, ClassGpus> = {};
  spec.cohorts.forEach((c, i) => {
    let active = 0, idle = 0, migrated = 0, exited = 0, retired = 0, delivered = 0;
    for (const k of [...s.cohorts, ...s.closed]) {
      if (k.cls !== i) continue;
      active += k.active; idle += k.idle; migrated += k.migrated; exited += k.exited; retired += k.retired; delivered += k.delivered;
    }
    gpusByClass[c.id] = { active, idle, migrated, exited, retired, delivered, capacityH100eq: active * D.nameplate[i] };
  });
  // Cohorts: tiers of one class and vintage summed.
  const byKey = new Map<string, { cls: number; vintageDay: number; initial: boolean; f: number[]; payback: number | null; allPaid: boolean }>();
  for (const k of [...s.closed, ...s.cohorts]) {
    const key = `${k.cls}/${k.vintageDay}/${k.initial}`;
    let e = byKey.get(key);
    if (!e) {
      e = { cls: k.cls, vintageDay: k.vintageDay, initial: k.initial, f: [0, 0, 0, 0, 0, 0, 0, 0, 0], payback: null, allPaid: true };
      byKey.set(key, e);
    }
    const c = spec.cohorts[k.cls];
    const perGpu = k.delivered > 0 ? k.capexUsd / k.delivered : 0;
    const held = k.active + k.idle + k.migrated;
    const book = c.costModel === 'owned' ? held * bookValue(perGpu, c.residualFraction, D.lifeDays[k.cls], s.day - k.vintageDay) : 0;
    const f = e.f;
    f[0] += k.delivered; f[1] += k.active; f[2] += k.idle; f[3] += k.migrated; f[4] += k.exited; f[5] += k.retired;
    f[6] += k.capexUsd; f[7] += k.cashUsd; f[8] += book;
    if (k.paybackDay === null) e.allPaid = false;
    else e.payback = Math.max(e.payback ?? 0, k.paybackDay);
  }
  const cohorts: CohortSummary[] = [...byKey.values()].map((e) => {
    const f = e.f;
    const start = Math.max(0, e.vintageDay);
    const years = Math.max(1, s.day - start) / DAYS_PER_YEAR;
    const roi = f[6] > 0 ? (f[7] + f[8] - f[6]) / f[6] : 0;
    return {
      class: spec.cohorts[e.cls].id, vintageDay: e.vintageDay, initial: e.initial,
      delivered: f[0], active: f[1], idle: f[2], migrated: f[3], exited: f[4], retired: f[5],
      capexUsd: f[6], cashUsd: f[7],
      paybackDays: e.allPaid && e.payback !== null ? e.payback - start + 1 : null,
      roi, roiPerYear: roi / years,
    };
  });
  const sells = T.operatorSellUsd + T.otherSellUsd + T.unlockSellUsd;
  return {
    days: s.day, seed, preset: spec.preset,
    final: {
      priceUsd: s.priceUsd,
      marketCapUsd: last?.market_cap_usd ?? 0,
      circulatingTokens: last?.circulating_tokens ?? 0,
      mintedTokens: s.supply.minted,
      burnedTokens: s.supply.burned,
      lockedTokens: last?.locked_tokens ?? 0,
      capacityH100eq: last?.capacity_h100eq ?? 0,
      hyperscalerH100eq: s.hyperscalerH100eq,
      capacityShare: last?.capacity_share ?? 0,
      homeShare: last?.home_share ?? 0,
      idleFraction: last?.idle_fraction ?? 0,
      exitFraction: last?.exit_fraction ?? 0,
    },
    peakCapacityH100eq: acc.peakCapacity,
    peakPriceUsd: acc.peakPrice,
    minPriceUsd: Number.isFinite(acc.minPrice) ? acc.minPrice : s.priceUsd,
    maxDrawdown: acc.maxDrawdown,
    capacityH100eqDays: T.capacityH100eqDays,
    hyperscalerH100eqDays: T.hyperscalerH100eqDays,
    emissionValueUsd: T.emissionValueUsd,
    operatorRewardUsd: T.operatorRewardUsd,
    requiredSubsidyUsd: T.requiredSubsidyUsd,
    subsidyCoverage: T.requiredSubsidyUsd > 0 ? T.operatorRewardUsd / T.requiredSubsidyUsd : 0,
    absorptionRatio: sells > 0 ? Math.max(0, T.investorBuyUsd - T.investorSellUsd) / sells : 0,
    investorBuyUsd: T.investorBuyUsd,
    investorSellUsd: T.investorSellUsd,
    operatorSellUsd: T.operatorSellUsd,
    otherSellUsd: T.otherSellUsd,
    unlockSellUsd: T.unlockSellUsd,
    buybackUsd: T.buybackUsd,
    fiatRevenueUsd: T.fiatRevenueUsd,
    gpusByClass,
    cohorts,
  };
}

/** Days a capacity path (H100-eq per day, from day 0) needs to deliver `h100eqDays` of work; null if it never does. */
export function daysToDeliver(capacityPerDay: ArrayLike<number>, h100eqDays: number): number | null {
  let acc = 0;
  for (let d = 0; d < capacityPerDay.length; d++) {
    const c = capacityPerDay[d];
    if (acc + c >= h100eqDays) return d + (c > 0 ? (h100eqDays - acc) / c : 0);
    acc += c;
  }
  return null;
}

/** Headline figures banded by monteCarlo, per day (row columns) and at the end (summary fields). */
export const MC_COLUMNS = [
  'price_usd', 'market_cap_usd', 'capacity_h100eq', 'capacity_share', 'home_share', 'absorption_ratio',
  'emission_value_usd', 'required_subsidy_usd', 'idle_fraction', 'exit_fraction', 'gpus_active',
] as const;

export const MC_FINAL = [
  'priceUsd', 'marketCapUsd', 'capacityH100eq', 'capacityShare', 'homeShare', 'idleFraction', 'exitFraction',
  'absorptionRatio', 'subsidyCoverage', 'emissionValueUsd', 'requiredSubsidyUsd', 'capacityH100eqDays', 'maxDrawdown',
] as const;

export interface Band {
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
}

export interface DailyBands {
  readonly p10: Float64Array;
  readonly p50: Float64Array;
  readonly p90: Float64Array;
}

export interface MonteCarloResult {
  readonly runs: number;
  readonly seeds: readonly number[];
  /** P10/P50/P90 of each MC_COLUMNS column (plus gpus_<class> columns) on every day. */
  readonly daily: Readonly<Record<string, DailyBands>>;
  /** P10/P50/P90 of each MC_FINAL summary figure. */
  readonly final: Readonly<Record<string, Band>>;
  /** The run whose final capacity is the median (for a representative path). */
  readonly medianSeed: number;
}

/** Linear-interpolated quantile of sorted values (type 7, as numpy's default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Runs every seed (uncoupled unless `work` is given) and returns P10/P50/P90 bands. */
export function monteCarlo(spec: EconomySpec, seeds: readonly number[],
  opts: { work?: (seed: number) => ((state: EconomyState, day: number) => DayInput) | undefined } = {}): MonteCarloResult {
  const cols = [...MC_COLUMNS, ...spec.cohorts.map((c) => classColumn(c.id))];
  const days = spec.days;
  const R = seeds.length;
  const data = cols.map(() => new Float64Array(days * R));
  const finals = MC_FINAL.map(() => new Float64Array(R));
  const finalCap = new Float64Array(R);
  seeds.forEach((seed, r) => {
    let d = 0;
    const { summary } = runEconomy(spec, seed, opts.work?.(seed), {
      rows: false,
      onRow: (row) => {
        for (let c = 0; c < cols.length; c++) data[c][d * R + r] = row[cols[c]];
        d++;
      },
    });
    const flat = { ...summary, ...summary.final } as unknown as Record<string, number>;
    MC_FINAL.forEach((k, j) => { finals[j][r] = flat[k]; });
    finalCap[r] = summary.final.capacityH100eq;
  });
  const daily: Record<string, DailyBands> = {};
  const buf = new Float64Array(R);
  cols.forEach((col, c) => {
    const b = { p10: new Float64Array(days), p50: new Float64Array(days), p90: new Float64Array(days) };
    for (let d = 0; d < days; d++) {
      for (let r = 0; r < R; r++) buf[r] = data[c][d * R + r];
      buf.sort();
      b.p10[d] = quantile(buf, 0.1);
      b.p50[d] = quantile(buf, 0.5);
      b.p90[d] = quantile(buf, 0.9);
    }
    daily[col] = b;
  });
  const final: Record<string, Band> = {};
  MC_FINAL.forEach((k, j) => {
    const v = Float64Array.from(finals[j]).sort();
    final[k] = { p10: quantile(v, 0.1), p50: quantile(v, 0.5), p90: quantile(v, 0.9) };
  });
  const order = [...finalCap.keys()].sort((a, b) => finalCap[a] - finalCap[b]);
  return { runs: R, seeds, daily, final, medianSeed: seeds[order[Math.floor((R - 1) / 2)]] ?? seeds[0] };
}
