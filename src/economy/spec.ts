/**
 * The token economy's input, resolved: every figure a number, durations in seconds, money in
 * USD, money rates in USD/s (rental, bandwidth) or USD/J (electricity), token rates in tokens
 * per day where the protocol defines them per day. Built by src/scenario/economy.ts from
 * src/data/economy.yaml (defaults and presets, each figure with its source) and a scenario's
 * `economy:` block; consumed by the pure daily update in day.ts.
 *
 * Layer rule: this folder imports nothing from the training layers; GPU classes are plain
 * strings here (catalog ids), site kinds the data layer's SiteKind.
 */
import type { SiteKind } from '../compute/catalog';

export type { SiteKind };

export const DAY_S = 86_400;
export const YEAR_S = 365 * DAY_S;
export const DAYS_PER_YEAR = 365;

/** How tokens are minted each day. */
export type EmissionSchedule =
  /**
   * Bittensor: `tokensPerDay` (1 TAO per 12 s block = 7,200/day) while issuance is below half
   * the cap, halved each time issuance passes the next threshold (S/2, 3S/4, 7S/8, …):
   * per block, emission = base / 2^floor(log2(1 / (1 − issuance / maxSupply))), issuance
   * checked before each block (opentensor/subtensor block_emission.rs). Issuance here is
   * initial + minted − burned, as burned (recycled) TAO leaves TotalIssuance.
   */
  | { readonly kind: 'halving'; readonly tokensPerDay: number; readonly maxSupply: number; readonly blocksPerDay: number }
  /** Filecoin simple minting: cumulative = total·(1 − e^{−λt}), λ = ln2 / half-life, t in days. */
  | { readonly kind: 'exp-decay'; readonly total: number; readonly halfLifeDays: number }
  /**
   * Filecoin hybrid minting (mechaFIL minting.py): simple part as exp-decay plus a baseline part
   * paid on "effective network time" θ = ln(1 + g·Σ min(b(t), C(t)) / b0) / g, with the baseline
   * b(t) = b0·e^{g t} a capacity target in H100-equivalents.
   */
  | {
    readonly kind: 'baseline'; readonly simpleTotal: number; readonly baselineTotal: number; readonly halfLifeDays: number;
    readonly baselineH100eq: number; readonly growthPerDay: number;
  }
  /**
   * io.net: hourly epochs; epoch n mints base × r_n with r_1 = initialRatePerYear / 8,760 and
   * r_n = r_{n−1}·(1 − disinflationPerEpoch), until `cap` tokens have been emitted.
   */
  | {
    readonly kind: 'disinflation'; readonly base: number; readonly initialRatePerYear: number; readonly disinflationPerEpoch: number;
    readonly epochsPerDay: number; readonly cap: number;
  }
  /**
   * Burn-and-mint equilibrium (Render, Helium): a fixed mint schedule (tokensPerDay, halving every
   * halfLifeDays if given) plus re-minting of yesterday's burn up to remintCapPerDay; customers'
   * whole fiat spend buys tokens and burns them, so operators are paid only in minted tokens.
   */
  | { readonly kind: 'bme'; readonly tokensPerDay: number; readonly halfLifeDays: number | null; readonly remintCapPerDay: number };

export type EmissionKind = EmissionSchedule['kind'];

/** A team / investor allocation, locked at genesis, released linearly after a cliff. */
export interface UnlockSpec {
  readonly label: string;
  readonly tokens: number;
  readonly cliffS: number;
  readonly durationS: number;
  /** Share of each day's unlocked tokens sold at once into the market. */
  readonly sellFraction: number;
}

export interface TokenSpec {
  readonly emission: EmissionSchedule;
  /** Tokens in existence on day 0 (genesis plus anything issued before the simulated window). */
  readonly initialSupply: number;
  readonly initialPriceUsd: number;
  /** Share of each day's emission paid to compute operators (the rest: validators, owners). */
  readonly operatorShare: number;
  /** Share of the non-operator emission its recipients sell the day they get it. */
  readonly otherSellFraction: number;
  /** Share of operator rewards locked, released evenly over `vestingS` (Filecoin: 75 % over 180 days). */
  readonly vestingFraction: number;
  readonly vestingS: number;
  readonly unlocks: readonly UnlockSpec[];
  /** Protocol fee on customers' fiat spend. */
  readonly takeRate: number;
  /** Share of the protocol fee spent on buying tokens back and burning them. */
  readonly burnShare: number;
  /** Fraction of operator rewards slashed (burned) per day, for faults caught by verification. */
  readonly slashRate: number;
}

export type PriceRule = 'pool' | 'anchor';

export interface MarketSpec {
  /**
   * pool: the price is the constant-product pool's; anchor: after the day's trades the price is
   * pulled to a valuation anchor, P = P_pool^(1−pull)·P_fund^pull (arbitrage capital moves the
   * pool's USD side; tokens are untouched).
   */
  readonly priceRule: PriceRule;
  /** Pool depth: its USD side as a share of market cap (initially, and at each re-anchoring). */
  readonly poolDepth: number;
  /** Swap fee kept in the pool (Uniswap v2: 0.3 %). */
  readonly poolFee: number;
  /** Liquidity providers re-size the pool to poolDepth every this often; null = never. */
  readonly reanchorS: number | null;
  /** Base investor buying, USD per day, × sentiment × momentum × shock factor. */
  readonly investorUsdPerDay: number;
  /** Investor buying × max(0, 1 + momentum · ln(P_t / P_{t−window})). */
  readonly momentum: number;
  readonly momentumWindowDays: number;
  /** Daily standard deviation of ln(sentiment) noise. */
  readonly sentimentVolatility: number;
  /** Mean-reversion time of the sentiment noise. */
  readonly sentimentReversionS: number;
  /** Price moves by sentiment^elasticity through speculative trades (pool rule). */
  readonly sentimentElasticity: number;
  /** Anchor rule: P_fund = max(psRatio × annualized fiat revenue, speculative valuation × sentiment) / supply. */
  readonly anchor: {
    readonly psRatio: number;
    readonly speculativeValuationUsd: number;
    readonly speculativeGrowthPerYear: number;
    readonly pull: number;
  };
}

export interface DemandSpec {
  /** Customers' demand on day 0 in H100-equivalent GPU-hours per day, at the cloud price (before the discount's effect). */
  readonly h100eqHoursPerDay: number;
  readonly growthPerYear: number;
  /** Network price = (1 − discount) × the H100 rental price. */
  readonly discount: number;
  /** Demand × (network price / cloud price)^(−elasticity). */
  readonly elasticity: number;
  /** Cohort class whose rental price (after decay and shocks), per H100-eq, the network's price is set against; null = the fixed reference below. */
  readonly referenceClass: string | null;
  /** H100 rental price and its decay, used when referenceClass is null. */
  readonly referenceRentUsdPerS: number;
  readonly referenceRentDecayPerS: number;
}

export interface HyperscalerGeneration {
  readonly gpu: string;
  /** First day the hyperscalers' GPU budget buys this generation. */
  readonly fromDay: number;
  readonly usdPerGpu: number;
  readonly perfH100eq: number;
}

export interface HyperscalerSpec {
  /** AI capital expenditure of the large clouds in the first simulated year, USD per year. */
  readonly capexUsdPerYear: number;
  readonly capexGrowthPerYear: number;
  /** Share of that capex spent on accelerator servers. */
  readonly gpuShare: number;
  /** Installed H100-equivalents on day 0. */
  readonly initialH100eq: number;
  /** The day-0 fleet's ages are spread evenly over [0, initialAgeMaxS]. */
  readonly initialAgeMaxS: number;
  readonly lifeS: number;
  readonly generations: readonly HyperscalerGeneration[];
}

/** One cost tier of a cohort: a share of its GPUs with a multiple of the class's electricity price. */
export interface CostTier {
  readonly weight: number;
  readonly electricityFactor: number;
}

export interface DecisionSpec {
  /** Operators sell enough tokens to cover OpEx not covered by fiat revenue, then this share of the rest of what they received. */
  readonly operatorSellFraction: number;
  /** κ: orders per day = κ · (installed + seedGpus) · min(maxGap, (ROI − hurdle) / hurdle). */
  readonly investSpeed: number;
  readonly seedGpus: number;
  readonly maxGap: number;
  /** Half-life of the adaptive expectation of revenue per GPU-day. */
  readonly expectationHalfLifeS: number;
  /** Share of a cohort that switches per day once a condition holds (idle, re-enter, release a rental). */
  readonly switchRatePerDay: number;
  /** Consecutive cash-negative time before a cohort goes idle. */
  readonly idleGraceS: number;
  /** Consecutive time with revenue above cost × (1 + reenterMargin) before idle GPUs come back. */
  readonly reenterS: number;
  readonly reenterMargin: number;
  /** Idle this long → the GPUs leave for good (sold, repurposed). */
  readonly exitAfterIdleS: number;
  /** Share of a cohort's active GPUs that move to the outside rental market per day when it pays more (and back). */
  readonly migrateRatePerDay: number;
  readonly migrateMargin: number;
  /** Arrivals within one window of this length share a vintage. */
  readonly vintageS: number;
  readonly costTiers: readonly CostTier[];
  /** Initial GPUs of each class are spread over this many vintages. */
  readonly initialVintages: number;
}

export interface CohortClassSpec {
  /** `<gpu>@<siteKind>`, e.g. 'h100-sxm@tier2'. */
  readonly id: string;
  /** GPU catalog id. */
  readonly gpu: string;
  readonly siteKind: SiteKind;
  /** Region tag for export / fab shocks (null = none). */
  readonly region: string | null;
  /** owned: capex + power + hosting; rental: the operator rents the GPU from a cloud and resells it. */
  readonly costModel: 'owned' | 'rental';
  /** Throughput in H100-equivalents (dense BF16 peak ÷ the H100's unless overridden). */
  readonly perfH100eq: number;
  /** All-in capital cost per GPU (0 for rented GPUs). */
  readonly capexUsd: number;
  readonly lifeS: number;
  /** Resale value at end of life as a share of capex. */
  readonly residualFraction: number;
  /** Wall power per GPU (TDP × wall-power factor), before PUE. */
  readonly powerW: number;
  readonly pue: number;
  readonly electricityUsdPerJ: number;
  /** Colocation per watt of wall power per second. */
  readonly hostingUsdPerWS: number;
  readonly bandwidthUsdPerS: number;
  /** Share of time a GPU is online and verified. */
  readonly uptime: number;
  /** Rental price of this GPU on the cloud market: rented classes' cost, owned classes' outside option. */
  readonly rentUsdPerS: number;
  /** Continuous decay of the rental price, per second (e.g. 0.25/yr ÷ YEAR_S). */
  readonly rentDecayPerS: number;
  /** Share of the time an owned GPU put on the rental market is actually rented. */
  readonly outsideUtilization: number;
  readonly leadTimeS: number;
  /** Most GPUs of this class the network's operators can order per day. */
  readonly supplyCapPerDay: number;
  /** Required annual return (owned) or margin over rent (rented). */
  readonly hurdlePerYear: number;
  readonly initialGpus: number;
  /** Initial GPUs are spread over ages [0, initialAgeMaxS]. */
  readonly initialAgeMaxS: number;
  /** Orders are possible from this day (a new generation's arrival). */
  readonly availableFromDay: number;
}

interface ShockBase {
  readonly atDay: number;
  /** Last day the shock applies (inclusive); null = to the end. */
  readonly untilDay: number | null;
  readonly label: string;
}

/** Which cohort classes a supply shock hits: the union of classes matching every given filter. */
export type EconomyShock = ShockBase & (
  /** ln(sentiment) moves by ln(factor), linearly over overDays; from untilDay it returns over recoverDays. */
  | { readonly kind: 'sentiment'; readonly factor: number; readonly overDays: number; readonly recoverDays: number }
  | { readonly kind: 'investor-inflow'; readonly factor: number }
  | { readonly kind: 'demand'; readonly factor: number }
  | { readonly kind: 'hyperscaler-capex'; readonly factor: number }
  /** Hyperscalers withholding GPUs, export controls, fab disruption: per-class supply, lead time, price. */
  | {
    readonly kind: 'supply'; readonly classes: readonly string[];
    /** Supply cap × this factor (0 = none delivered), or set to supplyCapPerDay. */
    readonly capFactor: number | null; readonly supplyCapPerDay: number | null;
    readonly leadTimeS: number | null; readonly capexFactor: number | null; readonly rentFactor: number | null;
  }
  /** A new GPU generation: `classes` can be ordered from atDay; every other class's rent decays at rentDecayPerS from then. */
  | { readonly kind: 'generation'; readonly classes: readonly string[]; readonly rentDecayPerS: number | null }
);

export type ShockKind = EconomyShock['kind'];

export interface EconomySpec {
  /** Simulated days (1,825 = 5 years). */
  readonly days: number;
  readonly cohorts: readonly CohortClassSpec[];
  readonly token: TokenSpec;
  readonly market: MarketSpec;
  readonly demand: DemandSpec;
  readonly hyperscaler: HyperscalerSpec;
  readonly decisions: DecisionSpec;
  readonly shocks: readonly EconomyShock[];
  /** Share of verified work spent on verification (replicated checks), not sold or rewarded as capacity. */
  readonly verificationOverhead: number;
  /** The preset it came from, if any (for reports). */
  readonly preset: string | null;
}
