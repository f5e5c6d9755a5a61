/**
 * The spans a traced step draws on each node's track, from the times the step code already
 * computes (called only while a tracer is recording).
 */
import { nodeTrack, type Tracer } from '../trace/tracer';
import type { GroupPlan } from './layout';

/**
 * A data-parallel step from `t0`: each member computes forward and backward (the gradient
 * buckets' all-reduces run under it, drawn as flows), waits for the slowest member, waits for
 * the all-reduce's exposed tail, then runs the optimizer.
 */
export function traceDataParallelStep(tr: Tracer, g: GroupPlan, t0: number, computeEnd: number, syncEnd: number, scope: string): void {
  for (const m of g.members) {
    const track = nodeTrack(m.node);
    const own = t0 + m.forwardS + m.backwardS;
    tr.span(track, 'forward + backward', 'compute', t0, own, { tokens: m.tokens });
    tr.span(track, 'wait for the slowest member', 'idle', own, computeEnd);
    tr.span(track, 'gradient all-reduce (exposed)', 'comm', computeEnd, syncEnd, { scope });
    tr.span(track, 'optimizer', 'compute', syncEnd, syncEnd + g.optimizerS);
  }
}

/** Per pipeline worker of a group: its lane on its node (the k-th worker a node hosts, replica by replica). */
export function workerLanes(g: GroupPlan): Int32Array[] {
  const seen = new Map<number, number>();
  return g.replicas.map((r) => Int32Array.from(r, (w) => {
    const lane = seen.get(w.node) ?? 0;
    seen.set(w.node, lane + 1);
    return lane;
  }));
}

/** Per replica and stage: when its last forward or backward ended (filled by pipelineReplica). */
export interface PipelineTrace {
  readonly lanes: Int32Array[];
  readonly lastEnd: Float64Array[];
}

export function pipelineTrace(g: GroupPlan): PipelineTrace {
  return { lanes: workerLanes(g), lastEnd: g.replicas.map((r) => new Float64Array(r.length)) };
}

/**
 * After the pipeline flush at `flushEnd`: each worker idles from its last op until the flush,
 * waits for the per-stage all-reduce until `syncEnd`, then runs the optimizer.
 */
export function tracePipelineTail(tr: Tracer, g: GroupPlan, pt: PipelineTrace, flushEnd: number, syncEnd: number, scope: string): void {
  g.replicas.forEach((r, d) => r.forEach((w, s) => {
    const track = nodeTrack(w.node, pt.lanes[d][s]);
    tr.span(track, 'wait for the pipeline flush', 'idle', pt.lastEnd[d][s], flushEnd);
    tr.span(track, 'stage all-reduce (exposed)', 'comm', flushEnd, syncEnd, { scope });
    tr.span(track, 'optimizer', 'compute', syncEnd, syncEnd + g.optimizerS);
  }));
}
