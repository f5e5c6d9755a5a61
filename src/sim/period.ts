/**
 * One period of training, simulated in detail: a synchronous step, or a DiLoCo outer round
 * (H inner steps in every group, then the outer all-reduce of pseudo-gradients).
 * Inside a round, a group's inner steps are fast-forwarded once two consecutive steps
 * take the same time (nothing else changes inside the group), or after one step for a group
 * whose links are its own. Groups and outer syncs that recur are replayed as measured before.
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
  /** Inner steps measured per private group signature, replayed in later rounds; how many group rounds were replayed. */
  measured?: Map<string, MeasuredSteps>;
  replayed?: number;
  /** Outer syncs measured per membership, replayed in later rounds; how many were replayed. */
  syncs?: Map<string, { readonly durationS: number; readonly acc: Acc }>;
  replayedSyncs?: number;
}

/**
 * A group's inner steps as measured in detail: each step's duration and account up to the one
 * that repeated its predecessor (the steady step, fast-forwarded for the rest of the round), and
 * the links they used.
 */
interface MeasuredSteps {
  readonly durationsS: readonly number[];
  readonly accs: readonly Acc[];
  readonly links: readonly number[];
}

/** Measured inner steps kept per run; cleared when full (a new entry costs one measured round). */
const MAX_MEASURED = 4096;

/**
 * What a private group's inner step depends on: its plan (nodes, work, bytes; not its index) and
 * the network's capacities and latencies. Two rounds with the same signature take the same steps.
 */
function signature(env: PeriodEnv, comm: Comm, g: GroupPlan): string {
  return `${comm.net.capacityVersion}/${env.platform.routeVersion}/${JSON.stringify({ ...g, index: 0 })}`;
}

function* innerSteps(env: PeriodEnv, comm: Comm, g: GroupPlan, steps: number, acc: Acc, ends: Float64Array, state: RoundState | null) {
  const cache = state?.measured ?? null;
  let last = -1;
  // Traced: the spans of the latest step are kept, to be drawn again for the fast-forwarded ones.
  const rec = env.tracer?.enabled ? new StepRecorder(env.tracer) : null;
  const stepEnv = rec ? { ...env, tracer: rec } : env;
  // A private group (its links carry no one else's traffic) takes the same steps every round while
  // its plan and the network are unchanged: replay the measured ones unless a foreign flow (a
  // joiner fetching the model) is on its links now. Like the fast-forward inside a round, a
  // replay does not see traffic that starts during it. Traced or not, the same rounds are replayed.
  const key = cache ? signature(env, comm, g) : null;
  const seen = key !== null ? cache!.get(key) : undefined;
  if (seen && !seen.links.some((l) => comm.net.busy(l))) {
    state!.replayed = (state!.replayed ?? 0) + 1;
    const t0 = env.engine.now;
    const h = seen.durationsS.length - 1;
    for (let i = 0; i <= h; i++) {
      yield timeout(env.engine, seen.durationsS[i]);
      acc.add(seen.accs[i]);
    }
    const k = steps - h - 1;
    yield timeout(env.engine, k * seen.durationsS[h]);
    acc.add(seen.accs[h], k);
    ends[g.index] = env.engine.now;
    if (env.tracer?.enabled) {
      for (const n of g.nodes) {
        env.tracer.span(nodeTrack(n), `${steps} inner steps (replayed: as measured in an earlier round)`, 'fast-forward', t0, env.engine.now, { steps, stepS: seen.durationsS[h] });
      }
    }
    return;
  }
  const durationsS: number[] = [], accs: Acc[] = [];
  // A private group's step depends on nothing but its plan and the network: one step taken with
  // its links to itself (no flow on them at the start, none but its own joining them) is the
  // steady step. Otherwise two equal steps in a row are needed, as for any group.
  const own = key !== null && env.fastForward ? groupLinks(env, g) : null;
  let alone = own !== null && !own.some((l) => comm.net.busy(l));
  const joined = () => own!.reduce((x, l) => x + comm.net.joins[l], 0);
  for (let h = 0; h < steps; h++) {
    const stepAcc = new Acc(acc.nodes, g.nodes);
    const t = env.engine.now;
    const joins0 = alone ? joined() : 0;
    rec?.clear();
    yield groupStep(stepEnv, comm.withAcc(stepAcc), g, stepAcc);
    const d = env.engine.now - t;
    acc.add(stepAcc);
    if (key !== null) {
      durationsS.push(d);
      accs.push(stepAcc);
    }
    alone &&= h === 0 && joined() - joins0 === stepAcc.linkTransfers && !own!.some((l) => comm.net.busy(l));
    if (env.fastForward && (alone || (h >= 1 && Math.abs(d - last) <= STEADY_TOLERANCE * d))) {
      const k = steps - h - 1;
      rec?.replay(k, d);
      if (key !== null) {
        if (cache!.size >= MAX_MEASURED) cache!.clear();
        const links = new Set<number>();
        for (const a of accs) a.linkBytes.forEach((l) => links.add(l));
        cache!.set(key, { durationsS, accs, links: [...links] });
      }
      yield timeout(env.engine, k * d);
      acc.add(stepAcc, k);
      ends[g.index] = env.engine.now;
      return;
    }
    last = d;
  }
  ends[g.index] = env.engine.now;
}

/**
 * Every link a private group's step can use: a one-node group's GPU-to-GPU link; else its nodes'
 * GPU-to-GPU links and NICs and its sites' fabrics.
 */
function groupLinks(env: PeriodEnv, g: GroupPlan): number[] {
  if (g.nodes.length === 1) return [env.platform.nodes[g.nodes[0]].intraLink];
  const links: number[] = [];
  for (const n of g.nodes) {
    const node = env.platform.nodes[n];
    links.push(node.intraLink, node.nicUp, node.nicDown);
  }
  for (const site of g.bySite) {
    const fabric = env.platform.sites[env.platform.nodes[site[0]].site].fabricLink;
    if (fabric !== null) links.push(fabric);
  }
  return links;
}

/**
 * Groups whose inner steps use only their own links: one node (its GPU-to-GPU link), or inside
 * sites no other group uses (their fabric and NICs); the caller excludes a sync in flight.
 */
function privateGroups(env: PeriodEnv, layout: Layout): Set<GroupPlan> {
  const owner = new Map<number, GroupPlan | null>();
  for (const g of layout.groups) {
    for (const n of g.nodes) {
      const s = env.platform.nodes[n].site;
      const o = owner.get(s);
      owner.set(s, o === undefined || o === g ? g : null);
    }
  }
  return new Set(layout.groups.filter((g) => g.nodes.length === 1 || (!g.crossesWan && g.nodes.every((n) => owner.get(env.platform.nodes[n].site) === g))));
}

/**
 * The outer sync of a (non-streaming) round, which runs while nothing else trains: with no other
 * flow on the network at its start and none but its own joining during it, its duration and
 * account depend only on the groups' nodes and the network, and a later round with the same
 * groups and network replays them. A replay does not see a flow that starts during it.
 */
function* syncOrReplay(env: PeriodEnv, comm: Comm, layout: Layout, acc: Acc, state: RoundState) {
  const net = comm.net, engine = env.engine;
  const syncs = (state.syncs ??= new Map());
  const key = `${net.capacityVersion}/${env.platform.routeVersion}/${layout.groups.map((g) => g.nodes.join(',')).join('|')}`;
  const seen = syncs.get(key);
  if (seen && net.activeFlows === 0) {
    state.replayedSyncs = (state.replayedSyncs ?? 0) + 1;
    yield timeout(engine, seen.durationS);
    acc.add(seen.acc);
    return;
  }
  const alone = net.activeFlows === 0, joins0 = net.totalJoins, t0 = engine.now;
  const syncAcc = new Acc(acc.nodes);
  yield spawn(engine, outerSync(env, comm.withAcc(syncAcc), layout));
  acc.add(syncAcc);
  if (alone && net.totalJoins - joins0 === syncAcc.linkTransfers && net.activeFlows === 0) {
    if (syncs.size >= MAX_MEASURED_SYNCS) syncs.clear();
    syncs.set(key, { durationS: engine.now - t0, acc: syncAcc });
  }
}

/** Outer syncs kept per run (a membership's key lists every node). */
const MAX_MEASURED_SYNCS = 256;

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
  // Streaming DiLoCo's outer sync runs during the inner steps: no group's links are its own.
  const replay = env.fastForward && !diloco.streaming;
  if (replay) state.measured ??= new Map();
  const own = replay ? privateGroups(env, layout) : null;
  yield allOf(engine, layout.groups.map((g) => spawn(engine, innerSteps(env, comm, g, diloco.innerSteps, acc, ends, own?.has(g) ? state : null))));
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
    } else if (replay) {
      yield spawn(engine, syncOrReplay(env, comm, layout, acc, state));
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
