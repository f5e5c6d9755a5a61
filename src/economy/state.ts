/**
 * The economy's state between two days, and the state on day 0.
 *
 * Token accounts. Every token is in exactly one of:
 *   circulating = float (investors, validators, unlocked team, buyers) + operators' holdings
 *   locked      = operators' vesting rewards + the team/investor allocations not yet unlocked
 *   pool        = the constant-product pool's token side
 *   burned      = bought back and burned, slashed
 * and the conservation law, checked on every day in the tests, is
 *   circulating + locked + pool + burned = initialSupply + minted.
 */
import { EMISSION_STATE_0, type EmissionState } from './emission';
import type { Pool } from './pool';
import { DAY_S, type EconomySpec } from './spec';
import { classDerived } from './derived';

/** One vintage of one cost tier of one cohort class. Counts of GPUs are real numbers. */
export interface CohortState {
  /** Index into spec.cohorts. */
  readonly cls: number;
  readonly classId: string;
  /** First day of the vintage window (negative for the initial fleet: its purchase day). */
  readonly vintageDay: number;
  /** Index into spec.decisions.costTiers. */
  readonly tier: number;
  /** True for the fleet present on day 0. */
  readonly initial: boolean;
  /** Online in the network. */
  active: number;
  /** Switched off because cash-negative; comes back when revenue covers cost again. */
  idle: number;
  /** Earning on the outside rental market instead. */
  migrated: number;
  /** Left for good after a long idle spell (rented GPUs: released). */
  exited: number;
  /** Reached end of life. */
  retired: number;
  /** GPUs that ever joined this cohort. */
  delivered: number;
  /** Capital spent on it (for the initial fleet: its book value on day 0). */
  capexUsd: number;
  /** Cumulative operating cash flow (rewards at market price + fiat − OpEx, outside rent while migrated, residual value at retirement). */
  cashUsd: number;
  /** Consecutive cash-negative days while active. */
  negDays: number;
  /** Consecutive days an idle cohort would have earned more than cost × (1 + margin). */
  posDays: number;
  /** Consecutive idle days. */
  idleDays: number;
  /** Day on which cumulative cash first covered capex; null until then. */
  paybackDay: number | null;
}

export interface Order {
  readonly arriveDay: number;
  readonly gpus: number;
  readonly capexPerGpu: number;
}

export interface ClassState {
  /** Adaptive expectation of revenue per active GPU-day (USD). */
  revExp: number;
  /** Operators' reward tokens of this class still vesting. */
  lockedTokens: number;
  /** Operators' liquid tokens (part of circulating). */
  heldTokens: number;
  /** Linear vesting: tokens released per day, and the rate drops scheduled by day (ring of vestingDays + 1). */
  vestRate: number;
  vestDrops: number[];
  /** Ordered GPUs in the delivery pipeline, by arrival day. */
  orders: Order[];
}

export interface SupplyState {
  readonly initial: number;
  /** Cumulative minted in the simulated window. */
  minted: number;
  burned: number;
  /** Non-operator circulating tokens. */
  float: number;
  /** Team/investor allocations not yet unlocked. */
  lockedUnlocks: number;
  /** Cumulative tokens unlocked from those allocations. */
  unlockedTeam: number;
}

export interface EconomyTotals {
  investorBuyUsd: number;
  investorSellUsd: number;
  operatorSellUsd: number;
  otherSellUsd: number;
  unlockSellUsd: number;
  buybackUsd: number;
  fiatRevenueUsd: number;
  emissionValueUsd: number;
  operatorRewardUsd: number;
  requiredSubsidyUsd: number;
  /** Σ days of effective capacity (H100-eq days) and of hyperscaler capacity. */
  capacityH100eqDays: number;
  hyperscalerH100eqDays: number;
}

export interface EconomyState {
  /** The next day to simulate (0 on the initial state). */
  day: number;
  /** Cohorts with GPUs still active, idle or migrated. */
  cohorts: CohortState[];
  /** Cohorts whose GPUs have all exited or retired (kept for the summary; never change again). */
  closed: CohortState[];
  /** GPUs exited and retired in the closed cohorts. */
  closedExited: number;
  closedRetired: number;
  classes: ClassState[];
  supply: SupplyState;
  pool: Pool;
  priceUsd: number;
  /** Last `momentumWindowDays` + 1 closing prices, oldest first. */
  priceHistory: number[];
  /** ln(sentiment) and its mean-reverting noise part. */
  sentimentLn: number;
  sentimentNoise: number;
  hyperscalerH100eq: number;
  emission: EmissionState;
  burnedYesterday: number;
  peakPriceUsd: number;
  totals: EconomyTotals;
}

/** Operators' locked rewards + unvested allocations. */
export function lockedTokens(s: EconomyState): number {
  let l = s.supply.lockedUnlocks;
  for (const c of s.classes) l += c.lockedTokens;
  return l;
}

/** Float + operators' holdings. */
export function circulatingTokens(s: EconomyState): number {
  let c = s.supply.float;
  for (const k of s.classes) c += k.heldTokens;
  return c;
}

/** circulating + locked + pool + burned − (initial + minted): zero up to rounding. */
export function conservationResidual(s: EconomyState): number {
  return circulatingTokens(s) + lockedTokens(s) + s.pool.tokens + s.supply.burned - (s.supply.initial + s.supply.minted);
}

/** Active GPUs per cohort class id. */
export function activeGpus(spec: EconomySpec, s: EconomyState): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of spec.cohorts) out[c.id] = 0;
  for (const k of s.cohorts) out[k.classId] += k.active;
  return out;
}

/** Whole days of linear reward vesting (0 = none). */
export function vestingDays(spec: EconomySpec): number {
  return spec.token.vestingFraction > 0 ? Math.max(1, Math.round(spec.token.vestingS / DAY_S)) : 0;
}

/** Straight-line book value per GPU at `ageDays`, down to the residual at end of life. */
export function bookValue(capex: number, residual: number, lifeDays: number, ageDays: number): number {
  return capex * (1 - (1 - residual) * Math.min(1, Math.max(0, ageDays) / lifeDays));
}

export function initialState(spec: EconomySpec): EconomyState {
  const t = spec.token;
  const dec = spec.decisions;
  const lockedUnlocks = t.unlocks.reduce((a, u) => a + u.tokens, 0);
  const freeSupply = Math.max(0, t.initialSupply - lockedUnlocks);
  const poolTokens = spec.market.poolDepth * freeSupply;
  const pool: Pool = { tokens: poolTokens, usd: poolTokens * t.initialPriceUsd };

  const cohorts: CohortState[] = [];
  spec.cohorts.forEach((c, ci) => {
    if (!(c.initialGpus > 0)) return;
    const lifeDays = c.lifeS / DAY_S;
    const n = Math.max(1, dec.initialVintages);
    for (let v = 0; v < n; v++) {
      const ageDays = Math.round(((v + 0.5) / n) * (c.initialAgeMaxS / DAY_S));
      const per = bookValue(c.capexUsd, c.residualFraction, lifeDays, ageDays);
      dec.costTiers.forEach((tier, ti) => {
        const gpus = (c.initialGpus / n) * tier.weight;
        if (gpus <= 0) return;
        cohorts.push({
          cls: ci, classId: c.id, vintageDay: -ageDays, tier: ti, initial: true,
          active: gpus, idle: 0, migrated: 0, exited: 0, retired: 0, delivered: gpus,
          capexUsd: gpus * per, cashUsd: 0, negDays: 0, posDays: 0, idleDays: 0, paybackDay: null,
        });
      });
    }
  });

  const ring = vestingDays(spec) + 1;
  const classes: ClassState[] = spec.cohorts.map((c, ci) => ({
    revExp: classDerived(spec).initialRevenuePerGpuDay[ci], lockedTokens: 0, heldTokens: 0,
    vestRate: 0, vestDrops: new Array<number>(ring).fill(0), orders: [],
  }));

  return {
    day: 0, cohorts, closed: [], closedExited: 0, closedRetired: 0, classes,
    supply: { initial: t.initialSupply, minted: 0, burned: 0, float: freeSupply - poolTokens, lockedUnlocks, unlockedTeam: 0 },
    pool, priceUsd: t.initialPriceUsd, priceHistory: [t.initialPriceUsd],
    sentimentLn: 0, sentimentNoise: 0,
    hyperscalerH100eq: spec.hyperscaler.initialH100eq,
    emission: EMISSION_STATE_0, burnedYesterday: 0, peakPriceUsd: t.initialPriceUsd,
    totals: {
      investorBuyUsd: 0, investorSellUsd: 0, operatorSellUsd: 0, otherSellUsd: 0, unlockSellUsd: 0, buybackUsd: 0,
      fiatRevenueUsd: 0, emissionValueUsd: 0, operatorRewardUsd: 0, requiredSubsidyUsd: 0, capacityH100eqDays: 0, hyperscalerH100eqDays: 0,
    },
  };
}

/** A deep copy (so that economyDay never mutates its input). */
export function cloneState(s: EconomyState): EconomyState {
  return {
    ...s,
    cohorts: s.cohorts.map((k) => ({ ...k })),
    closed: s.closed.slice(),
    classes: s.classes.map((c) => ({ ...c, vestDrops: c.vestDrops.slice(), orders: c.orders.slice() })),
    supply: { ...s.supply },
    priceHistory: s.priceHistory.slice(),
    totals: { ...s.totals },
  };
}
