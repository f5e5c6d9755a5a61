/**
 * What strategies use to move bytes: point-to-point sends between nodes and transfers on a
 * node's internal link, all tracked in a scope so that an aborted step can cancel them.
 */
import type { Engine } from '../engine/engine';
import { SimEvent } from '../engine/events';
import { FlowCancelled, type Flow, type FlowNetwork, type FlowStats } from '../network/flows';
import type { Platform, Route } from '../platform/platform';
import type { Acc } from '../metrics/acc';
import { nodeTrack, type Tracer } from '../trace/tracer';
import { traceFlow } from './trace';

export class Scope {
  private readonly flows = new Set<Flow>();
  aborted = false;
  constructor(private readonly net: FlowNetwork) {}
  /** Tracks `flow` until untrack() (the caller's completion handler calls it). */
  track(flow: Flow): void {
    this.flows.add(flow);
  }
  untrack(flow: Flow): void {
    this.flows.delete(flow);
  }
  /** Cancels every flow still in flight; later completions of this scope are ignored. */
  abort(reason: string): void {
    this.aborted = true;
    for (const f of [...this.flows]) this.net.cancel(f, reason);
    this.flows.clear();
  }
}

export class Comm {
  constructor(
    readonly engine: Engine,
    readonly net: FlowNetwork,
    readonly platform: Platform,
    readonly streams: number,
    readonly scope: Scope,
    /** Where delivered bytes are counted, by link class. */
    readonly acc: Acc,
    /** Records every flow as an async span while enabled (dtsim run --trace). */
    readonly tracer?: Tracer,
  ) {}

  /** The same network and scope, counting bytes into another account. */
  withAcc(acc: Acc): Comm {
    return new Comm(this.engine, this.net, this.platform, this.streams, this.scope, acc, this.tracer);
  }

  /**
   * Sends `bytes` from node a to node b as one flow. `latencyS` defaults to the route's
   * one-way latency; `rails` parallel transfers (one per GPU rail) multiply the TCP window cap.
   */
  send(a: number, b: number, bytes: number, opts: { latencyS?: number; rails?: number } = {}): SimEvent<FlowStats> {
    const route = this.route(a, b);
    return this.flow(route, bytes, opts.latencyS ?? route.latencyS, opts.rails ?? 1, a, b);
  }

  /** A transfer on node's internal GPU-to-GPU link (one GPU's share of an intra-node collective). */
  intra(node: number, bytes: number, latencyS: number): SimEvent<FlowStats> {
    return this.flow(this.platform.intraRoute(node), bytes, latencyS, 1, node, node);
  }

  route(a: number, b: number): Route {
    return a === b ? this.platform.intraRoute(a) : this.platform.route(a, b);
  }

  private flow(route: Route, bytes: number, latencyS: number, rails: number, from: number, to: number): SimEvent<FlowStats> {
    if (this.scope.aborted) {
      // Work of an aborted step that is still unwinding: fail at once, move nothing.
      return new SimEvent<FlowStats>(this.engine).defuse().fail(new FlowCancelled('scope aborted'));
    }
    const bound = route.streamCapBytesPerS * this.streams * rails;
    const f = this.net.start(route.links, bytes, latencyS, bound);
    const scope = this.scope;
    scope.track(f);
    const { acc, platform } = this;
    const tr = this.tracer?.enabled ? this.tracer : null;
    const startS = this.engine.now;
    f.done.on((ev) => {
      scope.untrack(f);
      if (tr) traceFlow(tr, platform, nodeTrack(from), from, to, route, bytes, startS, this.engine.now, ev.ok ? ev.value! : null);
      if (!ev.ok) return;
      let wan = false;
      for (const l of route.links) {
        const cls = platform.linkClass[l];
        acc.addBytes(l, cls, bytes);
        wan ||= cls === 'wan-access' || cls === 'wan-path';
      }
      if (wan) acc.wanBytes += bytes;
      acc.addLimits(ev.value!.limitedS, ev.value!.boundLimitedS);
    });
    return f.done;
  }
}
