/**
 * A resolved scenario: validated, defaults applied, every quantity in SI. Everything
 * below the scenario loader consumes only these types, never raw YAML.
 */
import type { ModelShape } from '../workload/model';
import type { DatedEvent } from '../timeline/spec';
import type { CoupledEconomy } from './couple';
import type { TrainingSpec } from '../workload/spec';
import type { Topology } from '../platform/spec';
import type { StrategySpec } from '../strategy/spec';
import type { FaultSpec } from '../faults/spec';

// The layers own their input types (issue 13); re-exported so callers of scenario/types keep compiling.
export type { TrainingSpec } from '../workload/spec';
export type { SiteKind, Topology, SiteSpec, SiteCostSpec, NodeGroupSpec, WanSpec } from '../platform/spec';
export type { AllReduceAlgo, Heterogeneity, CompressionKind, CompressionSpec, StrategySpec, DilocoSpec } from '../strategy/spec';
export type { FaultSpec, ChurnSpec, CheckpointSpec } from '../faults/spec';

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly seed: number;
  readonly model: ModelShape;
  readonly training: TrainingSpec;
  /** The system under study. */
  readonly run: RunSpec;
  /** A tightly coupled comparison system (e.g. a hyperscaler cluster), if any. */
  readonly baseline: RunSpec | null;
  readonly output: OutputSpec;
  /** A token economy coupled to the system run, fitted to its sites; null = none. */
  readonly economy: CoupledEconomy | null;
}

export interface OutputSpec {
  /** Minimum simulated time between two timeseries rows. */
  readonly timeseriesIntervalS: number;
}

export interface RunSpec {
  readonly label: string;
  readonly topology: Topology;
  readonly strategy: StrategySpec;
  readonly faults: FaultSpec;
  /** Dated changes (link, outage, nodes added or removed, GPUs withheld, prices), in scenario order. */
  readonly timeline: readonly DatedEvent[];
  readonly engine: EngineSpec;
}

export interface EngineSpec {
  /** Fast-forward through periods where nothing changes (periodic steady state). */
  readonly fastForward: boolean;
  /** Simulated-time limit: the run stops there even if training is not finished. */
  readonly maxTimeS: number;
  /** Event limit: the run stops after this many events (a guard against scenarios that would take hours), reported as such. */
  readonly maxEvents: number;
}
