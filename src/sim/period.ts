/**
 * One period of training, simulated in detail: a synchronous step, or a DiLoCo outer round
 * (H inner steps in every group, then the outer all-reduce of pseudo-gradients).
 * Inside a round, a group's inner steps are fast-forwarded once two consecutive steps
 * take the same time (nothing else changes inside the group).
 */
import { allOf, spawn, timeout, type SimEvent } from '../engine/events';
import type { Comm } from '../collective/comm';
import { allReduce } from '../collective/allreduce';
import { Acc } from '../metrics/acc';
import { groupStep, type StepEnv } from '../strategy/step';
import type { GroupPlan, Layout } from '../strategy/layout';
import { nodeTrack, StepRecorder, SYNC_TRACK } from '../trace/tracer';

/** Two step durations are "the same" within this relative tolerance. */
export const STEADY_TOLERANCE = 1e-9;

export interface PeriodEnv extends StepEnv {
  readonly fastForward: boolean;
  /** Bytes of the pseudo-gradient each group contributes to the outer all-reduce. */
  readonly outerBytes: number;
  /** Time to compress + decompress the pseudo-gradient on a node. */
  readonly compressionS: (node: number) => number;
}

/** Streaming DiLoCo keeps one outer all-reduce in flight across rounds. */
export interface RoundState {
  pendingSync: SimEvent<void> | null;
  /**
   * Bytes the pending sync moves. They arrive after the period that started it was credited,
   * so the period that waits for the sync takes them (one sync's bytes per steady period).
   */
  pendingAcc?: Acc | null;
}

function* innerSteps(env: PeriodEnv, comm: Comm, g: GroupPlan, steps: number, acc: Acc, ends: Float64Array) {
  let last = -1;
  // Traced: the spans of the latest step are kept, to be drawn again for the fast-forwarded ones.
  const rec = env.tracer?.enabled ? new StepRecorder(env.tracer) : null;
  const stepEnv = rec ? { ...env, tracer: rec } : env;
  for (let h = 0; h < steps; h++) {
    const stepAcc = new Acc(acc.nodes);
    const t = env.engine.now;
    rec?.clear();
    yield groupStep(stepEnv, comm.withAcc(stepAcc), g, stepAcc);
    const d = env.engine.now - t;
    acc.add(stepAcc);
    if (env.fastForward && h >= 1 && Math.abs(d - last) <= STEADY_TOLERANCE * d) {
      const k = steps - h - 1;
      rec?.replay(k, d);
      yield timeout(env.engine, k * d);
      acc.add(stepAcc, k);
      ends[g.index] = env.engine.now;
      return;
    }
    last = d;
  }
  ends[g.index] = env.engine.now;
}

function* outerSync(env: PeriodEnv, comm: Comm, layout: Layout) {
  const nodes = layout.groups.flatMap((g) => g.nodes);
  yield timeout(env.engine, Math.max(...nodes.map(env.compressionS)));
  const rails = Math.min(...nodes.map((n) => env.platform.nodes[n].gpus));
  yield allReduce(comm, layout.groups.map((g) => g.nodes), env.outerBytes, { algo: 'hierarchical', rails, mode: env.ringMode });
}

/** Runs one period; fills `acc` and returns the tokens it trained. */
export function* period(env: PeriodEnv, comm: Comm, layout: Layout, acc: Acc, state: RoundState) {
  const { engine, strategy } = env;
  const diloco = strategy.diloco;
  if (!diloco) {
    yield groupStep(env, comm, layout.groups[0], acc);
    return layout.tokensPerStep;
  }
  const ends = new Float64Array(layout.groups.length === 0 ? 0 : Math.max(...layout.groups.map((g) => g.index)) + 1);
  yield allOf(engine, layout.groups.map((g) => spawn(engine, innerSteps(env, comm, g, diloco.innerSteps, acc, ends))));
  if (layout.groups.length > 1) {
    const t = engine.now;
    if (state.pendingSync) {
      yield state.pendingSync;
      if (state.pendingAcc) acc.add(state.pendingAcc);
      state.pendingSync = null;
      state.pendingAcc = null;
    }
    if (diloco.streaming) {
      const syncAcc = new Acc(acc.nodes);
      state.pendingSync = spawn(engine, outerSync(env, comm.withAcc(syncAcc), layout));
      state.pendingAcc = syncAcc;
    } else {
      yield spawn(engine, outerSync(env, comm, layout));
    }
    const exposed = engine.now - t;
    const scope = env.platform.bySite(layout.nodes).length > 1 ? 'wan' : 'site';
    for (const g of layout.groups) for (const n of g.nodes) acc.addComm(n, exposed, scope);
    const tr = env.tracer;
    if (tr?.enabled) {
      for (const g of layout.groups) {
        for (const n of g.nodes) {
          tr.span(nodeTrack(n), 'wait for the other groups', 'idle', ends[g.index], t);
          tr.span(nodeTrack(n), diloco.streaming ? 'previous outer sync (exposed)' : 'outer sync', 'comm', t, engine.now, { scope, bytes: env.outerBytes });
        }
      }
    }
    if (diloco.streaming && tr?.enabled) {
      const from = engine.now;
      state.pendingSync!.on(() => tr.span(SYNC_TRACK, 'outer all-reduce (streaming)', 'comm', from, engine.now, { bytes: env.outerBytes, groups: layout.groups.length }));
    }
  }
  return layout.tokensPerStep * diloco.innerSteps;
}
