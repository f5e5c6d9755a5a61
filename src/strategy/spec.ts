/**
 * The training strategy's input, resolved: parallelism, all-reduce, compression, DiLoCo,
 * recovery. Composed into a Scenario by src/scenario/resolve.ts.
 */

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
