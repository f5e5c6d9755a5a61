/**
 * Collectives decomposed into flows, so that contention with other traffic emerges.
 *
 * A pipelined ring all-reduce (NCCL's ring: reduce-scatter then all-gather, chunks in
 * flight on every edge) is represented in bulk: one flow per ring edge carrying the
 * 2(n−1)/n·S bytes that edge moves, after the 2(n−1) per-step latencies of the slowest
 * edge. Uncontended, it takes exactly 2(n−1)/n·S/B + 2(n−1)·α (Patarasuk & Yuan 2009).
 * The step-wise form (2(n−1) synchronised steps of S/n per edge) is kept for checks.
 */
import { allOf, SimEvent, spawn } from '../engine/events';
import type { Comm } from './comm';

export type RingMode = 'bulk' | 'stepwise';

/** Bytes each edge of a ring carries for an all-reduce of S bytes over n members: 2(n−1)/n·S. */
export function ringEdgeBytes(n: number, bytes: number): number {
  return n <= 1 ? 0 : (2 * (n - 1) / n) * bytes;
}

/**
 * Ring collective over `members` (node ids, in ring order). `phases` = 2 for all-reduce,
 * 1 for reduce-scatter or all-gather alone. `rails`: parallel rings (one per GPU of a node).
 */
export function ringCollective(comm: Comm, members: readonly number[], bytes: number,
  opts: { phases?: 1 | 2; rails?: number; mode?: RingMode } = {}): SimEvent<void> {
  const n = members.length;
  const phases = opts.phases ?? 2;
  if (n <= 1 || bytes <= 0) return allOf(comm.engine, []);
  const steps = phases * (n - 1);
  if (opts.mode === 'stepwise') return stepwiseRing(comm, members, bytes, steps, opts.rails ?? 1);
  let maxLatency = 0;
  for (let i = 0; i < n; i++) maxLatency = Math.max(maxLatency, comm.route(members[i], members[(i + 1) % n]).latencyS);
  const edgeBytes = (steps / n) * bytes;
  const flows = members.map((a, i) => comm.send(a, members[(i + 1) % n], edgeBytes, { latencyS: steps * maxLatency, rails: opts.rails }));
  return allOf(comm.engine, flows);
}

function stepwiseRing(comm: Comm, members: readonly number[], bytes: number, steps: number, rails: number): SimEvent<void> {
  const n = members.length;
  return spawn(comm.engine, (function* () {
    for (let s = 0; s < steps; s++) {
      yield allOf(comm.engine, members.map((a, i) => comm.send(a, members[(i + 1) % n], bytes / n, { rails })));
    }
  })());
}

/**
 * Intra-node phase of a hierarchical collective: `replicas` GPUs of each node reduce-scatter
 * (or all-gather) `bytes` over the node's GPU-to-GPU link: (r−1)/r·S per GPU, (r−1) latencies.
 */
export function intraNodePhase(comm: Comm, nodes: readonly number[], bytes: number, replicas: number): SimEvent<void> {
  if (replicas <= 1 || bytes <= 0) return allOf(comm.engine, []);
  const perGpu = ((replicas - 1) / replicas) * bytes;
  return allOf(comm.engine, nodes.map((n) => comm.intra(n, perGpu, (replicas - 1) * comm.platform.intraRoute(n).latencyS)));
}

/**
 * All-reduce of `bytes` (per node) over nodes grouped by site:
 *  - one site, or algo 'ring': a flat ring over all nodes, `rails` parallel rings;
 *  - algo 'hierarchical' across sites: reduce-scatter inside each site, then k parallel
 *    rings across sites on the 1/k shards (k = nodes per site, the j-th node of every site
 *    forms ring j), then all-gather inside each site.
 */
export function allReduce(comm: Comm, sites: readonly (readonly number[])[], bytes: number,
  opts: { algo: 'ring' | 'hierarchical'; rails: number; mode?: RingMode }): SimEvent<void> {
  const engine = comm.engine;
  const flat = sites.flat();
  if (opts.algo === 'ring' || sites.length <= 1) return ringCollective(comm, flat, bytes, { rails: opts.rails, mode: opts.mode });
  return spawn(engine, (function* () {
    yield allOf(engine, sites.map((s) => ringCollective(comm, s, bytes, { phases: 1, rails: opts.rails, mode: opts.mode })));
    const k = Math.max(...sites.map((s) => s.length));
    const rings: SimEvent<void>[] = [];
    for (let j = 0; j < k; j++) {
      const ring = sites.map((s) => s[j % s.length]);
      rings.push(ringCollective(comm, ring, bytes / k, { rails: opts.rails, mode: opts.mode }));
    }
    yield allOf(engine, rings);
    yield allOf(engine, sites.map((s) => ringCollective(comm, s, bytes, { phases: 1, rails: opts.rails, mode: opts.mode })));
  })());
}
