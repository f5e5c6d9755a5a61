/**
 * Flow-level network: each transfer is a flow over a path of links. A flow first waits
 * out its path latency, then joins the sharing (as in SimGrid's CM02 model); concurrent
 * flows share links max-min fairly. When flows join or leave, only the connected
 * component of flows and links they touch is re-solved, once per instant (LATE priority),
 * and only the flows in it whose rate changed have their completion event moved (in place in
 * the engine's queue, which holds live events only).
 */
import { Engine, Priority, type TimerHandle } from '../engine/engine';
import { SimEvent } from '../engine/events';
import { LIMITED_BY_BOUND, maxMinRates } from './maxmin';

export interface FlowStats {
  readonly bytes: number;
  readonly startS: number;
  readonly endS: number;
  /** Seconds the flow's rate was set by each bottleneck link, and by its own bound (e.g. a TCP window). */
  /** Seconds each link set the flow's rate, as pairs: link, seconds, link, seconds, … (each link once). */
  readonly limitedS: readonly number[];
  readonly boundLimitedS: number;
}

export class FlowCancelled extends Error {}

/** A transfer in flight. `done` succeeds at completion, or fails if the flow is cancelled. */
export class Flow {
  remainingBytes: number;
  rateBytesPerS = 0;
  lastUpdateS = 0;
  completion: TimerHandle = -1;
  started = false;
  finished = false;
  /** Scratch mark for component search. */
  mark = 0;
  /** While the flow shares its links: its index in each link's flow list (parallel to `links`). */
  linkPos: number[] | null = null;
  /** What sets its current rate: a link id, or LIMITED_BY_BOUND; and the seconds charged to each so far. */
  limit = LIMITED_BY_BOUND;
  limitedS: number[] | null = null;
  boundLimitedS = 0;
  constructor(
    readonly id: number,
    readonly links: Int32Array,
    readonly bytes: number,
    readonly boundBytesPerS: number,
    readonly startS: number,
    readonly done: SimEvent<FlowStats>,
  ) {
    this.remainingBytes = bytes;
  }
  get bound(): number {
    return this.boundBytesPerS;
  }
}

const NO_LIMITS: readonly number[] = [];

/** A flow is complete when less than this fraction of its bytes is left (float round-off). */
const DONE_TOLERANCE = 1e-9;

export class FlowNetwork {
  readonly capacity: Float64Array;
  /** Bytes delivered across each link (a flow counts on every link of its path). */
  readonly bytesCarried: Float64Array;
  /** Flows sharing each link, in no particular order (swap-remove); positions kept in Flow.linkPos. */
  private readonly onLink: Flow[][];
  /** Links whose flows must be re-solved at the end of the instant, each listed once. */
  private dirtyLinks: number[] = [];
  private readonly isDirty: Uint8Array;
  /** Per link: the search epoch that last reached it (component search without a Set). */
  private readonly linkSeen: Int32Array;
  private solvePending = false;
  private limitScratch = new Int32Array(0);
  private nextId = 0;
  private markEpoch = 0;
  activeFlows = 0;
  solves = 0;
  /** Counts capacity changes: what was measured under an older version may no longer hold. */
  capacityVersion = 0;
  /** Per link: flows that have joined it so far (a caller compares it with the flows it started itself); and over all links. */
  readonly joins: Float64Array;
  totalJoins = 0;

  constructor(private readonly engine: Engine, capacityBytesPerS: ArrayLike<number>) {
    this.capacity = Float64Array.from(capacityBytesPerS);
    this.bytesCarried = new Float64Array(this.capacity.length);
    this.onLink = Array.from({ length: this.capacity.length }, () => []);
    this.isDirty = new Uint8Array(this.capacity.length);
    this.linkSeen = new Int32Array(this.capacity.length);
    this.joins = new Float64Array(this.capacity.length);
  }

  /**
   * Starts a transfer of `bytes` over `links` after `latencyS`. `boundBytesPerS` caps the
   * flow's rate (e.g. TCP window / RTT). Zero-byte flows complete after the latency alone.
   */
  start(links: Int32Array, bytes: number, latencyS: number, boundBytesPerS = Infinity): Flow {
    if (!(bytes >= 0) || !(latencyS >= 0)) throw new Error(`invalid flow: ${bytes} bytes, latency ${latencyS} s`);
    const flow = new Flow(this.nextId++, links, bytes, boundBytesPerS, this.engine.now, new SimEvent<FlowStats>(this.engine));
    this.engine.schedule(latencyS, this.join, flow);
    return flow;
  }

  /** Stops a flow: it releases its links and `done` fails with FlowCancelled. */
  cancel(flow: Flow, reason = 'cancelled'): void {
    if (flow.finished) return;
    flow.finished = true;
    if (flow.started) {
      this.settle(flow);
      this.detach(flow);
      this.account(flow, flow.bytes - flow.remainingBytes);
    }
    flow.done.defuse();
    flow.done.fail(new FlowCancelled(reason));
  }

  /** Changes a link's capacity (0 = down; flows on it stall until it comes back or they are cancelled). */
  setCapacity(link: number, bytesPerS: number): void {
    this.capacity[link] = bytesPerS;
    this.capacityVersion++;
    this.markDirty(link);
  }

  /** Whether any flow is on `link` now. */
  busy(link: number): boolean {
    return this.onLink[link].length > 0;
  }

  /** Flows currently sharing `link` (a snapshot, in no particular order). */
  flowsOn(link: number): ReadonlySet<Flow> {
    return new Set(this.onLink[link]);
  }

  private readonly join = (flow: Flow): void => {
    if (flow.finished) return;
    for (let j = 0; j < flow.links.length; j++) this.joins[flow.links[j]]++;
    this.totalJoins += flow.links.length;
    flow.started = true;
    flow.lastUpdateS = this.engine.now;
    if (flow.bytes === 0 || flow.links.length === 0 && flow.boundBytesPerS === Infinity) {
      this.finish(flow);
      return;
    }
    this.activeFlows++;
    const links = flow.links;
    const pos: number[] = new Array(links.length);
    for (let j = 0; j < links.length; j++) {
      const list = this.onLink[links[j]];
      pos[j] = list.length;
      list.push(flow);
      this.markDirty(links[j]);
    }
    flow.linkPos = pos;
    if (flow.links.length === 0) this.solveFlows([flow]);
  };

  private markDirty(link: number): void {
    if (this.isDirty[link] === 0) {
      this.isDirty[link] = 1;
      this.dirtyLinks.push(link);
    }
    if (!this.solvePending) {
      this.solvePending = true;
      this.engine.schedule(0, this.solve, undefined, Priority.LATE);
    }
  }

  /** Re-solves the component reachable from the dirty links. */
  private readonly solve = (): void => {
    this.solvePending = false;
    const epoch = ++this.markEpoch;
    const stack = this.dirtyLinks;
    this.dirtyLinks = [];
    const seen = this.linkSeen, isDirty = this.isDirty;
    for (let i = 0; i < stack.length; i++) {
      isDirty[stack[i]] = 0;
      seen[stack[i]] = epoch;
    }
    const component: Flow[] = [];
    while (stack.length > 0) {
      const list = this.onLink[stack.pop()!];
      for (let i = 0; i < list.length; i++) {
        const f = list[i];
        if (f.mark === epoch) continue;
        f.mark = epoch;
        component.push(f);
        const links = f.links;
        for (let j = 0; j < links.length; j++) {
          const m = links[j];
          if (seen[m] !== epoch) {
            seen[m] = epoch;
            stack.push(m);
          }
        }
      }
    }
    if (component.length > 0) this.solveFlows(component);
  };

  private solveFlows(component: Flow[]): void {
    this.solves++;
    // The traversal order is deterministic (dirty links in the order they were marked, each link's
    // flows in list order), so the same run solves the same order; sorting by id cost a third of
    // the time of a congested network (2,000 flows re-solved on every arrival and departure).
    for (const f of component) this.settle(f);
    if (this.limitScratch.length < component.length) this.limitScratch = new Int32Array(2 * component.length);
    const rates = maxMinRates(this.capacity, component, undefined, this.limitScratch);
    const now = this.engine.now;
    for (let i = 0; i < component.length; i++) {
      const f = component[i];
      const rate = rates[i];
      f.limit = this.limitScratch[i];
      if (rate === f.rateBytesPerS && f.completion >= 0) continue;
      f.rateBytesPerS = rate;
      if (rate === 0) {
        this.engine.cancel(f.completion);
        f.completion = -1;
      } else if (f.completion >= 0) {
        // Moved in place: the same order as cancel + at, without a heap removal.
        this.engine.reschedule(f.completion, now + f.remainingBytes / rate);
      } else {
        f.completion = this.engine.at(now + f.remainingBytes / rate, this.complete, f);
      }
    }
  }

  private readonly complete = (flow: Flow): void => {
    flow.completion = -1;
    if (flow.finished) return;
    this.settle(flow);
    const now = this.engine.now;
    const finishAt = now + flow.remainingBytes / flow.rateBytesPerS;
    // Round-off can leave a sliver: reschedule, unless the sliver is below the clock's resolution.
    if (flow.remainingBytes > DONE_TOLERANCE * flow.bytes && finishAt > now) {
      flow.completion = this.engine.at(finishAt, this.complete, flow);
      return;
    }
    flow.remainingBytes = 0;
    this.detach(flow);
    this.finish(flow);
  };

  private finish(flow: Flow): void {
    flow.finished = true;
    this.account(flow, flow.bytes);
    flow.done.succeed({ bytes: flow.bytes, startS: flow.startS, endS: this.engine.now, limitedS: flow.limitedS ?? NO_LIMITS, boundLimitedS: flow.boundLimitedS });
  }

  private detach(flow: Flow): void {
    if (flow.completion >= 0) this.engine.cancel(flow.completion);
    flow.completion = -1;
    this.activeFlows--;
    const links = flow.links, pos = flow.linkPos!;
    for (let j = 0; j < links.length; j++) {
      const l = links[j];
      const list = this.onLink[l];
      // Swap-remove: the last flow of the list takes this flow's place.
      const at = pos[j], lastAt = list.length - 1;
      const last = list[lastAt];
      list[at] = last;
      list.pop();
      if (at !== lastAt) {
        const lastLinks = last.links, lastPos = last.linkPos!;
        for (let k = 0; k < lastLinks.length; k++) {
          if (lastLinks[k] === l && lastPos[k] === lastAt) {
            lastPos[k] = at;
            break;
          }
        }
      }
      this.markDirty(l);
    }
    flow.linkPos = null;
  }

  private settle(flow: Flow): void {
    const now = this.engine.now;
    if (flow.rateBytesPerS > 0 && now > flow.lastUpdateS) {
      flow.remainingBytes = Math.max(0, flow.remainingBytes - flow.rateBytesPerS * (now - flow.lastUpdateS));
    }
    if (now > flow.lastUpdateS && flow.started) {
      // Time at the current rate is charged to what set it (a stalled flow, rate 0, to its link too).
      const dt = now - flow.lastUpdateS;
      if (flow.limit === LIMITED_BY_BOUND) flow.boundLimitedS += dt;
      else {
        // A flow is limited by one link or a few in turn: a short list of pairs beats a Map per flow.
        const pairs = (flow.limitedS ??= []);
        let i = 0;
        while (i < pairs.length && pairs[i] !== flow.limit) i += 2;
        if (i < pairs.length) pairs[i + 1] += dt;
        else pairs.push(flow.limit, dt);
      }
    }
    flow.lastUpdateS = now;
  }

  private account(flow: Flow, bytes: number): void {
    for (const l of flow.links) this.bytesCarried[l] += bytes;
  }
}
