/**
 * One training step of one group, simulated event by event: compute as timed work on each
 * worker, gradients and activations as flows on the network. Each step fills an Acc with the
 * time each node spent computing, exposed in communication, or in pipeline bubbles.
 */
import { allOf, spawn, timeout, SimEvent } from '../engine/events';
import type { Engine } from '../engine/engine';
import type { Comm } from '../collective/comm';
import { allReduce, intraNodePhase, type RingMode } from '../collective/allreduce';
import type { StrategySpec } from './spec';
import type { Platform } from '../platform/platform';
import type { GroupPlan } from './layout';
import { Acc, type CommScope } from '../metrics/acc';
import { nodeTrack, type Tracer } from '../trace/tracer';
import { pipelineTrace, traceDataParallelStep, tracePipelineTail, type PipelineTrace } from './trace';

export interface StepEnv {
  readonly engine: Engine;
  readonly platform: Platform;
  readonly strategy: StrategySpec;
  readonly ringMode: RingMode;
  /** Activation bytes sent between pipeline stages per micro-batch. */
  readonly activationBytes: number;
  /** Records compute, communication, bubble and idle spans per node while enabled (dtsim run --trace). */
  readonly tracer?: Tracer;
}

/** Waits until absolute time `t` (or returns a settled event if t ≤ now). */
/** The widest network a group's collectives cross. */
function scopeOf(g: GroupPlan): CommScope {
  return g.crossesWan ? 'wan' : g.nodes.length > 1 ? 'site' : 'intra-node';
}

function until(engine: Engine, t: number): SimEvent<void> {
  return timeout(engine, Math.max(0, t - engine.now));
}

/**
 * Data-parallel all-reduce of `bytes` per member among nodes grouped by site, with the
 * intra-node phases of a hierarchical (NCCL-style) all-reduce when a node holds several
 * data-parallel replicas.
 */
export function* nodeAllReduce(env: StepEnv, comm: Comm, bySite: readonly (readonly number[])[], bytes: number) {
  const nodes = bySite.flat();
  const tp = env.strategy.tensorParallel;
  const replicas = Math.min(...nodes.map((n) => env.platform.nodes[n].gpus / tp));
  const rails = Math.min(...nodes.map((n) => env.platform.nodes[n].gpus));
  yield intraNodePhase(comm, nodes, bytes / tp, replicas);
  yield allReduce(comm, bySite, bytes, { algo: env.strategy.allReduce, rails, mode: env.ringMode });
  yield intraNodePhase(comm, nodes, bytes / tp, replicas);
}

/** Data-parallel step (pipelineParallel = 1), with gradient buckets overlapping backward. */
export function* dataParallelStep(env: StepEnv, comm: Comm, g: GroupPlan, acc: Acc) {
  const { engine, strategy } = env;
  const t0 = engine.now;
  const buckets = strategy.overlap ? strategy.buckets : 1;
  // ZeRO-3 / FSDP: parameters are all-gathered in forward and backward, gradients
  // reduce-scattered: 1.5 × the bytes of an all-reduce, spread over the whole step.
  const volume = strategy.zeroStage === 3 ? 1.5 : 1;
  const bytes = (g.stageGradBytes[0] * volume) / buckets;
  const release = (b: number) => Math.max(...g.members.map((m) => {
    if (!strategy.overlap) return t0 + m.forwardS + m.backwardS;
    if (strategy.zeroStage === 3) return t0 + ((b + 1) / buckets) * (m.forwardS + m.backwardS);
    return t0 + m.forwardS + ((b + 1) / buckets) * m.backwardS;
  }));
  const computeEnd = t0 + Math.max(...g.members.map((m) => m.forwardS + m.backwardS));
  if (g.nodes.length > 1 || env.platform.nodes[g.nodes[0]].gpus > strategy.tensorParallel) {
    for (let b = 0; b < buckets; b++) {
      yield until(engine, release(b));
      yield spawn(engine, nodeAllReduce(env, comm, g.bySite, bytes));
    }
  }
  yield until(engine, computeEnd);
  const syncEnd = engine.now;
  yield timeout(engine, g.optimizerS);
  if (env.tracer?.enabled) traceDataParallelStep(env.tracer, g, t0, computeEnd, syncEnd, scopeOf(g));
  for (const m of g.members) {
    acc.addCompute(m.node, m.forwardS + m.backwardS + g.optimizerS);
    acc.addComm(m.node, syncEnd - computeEnd, scopeOf(g));
    acc.addTokens(m.node, m.tokens);
    acc.hardwareFlop += m.hardwareFlop;
  }
}

type Op = { kind: 'F' | 'B'; mb: number };

/** Per-stage op order: 1F1B (warm-up forwards, steady 1F1B, cool-down backwards) or GPipe. */
export function stageSchedule(kind: '1f1b' | 'gpipe', stage: number, stages: number, microbatches: number): Op[] {
  const ops: Op[] = [];
  if (kind === 'gpipe') {
    for (let j = 0; j < microbatches; j++) ops.push({ kind: 'F', mb: j });
    for (let j = 0; j < microbatches; j++) ops.push({ kind: 'B', mb: j });
    return ops;
  }
  const warmup = Math.min(stages - stage - 1, microbatches);
  let f = 0, b = 0;
  for (; f < warmup; f++) ops.push({ kind: 'F', mb: f });
  while (b < microbatches) {
    if (f < microbatches) ops.push({ kind: 'F', mb: f++ });
    ops.push({ kind: 'B', mb: b++ });
  }
  return ops;
}

/**
 * One pipeline replica: each stage runs its op list in order once the inputs have arrived
 * (activations from the previous stage, gradients from the next), sending its outputs as
 * flows. Succeeds when the last op of every stage is done.
 */
export function pipelineReplica(env: StepEnv, comm: Comm, g: GroupPlan, d: number, acc: Acc, pt?: PipelineTrace): SimEvent<void> {
  const { engine, strategy } = env;
  const stages = g.replicas[d];
  const p = stages.length, m = g.microbatches;
  const done = new SimEvent<void>(engine);
  const schedules = stages.map((_, s) => stageSchedule(strategy.schedule, s, p, m));
  const next = new Int32Array(p); // index of the next op per stage
  const busy = new Uint8Array(p);
  const fwdIn = stages.map((_, s) => new Uint8Array(m).fill(s === 0 ? 1 : 0)); // activation arrived
  const bwdIn = stages.map(() => new Uint8Array(m));                           // gradient arrived
  const fwdDone = stages.map(() => new Uint8Array(m));
  const t0 = engine.now;
  const lastEnd = new Float64Array(p);
  let remaining = p;
  const tryRun = (s: number): void => {
    if (busy[s] || next[s] >= schedules[s].length || comm.scope.aborted) return;
    const op = schedules[s][next[s]];
    const ready = op.kind === 'F' ? fwdIn[s][op.mb] : (s === p - 1 ? fwdDone[s][op.mb] : bwdIn[s][op.mb]);
    if (!ready) return;
    busy[s] = 1;
    const w = stages[s];
    const dur = op.kind === 'F' ? w.mb.forwardS : w.mb.backwardS;
    const tr = pt && env.tracer?.enabled ? env.tracer : null;
    const at = engine.now;
    tr?.span(nodeTrack(w.node, pt!.lanes[d][s]), op.kind === 'F' ? 'bubble (waiting for activations)' : 'bubble (waiting for gradients)', 'bubble', next[s] === 0 ? t0 : lastEnd[s], at);
    engine.schedule(dur, () => {
      if (comm.scope.aborted) return;
      tr?.span(nodeTrack(w.node, pt!.lanes[d][s]), `${op.kind === 'F' ? 'forward' : 'backward'} ${op.mb}`, 'compute', at, engine.now);
      busy[s] = 0;
      next[s]++;
      lastEnd[s] = engine.now;
      if (op.kind === 'F') {
        fwdDone[s][op.mb] = 1;
        if (s < p - 1) send(s, s + 1, () => { fwdIn[s + 1][op.mb] = 1; tryRun(s + 1); });
        else tryRun(s);
      } else if (s > 0) {
        send(s, s - 1, () => { bwdIn[s - 1][op.mb] = 1; tryRun(s - 1); });
      }
      if (next[s] === schedules[s].length && --remaining === 0) done.succeed(undefined);
      tryRun(s);
    });
  };
  const send = (from: number, to: number, then: () => void) => {
    comm.send(stages[from].node, stages[to].node, env.activationBytes, { rails: strategy.tensorParallel }).on((ev) => {
      if (ev.ok) then();
    });
  };
  for (let s = 0; s < p; s++) tryRun(s);
  done.on(() => {
    pt?.lastEnd[d].set(lastEnd);
    for (let s = 0; s < p; s++) {
      const w = stages[s];
      const share = strategy.tensorParallel / env.platform.nodes[w.node].gpus;
      const compute = m * (w.mb.forwardS + w.mb.backwardS);
      acc.addCompute(w.node, share * compute);
      acc.addBubble(w.node, share * (lastEnd[s] - t0 - compute));
      acc.hardwareFlop += m * w.mb.hardwareFlop;
    }
  });
  return done;
}

/** Pipeline-parallel step: all replicas, then a data-parallel all-reduce per stage, then the optimizer. */
export function* pipelineStep(env: StepEnv, comm: Comm, g: GroupPlan, acc: Acc) {
  const { engine } = env;
  const pt = env.tracer?.enabled ? pipelineTrace(g) : undefined;
  yield allOf(engine, g.replicas.map((_, d) => pipelineReplica(env, comm, g, d, acc, pt)));
  const flushEnd = engine.now;
  const p = g.replicas[0].length;
  if (g.replicas.length > 1) {
    const syncs: SimEvent<void>[] = [];
    for (let s = 0; s < p; s++) {
      const members = g.replicas.map((r) => r[s].node);
      syncs.push(allReduce(comm, env.platform.bySite(members), g.stageGradBytes[s],
        { algo: env.strategy.allReduce, rails: env.strategy.tensorParallel, mode: env.ringMode }));
    }
    yield allOf(engine, syncs);
  }
  const syncEnd = engine.now;
  yield timeout(engine, g.optimizerS);
  if (pt && env.tracer) tracePipelineTail(env.tracer, g, pt, flushEnd, syncEnd, scopeOf(g));
  const tokensPerWorker = g.tokensPerStep / g.replicas.length;
  for (const r of g.replicas) {
    for (const w of r) {
      const share = env.strategy.tensorParallel / env.platform.nodes[w.node].gpus;
      acc.addComm(w.node, share * (syncEnd - flushEnd), scopeOf(g));
      acc.addCompute(w.node, share * g.optimizerS);
      acc.addTokens(w.node, share * tokensPerWorker);
    }
  }
}

/** One step of a group, whatever its parallelism. */
export function groupStep(env: StepEnv, comm: Comm, g: GroupPlan, acc: Acc): SimEvent<void> {
  return spawn(env.engine, g.replicas.length > 0 ? pipelineStep(env, comm, g, acc) : dataParallelStep(env, comm, g, acc));
}
