/**
 * A resolved scenario: validated, defaults applied, every quantity in SI. Everything
 * below the scenario loader consumes only these types, never raw YAML.
 */
import type { GpuSpec, Precision } from '../compute/gpu';
import type { ModelShape } from '../workload/model';
import type { Recompute } from '../workload/flops';
import type { DatedEvent } from '../timeline/spec';
import type { CoupledEconomy } from './couple';

export type SiteKind = 'hyperscaler' | 'tier2' | 'cloud' | 'home';

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

export interface TrainingSpec {
  /** Tokens to train on (raw, before any token-efficiency penalty). */
  readonly tokens: number;
  /** Tokens per optimizer step summed over all workers (for DiLoCo: per inner step over all groups). */
  readonly globalBatchTokens: number;
  readonly microBatchSeqs: number;
  readonly precision: Precision;
  readonly recompute: Recompute;
  readonly flashAttention: boolean;
  readonly weightBytesPerParam: number;
  readonly gradBytesPerParam: number;
  readonly optimizerBytesPerParam: number;
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

export interface Topology {
  readonly sites: readonly SiteSpec[];
  readonly wan: WanSpec;
}

export interface SiteSpec {
  readonly name: string;
  readonly kind: SiteKind;
  /** Region name in the measured WAN matrix, if any. */
  readonly region: string | null;
  readonly nodes: readonly NodeGroupSpec[];
  /** Node-to-node fabric inside the site. */
  readonly fabric: { readonly latencyS: number; readonly oversubscription: number };
  /** The site's access link to the WAN, per direction. */
  readonly wan: { readonly uplinkBytesPerS: number; readonly downlinkBytesPerS: number; readonly latencyS: number };
  readonly pue: number;
  readonly electricityUsdPerJ: number;
  readonly cost: SiteCostSpec;
}

/** What the operators of a site pay for. */
export interface SiteCostSpec {
  /** rental: the GPU rental price, which covers power, hosting and hardware; owned: each paid apart. */
  readonly model: 'rental' | 'owned';
  /** Wall power per watt of GPU TDP (host, fans, PSU losses), before PUE. */
  readonly wallPerTdp: number;
  /** Colocation per watt of wall power per second (owned sites; 0 = none). */
  readonly hostingUsdPerWS: number;
  /** Straight-line depreciation life of owned hardware. */
  readonly depreciationS: number;
}

export interface NodeGroupSpec {
  readonly gpu: GpuSpec;
  readonly count: number;
  readonly gpusPerNode: number;
  /** GPU-to-GPU link inside a node, per GPU per direction. */
  readonly intraNode: { readonly bandwidthBytesPerS: number; readonly latencyS: number };
  /** Node network interface to the site fabric, per direction (all GPUs of the node together). */
  readonly nicBytesPerS: number;
  readonly rentalUsdPerGpuS: number;
  /** All-in capital cost per GPU (its server share included), depreciated at owned sites. */
  readonly capexUsdPerGpu: number;
  /** Mean time between failures of one node (GPU failures of all its GPUs plus host causes). */
  readonly nodeMtbfS: number;
  /** Compute slowdown factor (1 = nominal; 1.5 = 50 % slower), e.g. thermal throttling or shared hosts. */
  readonly slowdown: number;
  /** When these nodes join (timeline `add`); absent or 0 = from the start. */
  readonly joinAtS?: number;
}

export interface WanSpec {
  /** Use the measured region-to-region matrix for sites that name a region. */
  readonly matrix: boolean;
  /** Latency added between sites without a matrix entry, one way, on top of both access latencies. */
  readonly backboneLatencyS: number;
  /** Per-stream TCP window; each flow is capped at streams × window / RTT. null = no cap. */
  readonly tcpWindowBytes: number | null;
  readonly streams: number;
}

export type AllReduceAlgo = 'ring' | 'hierarchical';
export type Heterogeneity = 'proportional' | 'equal';
export type CompressionKind = 'none' | 'fp16' | 'int8' | 'int4' | 'topk' | 'demo';

export interface CompressionSpec {
  readonly kind: CompressionKind;
  /** Bytes sent per parameter (after compression). */
  readonly bytesPerParam: number;
  /** FLOP spent per parameter to compress and decompress. */
  readonly flopPerParam: number;
}

export interface StrategySpec {
  readonly kind: 'data-parallel' | 'pipeline' | 'diloco';
  readonly tensorParallel: number;
  readonly pipelineParallel: number;
  /** ZeRO stage for the data-parallel dimension (3 = FSDP full shard). */
  readonly zeroStage: 0 | 1 | 2 | 3;
  readonly allReduce: AllReduceAlgo;
  /** Fraction of the gradient all-reduce that overlaps the backward pass (0 = none, 1 = all buckets). */
  readonly overlap: boolean;
  readonly buckets: number;
  /** Pipeline schedule and micro-batches per replica per step (null = batch / (dp · microBatch)). */
  readonly schedule: '1f1b' | 'gpipe';
  readonly placement: 'pipeline-local' | 'data-local';
  readonly heterogeneity: Heterogeneity;
  /** Compression of gradients / pseudo-gradients that cross the WAN. */
  readonly compression: CompressionSpec;
  readonly diloco: DilocoSpec | null;
  /** Effective tokens per raw token (quality penalty of low-communication methods), with its source. */
  readonly tokenEfficiency: { readonly value: number; readonly source: string };
  /** How a failure is handled: restart everyone from the last checkpoint, or drop the node and go on. */
  readonly recovery: 'checkpoint-restart' | 'elastic';
}

export interface DilocoSpec {
  readonly innerSteps: number;
  /** How groups are formed: one per site, one per node, or a fixed number of groups of consecutive nodes. */
  readonly groups: 'site' | 'node' | number;
  /** Overlap the outer all-reduce with the next round's inner steps (streaming DiLoCo, one round of delay). */
  readonly streaming: boolean;
}

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
