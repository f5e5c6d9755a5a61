/**
 * Flow-heavy benchmark of the network layer: many flows arriving over time across a
 * congested core, so that every arrival and departure re-solves a component of more than a
 * thousand flows and moves all their completion dates (the case of issue 12).
 *
 * Platform: `hosts` hosts, each with an uplink and a downlink, all joined by one core link.
 * A flow goes src uplink → core → dst downlink. Arrivals are Poisson; the offered load
 * exceeds the core's capacity while flows arrive, so the flows in flight pile up on it.
 */
import { Engine } from '../src/engine/engine';
import { FlowNetwork } from '../src/network/flows';

export interface FlowBenchOptions {
  readonly flows: number;
  readonly hosts: number;
  readonly accessBytesPerS: number;
  readonly coreBytesPerS: number;
  /** Mean flow size (sizes are exponential). */
  readonly meanBytes: number;
  /** Offered load while flows arrive, as a multiple of the core's capacity. */
  readonly offeredLoad: number;
  readonly latencyS: number;
  /** Fraction of flows with a rate cap (TCP window / RTT), and that cap. */
  readonly boundedFraction: number;
  readonly boundBytesPerS: number;
  readonly seed: number;
}

export const FLOW_BENCH_DEFAULTS: FlowBenchOptions = {
  flows: 20_000,
  hosts: 200,
  accessBytesPerS: 1.25e8, // 1 Gbit/s
  coreBytesPerS: 1.25e9, // 10 Gbit/s
  meanBytes: 25e6,
  offeredLoad: 1.1,
  latencyS: 0.01,
  boundedFraction: 0.2,
  boundBytesPerS: 2e6,
  seed: 1,
};

export interface FlowBenchResult {
  readonly flows: number;
  /** Flows whose `done` succeeded (all of them, unless the engine lost some). */
  readonly finished: number;
  readonly wallS: number;
  readonly simulatedS: number;
  readonly events: number;
  readonly flowSolves: number;
  /** Queue length and flows in flight, sampled at every arrival and completion. */
  readonly peakQueue: number;
  readonly peakConcurrentFlows: number;
  /** Sum of completion times: a cheap fingerprint of the results. */
  readonly sumEndS: number;
}

export function flowHeavy(o: FlowBenchOptions = FLOW_BENCH_DEFAULTS): FlowBenchResult {
  const engine = new Engine(o.seed);
  const rng = engine.rng('flow-bench');
  const h = o.hosts;
  // Links: uplinks 0..h-1, downlinks h..2h-1, core 2h.
  const capacity = new Float64Array(2 * h + 1).fill(o.accessBytesPerS);
  capacity[2 * h] = o.coreBytesPerS;
  const net = new FlowNetwork(engine, capacity);
  const meanGapS = o.meanBytes / (o.offeredLoad * o.coreBytesPerS);
  let finished = 0, peakQueue = 0, peakConcurrent = 0, sumEndS = 0;
  const sample = () => {
    peakQueue = Math.max(peakQueue, engine.pending);
    peakConcurrent = Math.max(peakConcurrent, net.activeFlows);
  };
  // Each arrival schedules the next, so the queue holds the network's events, not the workload.
  let arrived = 0;
  const arrive = (): void => {
    sample();
    const src = Math.floor(rng.uniform() * h);
    const dst = (src + 1 + Math.floor(rng.uniform() * (h - 1))) % h;
    const bytes = rng.exponential(o.meanBytes);
    const bound = rng.uniform() < o.boundedFraction ? o.boundBytesPerS : Infinity;
    net.start(Int32Array.of(src, h + dst, 2 * h), bytes, o.latencyS, bound).done.on((ev) => {
      finished++;
      sumEndS += ev.value!.endS;
      sample();
    });
    if (++arrived < o.flows) engine.schedule(rng.exponential(meanGapS), arrive);
  };
  engine.schedule(rng.exponential(meanGapS), arrive);
  const t0 = process.hrtime.bigint();
  engine.run();
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    flows: o.flows, finished, wallS, simulatedS: engine.now, events: engine.processedEvents, flowSolves: net.solves,
    peakQueue, peakConcurrentFlows: peakConcurrent, sumEndS,
  };
}
