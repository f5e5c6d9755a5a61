/**
 * A finished run as plain data: per node, per site and per link figures, the counters, and
 * nothing live. Summaries, CSV files and reports are computed from it (src/result/summary.ts,
 * src/report/), never from the simulator's state.
 */
import type { LinkClass } from '../platform/platform';
import type { SiteCostSpec, SiteKind } from '../platform/spec';
import type { EconomySummary } from '../economy/run';

export interface NodeResult {
  readonly id: number;
  readonly name: string;
  readonly site: number;
  readonly gpu: string;
  readonly gpus: number;
  /** Peak FLOP/s of one GPU at the run's precision. */
  readonly peakFlopS: number;
  readonly tdpW: number;
  /** Where its GEMM efficiency curve came from: 'default' (published tables) or 'profile <file>' (dtsim calibrate). */
  readonly efficiencySource: string;
  readonly slowdown: number;
  /** When it joined the fleet (0 from the start). */
  readonly joinAtS: number;
  readonly onlineS: number;
  readonly computeS: number;
  /** Exposed communication, and its parts over the WAN and inside the node (the rest stays inside the site). */
  readonly commS: number;
  readonly commWanS: number;
  readonly commIntraS: number;
  readonly bubbleS: number;
  readonly lostWorkS: number;
  readonly restartS: number;
  readonly checkpointS: number;
  readonly down: { readonly absentS: number; readonly outageS: number; readonly repairS: number; readonly churnS: number };
  /** Tokens whose forward and backward it computed (work that counted). */
  readonly tokens: number;
  readonly rentalUsdPerGpuS: number;
  readonly capexUsdPerGpu: number;
  /** Mean price factor over its online time, per price series (1 when prices never changed). */
  readonly priceFactor: { readonly electricity: number; readonly rental: number };
}

export interface SiteResult {
  readonly name: string;
  readonly kind: SiteKind;
  readonly region: string | null;
  readonly pue: number;
  readonly electricityUsdPerJ: number;
  readonly cost: SiteCostSpec;
}

export interface LinkResult {
  readonly id: number;
  readonly name: string;
  readonly cls: LinkClass;
  /** Site index, or -1 for a region-pair path shared by the sites of both regions. */
  readonly site: number;
  /** Capacity at the start of the run (the timeline may have changed it). */
  readonly capacityBytesPerS: number;
  /** Bytes delivered across it, fast-forwarded periods included. */
  readonly bytes: number;
  /**
   * Flow-seconds it set the rate of a flow (it was that flow's bottleneck in the max-min
   * sharing), fast-forwarded periods included: the transfer time a faster link would shorten.
   */
  readonly limitingFlowS: number;
}

export interface EconomyOutcome {
  readonly summary: EconomySummary;
  /** Days stepped while the training run was going (verified work measured), then after it (capacity model). */
  readonly coupledDays: number;
  readonly uncoupledDays: number;
  /** Per cohort class: the most GPUs the economy wanted active that the run had no node for, and on how many days. */
  readonly nodeShortfall: Readonly<Record<string, { readonly maxGpus: number; readonly days: number }>>;
  /** Per node: USD of operator rewards its verified work earned (its class's share, split by verified work). */
  readonly nodeEarningsUsd: Float64Array;
  readonly columns: readonly string[];
}

export interface RunResult {
  readonly label: string;
  readonly timeS: number;
  readonly targetTokens: number;
  /** Why the run ended: the token budget reached, the time limit (engine.maxTime), or the event limit (engine.maxEvents). */
  readonly stopReason: 'finished' | 'time-limit' | 'event-limit';
  readonly tokensDone: number;
  readonly tokensLost: number;
  readonly tokenEfficiency: { readonly value: number; readonly source: string };
  readonly modelFlopPerToken: number;
  /** Executed FLOP of the work that counted. */
  readonly hardwareFlop: number;
  readonly bytesByClass: Readonly<Record<LinkClass, number>>;
  readonly wanBytes: number;
  /** Flow-seconds flows ran at their own bound (TCP window / RTT) rather than a link's share. */
  readonly boundLimitedFlowS: number;
  readonly events: {
    readonly failures: number;
    readonly churn: number;
    readonly outages: number;
    readonly restarts: number;
    readonly discardedRounds: number;
    readonly sitOutLayouts: number;
    readonly sitOutPeriods: number;
    readonly timeline: number;
  };
  readonly simulator: { readonly events: number; readonly flowSolves: number; readonly replayedGroupRounds: number; readonly replayedSyncs: number };
  /** The token economy coupled to this run, if the scenario has one. */
  readonly economy?: EconomyOutcome;
  readonly nodes: readonly NodeResult[];
  readonly sites: readonly SiteResult[];
  readonly links: readonly LinkResult[];
  /** GPU classes whose efficiency came from a `dtsim calibrate` profile: the curve the run used. */
  readonly calibrated: readonly CalibratedGpu[];
}

/** A GPU class run on a measured profile: what its GEMMs reached, as the simulator used it. */
export interface CalibratedGpu {
  readonly gpu: string;
  /** The profile as the scenario names it (src/compute/gpu.ts EfficiencyProfileRef, as plain data). */
  readonly profile: { readonly file: string; readonly name: string; readonly backend: string; readonly date: string; readonly scaling: string };
  /** Peak FLOP/s of one GPU at the run's precision (efficiency × peak = achieved FLOP/s). */
  readonly peakFlopS: number;
  /** GEMM FLOP → efficiency, after scaling to this GPU (src/calibrate/apply.ts). */
  readonly curve: readonly (readonly [number, number])[];
}
