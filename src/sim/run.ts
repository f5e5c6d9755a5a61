/**
 * Simulates one system (a RunSpec) training the scenario's model: builds the platform and
 * network, installs faults, and runs the trainer process period after period until the
 * token budget is reached. Periods are simulated in detail until two in a row with the
 * same membership take the same time; then whole blocks of identical periods are
 * fast-forwarded, cut short by any fault event.
 */
import { Engine } from '../engine/engine';
import { anyOf, Interrupt, SimEvent, spawn, timeout, type Process } from '../engine/events';
import { FlowNetwork } from '../network/flows';
import { Platform } from '../platform/platform';
import { Comm, Scope } from '../collective/comm';
import { Acc } from '../metrics/acc';
import { buildLayout, layoutWithoutInfeasibleGroups, type Layout } from '../strategy/layout';
import { youngInterval } from '../faults/faults';
import { Fleet } from '../fleet/fleet';
import { WorkLedger } from '../fleet/ledger';
import { attachEconomy } from './economy';
import { DAY_S, type EconomySpec } from '../economy/spec';
import type { EconomyRow } from '../economy/day';
import { installTimeline, type TimelineHooks } from '../timeline/driver';
import { period, STEADY_TOLERANCE, type PeriodEnv, type RoundState } from './period';
import type { RunSpec, Scenario } from '../scenario/types';
import type { RegionMatrix } from '../compute/catalog';
import { paramCount } from '../workload/model';
import { flopsPerToken } from '../workload/flops';
import type { RunResult } from '../result/result';
import { LINK_CLASSES, type LinkClass } from '../platform/platform';
import { efficiencySourceOf, peakFor } from '../compute/gpu';
import type { RingMode } from '../collective/allreduce';
import { nodeTrack, RUN_TRACK, TIMELINE_TRACK, type Tracer } from '../trace/tracer';
import { traceBlock, tracePeriod } from './trace';

export interface TimeseriesRow {
  readonly run: string;
  readonly timeS: number;
  readonly tokens: number;
  readonly effectiveTokens: number;
  readonly tokensLost: number;
  readonly activeNodes: number;
  readonly activeGpus: number;
  readonly periodS: number;
  readonly throughputTokensPerS: number;
  readonly event: string;
  /** GPUs of the training nodes by GPU type (id); types with none are absent. */
  readonly activeGpusByType: Readonly<Record<string, number>>;
}

export interface RunOptions {
  readonly seed: number;
  readonly regions: RegionMatrix;
  readonly onRow?: (row: TimeseriesRow) => void;
  readonly onProgress?: (fraction: number) => void;
  readonly ringMode?: RingMode;
  /** The scenario field of this system ('system' or 'baseline'), for error messages and advice. */
  readonly field?: string;
  /** Keep a ledger of work per node per bin of this many seconds (the economy's day). */
  readonly ledgerBinS?: number;
  /** Called with the run's state once it is wired, before it starts (drivers such as the economy attach here). */
  readonly attach?: (rs: RunState) => void;
  /** Couple this token economy to the run (its daily rows go to onRow). */
  readonly economy?: { readonly spec: EconomySpec; readonly onRow?: (row: EconomyRow) => void };
  /** Records a trace of the run (dtsim run --trace); absent: nothing is recorded. */
  readonly tracer?: Tracer;
}

/** Mutable state of a run's trainer, kept in one place (the imperative shell around the pure models). */
export class RunState {
  readonly engine: Engine;
  readonly platform: Platform;
  readonly net: FlowNetwork;
  /** Who is online, and each node's online and down time by cause. */
  readonly fleet: Fleet;
  /** Work committed (survives failures). */
  readonly committed: Acc;
  /** Work since the last checkpoint (lost if the job rolls back). */
  readonly pending: Acc;
  /** Per node: seconds of work that did not count (rolled back to a checkpoint, a discarded round, an interrupted step). */
  readonly lostWorkS: Float64Array;
  /** Per node: seconds waiting for the job to restart after a member failed or left. */
  readonly restartS: Float64Array;
  readonly checkpointS: Float64Array;
  tokensDone = 0;
  tokensLost = 0;
  checkpointTokens = 0;
  lastCheckpointS = 0;
  failures = 0;
  churnEvents = 0;
  outages = 0;
  restarts = 0;
  /** Group-rounds (DiLoCo) or steps (elastic synchronous) whose work was discarded because a member left. */
  discardedRounds = 0;
  /** Distinct memberships in which some DiLoCo groups could not be laid out and sat out (their keys). */
  readonly sitOutMemberships = new Set<string>();
  /** Periods (DiLoCo rounds) trained while some groups sat out. */
  sitOutPeriods = 0;
  /** Dated timeline changes applied. */
  timelineEvents = 0;
  currentLayout: Layout | null = null;
  trainer: Process<void> | null = null;
  /** How every driver changes membership: the fleet, plus what the trainer does about it. */
  membership: TimelineHooks = { leave: () => {}, rejoin: () => {}, changed: () => {} };
  /** Model FLOP per token (no recomputation): the unit of verified work. */
  readonly modelFlopPerToken: number;
  /** Work per node per bin of time, when a consumer (the economy) needs it dated. */
  readonly ledger: WorkLedger | null;

  constructor(readonly scenario: Scenario, readonly spec: RunSpec, readonly opts: RunOptions) {
    this.engine = new Engine(opts.seed);
    // Static stragglers: each node is slowed with probability `fraction`, from its own stream.
    const st = spec.faults.stragglers;
    this.platform = new Platform(spec.topology, opts.regions, (i) =>
      st !== null && this.engine.rng(`faults/straggler/${i}`).uniform() < st.fraction ? st.slowdown : 1);
    this.net = new FlowNetwork(this.engine, this.platform.capacity);
    const n = this.platform.nodes.length;
    // Price integrals only where the timeline changes prices (otherwise cost = rate × online time).
    const prices = spec.timeline.some((e) => e.change.kind === 'price') ? PRICE_SERIES : [];
    this.fleet = new Fleet(this.engine, n, prices);
    this.committed = new Acc(n);
    this.pending = new Acc(n);
    this.lostWorkS = new Float64Array(n);
    this.restartS = new Float64Array(n);
    this.checkpointS = new Float64Array(n);
    const binS = opts.economy ? DAY_S : opts.ledgerBinS;
    this.ledger = binS ? new WorkLedger(binS, () => this.platform.nodes.length) : null;
    this.modelFlopPerToken = flopsPerToken(scenario.model, scenario.training.recompute).model;
  }

  get elastic(): boolean {
    return this.spec.strategy.recovery === 'elastic';
  }

  /** Moves the work since the last checkpoint into the lost-work account (rollback). */
  rollback(): void {
    for (let i = 0; i < this.pending.nodes; i++) {
      this.lostWorkS[i] += this.pending.compute[i] + this.pending.comm[i] + this.pending.bubble[i];
    }
    // Bytes were moved even though the work is lost.
    this.committed.addTraffic(this.pending);
    this.tokensLost += this.tokensDone - this.checkpointTokens;
    this.tokensDone = this.checkpointTokens;
    this.pending.clear();
    this.ledger?.rollback();
  }

  commit(): void {
    this.committed.add(this.pending);
    this.pending.clear();
    this.ledger?.commit();
  }
}

/** Price series the fleet integrates over online time (the timeline can change them). */
export const PRICE_SERIES = ['electricity', 'rental'] as const;

/** Layouts kept for memberships seen before. */
const MAX_CACHED_LAYOUTS = 256;

interface Steady {
  readonly key: string;
  readonly durationS: number;
  readonly tokens: number;
  readonly acc: Acc;
}

export function simulateRun(scenario: Scenario, spec: RunSpec, opts: RunOptions): RunResult {
  const rs = new RunState(scenario, spec, opts);
  const { engine, platform } = rs;
  const { model, training } = scenario;
  const strategy = spec.strategy;
  const params = paramCount(model);
  const horizonS = spec.engine.maxTimeS;

  const fleet = rs.fleet;
  const tracer = opts.tracer;
  tracer?.describe({ label: spec.label, sites: platform.sites.map((s) => s.spec.name), nodes: platform.nodes });
  let interruptedAtS = -1;
  rs.membership = {
    leave: (node, cause) => {
      if (cause === 'failure') rs.failures++;
      else if (cause === 'churn') rs.churnEvents++;
      else if (cause === 'outage') rs.outages++;
      tracer?.instant(nodeTrack(node), `${cause}: leaves`, cause, engine.now);
      const wasUp = fleet.isUp(node);
      fleet.setDown(node, cause);
      // Nodes leaving together (a site outage) interrupt the job once.
      if (wasUp && !rs.elastic && rs.currentLayout?.nodes.includes(node) && interruptedAtS !== engine.now) {
        interruptedAtS = engine.now;
        rs.trainer?.interrupt(cause);
      }
    },
    rejoin: (node, cause) => {
      tracer?.instant(nodeTrack(node), `${cause}: back`, cause, engine.now);
      if (rs.elastic && rs.currentLayout !== null) {
        fleet.setUp(node, cause, false);
        if (fleet.isUp(node)) fetchModel(node);
      } else {
        fleet.setUp(node, cause, true);
      }
    },
    changed: (label, replan) => {
      rs.timelineEvents++;
      tracer?.instant(TIMELINE_TRACK, label, 'timeline', engine.now);
      row(`timeline: ${label}`, rs.currentLayout !== null, true);
      if (replan) fleet.replan();
    },
  };
  installTimeline(engine, platform, fleet, rs.net, { ...spec.faults, events: spec.timeline }, rs.membership, horizonS);

  let scope = new Scope(rs.net);
  let comm = new Comm(engine, rs.net, platform, spec.topology.wan.streams, scope, rs.pending, tracer);

  /** An elastic joiner downloads the current weights from a live peer before it trains. */
  const fetchModel = (node: number): void => {
    const peers = fleet.ready().filter((p) => p !== node);
    if (peers.length === 0) {
      fleet.markReady(node);
      return;
    }
    const peer = peers.find((p) => platform.nodes[p].site !== platform.nodes[node].site) ?? peers[0];
    const joinComm = comm.withAcc(rs.committed);
    joinComm.send(peer, node, params * training.weightBytesPerParam, { rails: platform.nodes[node].gpus }).on(() => fleet.markReady(node));
  };

  const env: PeriodEnv = {
    engine, platform, strategy, ringMode: opts.ringMode ?? 'bulk',
    activationBytes: training.microBatchSeqs * model.seqLength * model.hidden * training.weightBytesPerParam,
    fastForward: spec.engine.fastForward, tracer,
    outerBytes: params * strategy.compression.bytesPerParam,
    compressionS: (node) => {
      const n = platform.nodes[node];
      return (strategy.compression.flopPerParam * params) / (n.gpus * n.gpu.peakFlopS.fp32);
    },
  };

  const layoutInput = { platform, model, training, strategy, field: opts.field };
  const layouts = new Map<string, Layout | null>();
  // Membership is usually unchanged since the previous period: compare the node lists
  // before building the key (a string of every active node id, costly with thousands of nodes).
  let lastActive: readonly number[] = [];
  let lastLayout: Layout | null = null;
  /** Layouts in which some groups sit out. */
  const sitOut = new WeakSet<Layout>();
  /** The layout of the ready nodes; DiLoCo groups that cannot run sit out; null when nobody can train. */
  const layoutFor = (active: number[]): Layout | null => {
    if (active.length === lastActive.length && active.every((n, i) => n === lastActive[i])) return lastLayout;
    const key = active.join(',');
    let l = layouts.get(key);
    if (l === undefined) {
      const partial = layoutWithoutInfeasibleGroups(layoutInput, active);
      l = partial.layout;
      if (l !== null && partial.sittingOut.length > 0) {
        rs.sitOutMemberships.add(key);
        sitOut.add(l);
      }
      // Memberships recur (a node back from repair), but a long run with an economy or churn meets
      // thousands: keep the cache bounded.
      if (layouts.size >= MAX_CACHED_LAYOUTS) layouts.clear();
      layouts.set(key, l);
    }
    lastActive = active;
    lastLayout = l;
    return l;
  };
  // Infeasible memory layouts are scenario errors: check them once with every node present.
  buildLayout(layoutInput, platform.nodes.map((n) => n.id));

  // Checkpoint interval: given, or Young's optimum for the mean time to interrupt of the nodes that
  // train now (not of nodes held in reserve for the economy or joining later on the timeline).
  const intervals = new WeakMap<Layout, number>();
  const checkpointIntervalFor = (layout: Layout): number => {
    if (rs.elastic) return Infinity;
    if (spec.faults.checkpoint.intervalS !== null && spec.faults.checkpoint.intervalS !== undefined) return spec.faults.checkpoint.intervalS;
    let t = intervals.get(layout);
    if (t === undefined) {
      const rate = spec.faults.failures ? layout.nodes.reduce((r, n) => r + 1 / platform.nodes[n].spec.nodeMtbfS, 0) : 0;
      t = rate > 0 ? youngInterval(spec.faults.checkpoint.writeS, 1 / rate) : Infinity;
      intervals.set(layout, t);
    }
    return t;
  };

  const target = training.tokens;
  const efficiency = strategy.tokenEfficiency.value;
  let steady: Steady | null = null;
  let lastRowS = -Infinity;
  // The latest period that trained: its duration and credited tokens give each row's training rate.
  let lastPeriod = { durationS: 0, tokens: 0 };
  const roundState: RoundState = { pendingSync: null };

  /**
   * A timeseries row, at most one per output interval unless forced. `periodS` and the throughput
   * describe the latest period (a step or a DiLoCo round), so fast-forwarded stretches show the rate
   * they ran at; rows where nothing trains (waiting, restart) show 0 because nothing trained.
   */
  const row = (event: string, training: boolean, force = false): void => {
    const now = engine.now;
    if (!force && now - lastRowS < scenario.output.timeseriesIntervalS) return;
    const layout = training ? rs.currentLayout : null;
    let activeGpus = 0;
    const activeGpusByType: Record<string, number> = {};
    for (const n of layout ? layout.nodes : []) {
      const node = platform.nodes[n];
      activeGpus += node.gpus;
      activeGpusByType[node.gpu.id] = (activeGpusByType[node.gpu.id] ?? 0) + node.gpus;
    }
    const p = training ? lastPeriod : { durationS: 0, tokens: 0 };
    opts.onRow?.({
      run: spec.label, timeS: now, tokens: rs.tokensDone, effectiveTokens: rs.tokensDone * efficiency, tokensLost: rs.tokensLost,
      activeNodes: layout ? layout.nodes.length : 0, activeGpus, periodS: p.durationS,
      throughputTokensPerS: p.durationS > 0 ? p.tokens / p.durationS : 0, event, activeGpusByType,
    });
    lastRowS = now;
    opts.onProgress?.(rs.tokensDone / target);
  };

  /**
   * Adds k identical periods of work. Elastic runs discard the last period's work of every
   * group that lost a node during it (DiLoCo: that group's pseudo-gradient; synchronous: the step).
   */
  /**
   * `at`: the periods' duration and the end of the last of the k (each period's work is dated to its
   * end), and when the last began (a departed node worked only until it left).
   */
  const credit = (layout: Layout, acc: Acc, tokens: number, k: number, at: { periodS: number; lastEndS: number; lastStartS?: number }): number => {
    const lastStartS = at.lastStartS ?? engine.now;
    rs.pending.add(acc, k);
    rs.ledger?.credit({ tokens: acc.tokens, periodS: at.periodS, firstEndS: at.lastEndS - (k - 1) * at.periodS, k }, !rs.elastic);
    let lost = 0;
    if (rs.elastic && fleet.downInPeriod.size > 0) {
      const hit = strategy.diloco ? layout.groups.filter((g) => g.nodes.some((n) => fleet.downInPeriod.has(n))) : layout.groups;
      for (const g of hit) {
        rs.discardedRounds++;
        lost += strategy.diloco ? g.tokensPerStep * strategy.diloco.innerSteps : tokens;
        for (const n of g.nodes) {
          let wasted = acc.compute[n] + acc.comm[n] + acc.bubble[n];
          // A node that left during the period was neither online nor working after it left.
          if (fleet.downInPeriod.has(n)) wasted = Math.min(wasted, Math.max(0, fleet.downAtS[n] - lastStartS));
          rs.lostWorkS[n] += wasted;
          rs.pending.compute[n] -= acc.compute[n];
          rs.pending.comm[n] -= acc.comm[n];
          rs.pending.commWan[n] -= acc.commWan[n];
          rs.pending.commIntra[n] -= acc.commIntra[n];
          rs.pending.bubble[n] -= acc.bubble[n];
          rs.pending.tokens[n] -= acc.tokens[n];
        }
        if (rs.ledger) {
          const undo = new Float64Array(acc.tokens.length);
          for (const n of g.nodes) undo[n] = -acc.tokens[n];
          rs.ledger.credit({ tokens: undo, periodS: at.periodS, firstEndS: at.lastEndS, k: 1 }, false);
        }
      }
    }
    if (sitOut.has(layout)) rs.sitOutPeriods += k;
    rs.tokensDone += k * tokens - lost;
    rs.tokensLost += lost;
    if (rs.elastic) rs.commit();
    return k * tokens - lost;
  };

  function* trainer(): Generator<SimEvent<any>, void, any> {
    let history: { key: string; durationS: number } | null = null;
    while (rs.tokensDone < target && engine.now < horizonS) {
      const active = fleet.ready();
      const layout = active.length > 0 ? layoutFor(active) : null;
      if (layout === null || layout.nodes.length === 0) {
        // Not enough nodes to train: wait for someone to come back.
        rs.currentLayout = null;
        row('waiting', false, true);
        const waitFrom = engine.now;
        yield anyOf(engine, [fleet.changed, timeout(engine, horizonS - engine.now)]);
        tracer?.span(RUN_TRACK, 'waiting: nobody can train', 'waiting', waitFrom, engine.now);
        continue;
      }
      rs.currentLayout = layout;
      let periodStart = engine.now;
      try {
        // Checkpoint when due (synchronous recovery only).
        const checkpointIntervalS = checkpointIntervalFor(layout);
        if (engine.now - rs.lastCheckpointS >= checkpointIntervalS) {
          yield timeout(engine, spec.faults.checkpoint.writeS);
          for (const n of layout.nodes) rs.checkpointS[n] += spec.faults.checkpoint.writeS;
          rs.commit();
          rs.checkpointTokens = rs.tokensDone;
          rs.lastCheckpointS = engine.now;
          // The write is accounted as checkpoint time: the period (and any loss) starts after it.
          periodStart = engine.now;
          tracer?.span(RUN_TRACK, 'checkpoint', 'checkpoint', engine.now - spec.faults.checkpoint.writeS, engine.now);
        }
        const remainingPeriods = (p: number) => Math.ceil((target - rs.tokensDone) / p - 1e-12);
        // Whole periods that end by the time limit: a block running past it would never be credited.
        const fitBeforeHorizon = steady ? Math.floor((horizonS - engine.now) / steady.durationS) : 0;
        if (steady && steady.key === layout.key && spec.engine.fastForward && fitBeforeHorizon >= 1) {
          // Fast-forward a block of identical periods, up to the next checkpoint, the end or the time limit;
          // the last, partial period before the limit is simulated in detail like every other.
          let k = remainingPeriods(steady.tokens);
          if (Number.isFinite(checkpointIntervalS)) {
            k = Math.min(k, Math.max(1, Math.floor((rs.lastCheckpointS + checkpointIntervalS - engine.now) / steady.durationS)));
          }
          k = Math.max(1, Math.min(k, fitBeforeHorizon));
          const t0 = engine.now;
          fleet.downInPeriod.clear();
          const block = timeout(engine, k * steady.durationS);
          rs.ledger?.openBlock(t0, steady.durationS, k, steady.acc.tokens);
          tracer?.periods(t0, k, steady.durationS);
          // Any membership change (a node back from repair, too) ends the block: re-plan.
          const waited = yield anyOf(engine, [block, fleet.changed]);
          rs.ledger?.closeBlock();
          if (waited.index === 1) {
            // Membership changed: finish the period under way, then re-plan.
            const done = Math.min(k, Math.floor((engine.now - t0) / steady.durationS) + 1);
            yield timeout(engine, Math.max(0, t0 + done * steady.durationS - engine.now));
            const downs = fleet.downInPeriod;
            fleet.downInPeriod = new Set();
            credit(layout, steady.acc, steady.tokens, done - 1, { periodS: steady.durationS, lastEndS: t0 + (done - 1) * steady.durationS });
            fleet.downInPeriod = downs;
            const last = credit(layout, steady.acc, steady.tokens, 1,
              { periodS: steady.durationS, lastEndS: engine.now, lastStartS: t0 + (done - 1) * steady.durationS });
            lastPeriod = { durationS: steady.durationS, tokens: last };
            steady = null;
          } else {
            credit(layout, steady.acc, steady.tokens, k, { periodS: steady.durationS, lastEndS: engine.now });
            lastPeriod = { durationS: steady.durationS, tokens: steady.tokens };
          }
          fleet.downInPeriod.clear();
          if (tracer?.enabled) traceBlock(tracer, t0, engine.now, lastPeriod.durationS);
          row('fast-forward', true);
        } else {
          const acc = new Acc(platform.nodes.length);
          fleet.downInPeriod.clear();
          const tokens: number = yield spawn(engine, period(env, comm.withAcc(acc), layout, acc, roundState));
          const durationS = engine.now - periodStart;
          const changed = fleet.downInPeriod.size > 0;
          lastPeriod = { durationS, tokens: credit(layout, acc, tokens, 1, { periodS: durationS, lastEndS: engine.now, lastStartS: periodStart }) };
          if (tracer?.enabled) tracePeriod(tracer, strategy.diloco ? 'round' : 'step', periodStart, engine.now, lastPeriod.tokens);
          fleet.downInPeriod.clear();
          row(changed ? 'membership' : 'step', true);
          if (!changed && history && history.key === layout.key && Math.abs(history.durationS - durationS) <= STEADY_TOLERANCE * durationS) {
            steady = { key: layout.key, durationS, tokens, acc };
          } else {
            steady = null;
          }
          history = changed ? null : { key: layout.key, durationS };
        }
      } catch (err) {
        if (!(err instanceof Interrupt)) throw err;
        // Synchronous job lost a member: abort in-flight work, roll back, restart.
        scope.abort('failure');
        scope = new Scope(rs.net);
        comm = new Comm(engine, rs.net, platform, spec.topology.wan.streams, scope, rs.pending, tracer);
        roundState.pendingSync?.defuse();
        roundState.pendingSync = null;
        if (steady && steady.key === layout.key) {
          // Whole periods of the interrupted block were done; the partial one is lost.
          const k = Math.floor((engine.now - periodStart) / steady.durationS);
          if (k > 0) credit(layout, steady.acc, steady.tokens, k, { periodS: steady.durationS, lastEndS: periodStart + k * steady.durationS });
          for (const n of layout.nodes) rs.lostWorkS[n] += engine.now - periodStart - k * steady.durationS;
        } else {
          for (const n of layout.nodes) rs.lostWorkS[n] += engine.now - periodStart;
        }
        rs.rollback();
        rs.restarts++;
        const cause = String((err as Interrupt).cause);
        row(`restart-after-${cause === 'absent' ? 'removal' : cause}`, false, true);
        const restartAt = engine.now;
        // A member failing during the restart starts it over.
        for (let restarting = true; restarting;) {
          try {
            yield timeout(engine, spec.faults.restartS);
            restarting = false;
          } catch (e) {
            if (!(e instanceof Interrupt)) throw e;
            rs.restarts++;
          }
        }
        tracer?.span(RUN_TRACK, `restart after ${cause}`, 'restart', restartAt, engine.now, { restarts: rs.restarts });
        // Nodes that came back during the restart wait only from their return.
        for (const n of fleet.ready()) rs.restartS[n] += engine.now - Math.max(restartAt, fleet.onlineSince[n]);
        steady = null;
        history = null;
        rs.lastCheckpointS = engine.now;
      }
    }
  }

  opts.attach?.(rs);
  const economy = opts.economy ? attachEconomy(rs, opts.economy.spec, opts.seed, opts.economy.onRow) : null;
  rs.trainer = spawn(engine, trainer());
  rs.trainer.on(() => engine.stop());
  engine.run(horizonS, spec.engine.maxEvents);
  // A trainer that died of an error would otherwise look like an unfinished run.
  if (rs.trainer.triggered && !rs.trainer.ok) throw rs.trainer.error;
  rs.commit();
  fleet.finish();
  row('end', rs.currentLayout !== null, true);
  return { ...collect(rs, rs.modelFlopPerToken, roundState.replayed ?? 0, roundState.replayedSyncs ?? 0), economy: economy?.finish() };
}

/** The run's result as plain data, read once from the live state at the end. */
function collect(rs: RunState, modelFlopPerToken: number, replayedGroupRounds: number, replayedSyncs: number): RunResult {
  const { platform, committed: acc, fleet, net } = rs;
  const precision = rs.scenario.training.precision;
  const priced = (series: string, i: number) => {
    const p = fleet.pricedOnlineS[series];
    return p === undefined || fleet.onlineS[i] === 0 ? 1 : p[i] / fleet.onlineS[i];
  };
  return {
    label: rs.spec.label, timeS: rs.engine.now, targetTokens: rs.scenario.training.tokens,
    stopReason: rs.tokensDone >= rs.scenario.training.tokens ? 'finished' : rs.engine.eventLimitReached ? 'event-limit' : 'time-limit',
    tokensDone: rs.tokensDone, tokensLost: rs.tokensLost, tokenEfficiency: rs.spec.strategy.tokenEfficiency,
    modelFlopPerToken, hardwareFlop: acc.hardwareFlop,
    bytesByClass: Object.fromEntries(LINK_CLASSES.map((c, k) => [c, acc.bytesByClass[k]])) as Record<LinkClass, number>,
    wanBytes: acc.wanBytes, boundLimitedFlowS: acc.boundLimitedS,
    events: {
      failures: rs.failures, churn: rs.churnEvents, outages: rs.outages, restarts: rs.restarts,
      discardedRounds: rs.discardedRounds, sitOutLayouts: rs.sitOutMemberships.size, sitOutPeriods: rs.sitOutPeriods, timeline: rs.timelineEvents,
    },
    simulator: { events: rs.engine.processedEvents, flowSolves: net.solves, replayedGroupRounds, replayedSyncs },
    calibrated: [...new Map(platform.nodes.filter((n) => n.gpu.efficiencyProfile).map((n) => [n.gpu.id, n.gpu])).values()].map((g) => ({
      gpu: g.id, profile: g.efficiencyProfile!, peakFlopS: peakFor(g, precision), curve: g.efficiency.points,
    })),
    nodes: platform.nodes.map((n) => ({
      id: n.id, name: n.name, site: n.site, gpu: n.gpu.id, gpus: n.gpus, peakFlopS: peakFor(n.gpu, precision), tdpW: n.gpu.tdpW,
      efficiencySource: efficiencySourceOf(n.gpu),
      slowdown: n.slowdown, joinAtS: n.joinAtS, onlineS: fleet.onlineS[n.id],
      computeS: acc.compute[n.id], commS: acc.comm[n.id], commWanS: acc.commWan[n.id], commIntraS: acc.commIntra[n.id],
      bubbleS: acc.bubble[n.id], lostWorkS: rs.lostWorkS[n.id], restartS: rs.restartS[n.id], checkpointS: rs.checkpointS[n.id],
      down: {
        absentS: fleet.down.absentS[n.id], outageS: fleet.down.outageS[n.id], repairS: fleet.down.repairS[n.id], churnS: fleet.down.churnS[n.id],
      },
      tokens: acc.tokens[n.id], rentalUsdPerGpuS: n.spec.rentalUsdPerGpuS, capexUsdPerGpu: n.spec.capexUsdPerGpu,
      priceFactor: { electricity: priced('electricity', n.id), rental: priced('rental', n.id) },
    })),
    sites: platform.sites.map((s) => ({
      name: s.spec.name, kind: s.spec.kind, region: s.spec.region, pue: s.spec.pue, electricityUsdPerJ: s.spec.electricityUsdPerJ, cost: s.spec.cost,
    })),
    links: platform.capacity.map((cap, l) => ({
      id: l, name: platform.linkName[l], cls: platform.linkClass[l], site: platform.linkSite[l], capacityBytesPerS: cap,
      bytes: acc.linkBytes.get(l) ?? 0, limitingFlowS: acc.linkLimitingS.get(l) ?? 0,
    })),
  };
}

