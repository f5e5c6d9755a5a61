/**
 * The fault model's input, resolved: failures and repair, churn, checkpoints, stragglers.
 * Composed into a Scenario by src/scenario/resolve.ts; consumed by faults.ts.
 */
import type { SiteKind } from '../platform/spec';

export interface FaultSpec {
  /** Node failures: exponential inter-failure times with each node group's MTBF, then repair. */
  readonly failures: boolean;
  /** Time to bring a failed node back (repair or swap). */
  readonly repairS: number;
  /** Time to restart the job after a failure (re-schedule, reload checkpoint, warm up). */
  readonly restartS: number;
  /** Churn of home nodes: online/offline sessions. */
  readonly churn: ChurnSpec | null;
  readonly checkpoint: CheckpointSpec;
  /** Static stragglers: this fraction of nodes, chosen at random, runs slower by `slowdown`. */
  readonly stragglers: { readonly fraction: number; readonly slowdown: number } | null;
}

export interface ChurnSpec {
  /** Which site kinds churn. */
  readonly siteKinds: readonly SiteKind[];
  readonly meanOnlineS: number;
  readonly meanOfflineS: number;
  /** Weibull shape of session lengths (1 = exponential; < 1 = heavy-tailed, as measured for volunteer hosts). */
  readonly shape: number;
}

export interface CheckpointSpec {
  /** Interval between checkpoints; null = Young's optimum √(2·write·MTTI). */
  readonly intervalS: number | null;
  /** Blocking time to write one checkpoint. */
  readonly writeS: number;
}
