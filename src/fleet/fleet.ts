/**
 * The fleet: who is online, and each node's account of where its time went. Every driver of
 * membership (random failures and churn, dated timeline events, later the token economy)
 * changes it only through `down` / `up` / `join` / `leave`; the trainer reads `ready()` and
 * waits on `changed`. Time per node is charged to one cause at a time, so the accounts of a
 * node always add up to the run's length.
 */
import type { Engine } from '../engine/engine';
import { SimEvent } from '../engine/events';

/**
 * Why a node is not available, in order of precedence when several hold at once. `absent`: not
 * part of the fleet by the timeline (not yet added, removed, withheld); `economy`: its operator
 * has not bought it yet, idles it or left (the token economy decides).
 */
export type DownCause = 'absent' | 'economy' | 'outage' | 'failure' | 'churn';
const BIT: Record<DownCause, number> = { absent: 8, economy: 16, outage: 4, failure: 1, churn: 2 };
const NOT_IN_FLEET = BIT.absent | BIT.economy;

/** Per node: seconds down by cause. `absent`: not part of the fleet (not yet added, removed, withheld). */
export interface DownAccounts {
  readonly absentS: Float64Array;
  readonly outageS: Float64Array;
  readonly repairS: Float64Array;
  readonly churnS: Float64Array;
}

export class Fleet {
  /** Per node: seconds online (part of the fleet and up), and when the current online stretch began. */
  readonly onlineS: Float64Array;
  readonly onlineSince: Float64Array;
  /** Per node: when it last went down. */
  readonly downAtS: Float64Array;
  readonly down: DownAccounts;
  /** Per node: price-weighted online seconds (∫ price factor dt while online), one array per price series. */
  readonly pricedOnlineS: Record<string, Float64Array> = {};
  private readonly priceFactor: Record<string, Float64Array> = {};
  private readonly mask: Uint8Array;
  private readonly downSince: Float64Array;
  /** Rejoining nodes still fetching the model: up, not ready. */
  private readonly syncing = new Set<number>();
  /** Nodes that went down since the trainer last cleared it (elastic accounting of a period). */
  downInPeriod = new Set<number>();
  /** Fires, and is replaced, whenever the set of ready nodes changes. */
  changed: SimEvent<void>;

  constructor(private readonly engine: Engine, readonly size: number, priceSeries: readonly string[] = []) {
    this.onlineS = new Float64Array(size);
    this.onlineSince = new Float64Array(size);
    this.downAtS = new Float64Array(size);
    this.mask = new Uint8Array(size);
    this.downSince = new Float64Array(size);
    this.down = { absentS: new Float64Array(size), outageS: new Float64Array(size), repairS: new Float64Array(size), churnS: new Float64Array(size) };
    for (const p of priceSeries) {
      this.pricedOnlineS[p] = new Float64Array(size);
      this.priceFactor[p] = new Float64Array(size).fill(1);
    }
    this.changed = new SimEvent<void>(engine);
  }

  isUp(node: number): boolean {
    return this.mask[node] === 0;
  }

  /** Not part of the fleet (timeline or economy), as opposed to down for a while. */
  isAbsent(node: number): boolean {
    return (this.mask[node] & NOT_IN_FLEET) !== 0;
  }

  /** Down for this cause (among possibly others). */
  isDownFor(node: number, cause: DownCause): boolean {
    return (this.mask[node] & BIT[cause]) !== 0;
  }

  /** Up and not fetching the model, in node order. */
  ready(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) if (this.mask[i] === 0 && !this.syncing.has(i)) out.push(i);
    return out;
  }

  /** Marks `node` down for `cause` (several causes can hold at once; it is up when none does). */
  setDown(node: number, cause: DownCause): void {
    const was = this.mask[node];
    this.closeStretch(node);
    this.mask[node] |= BIT[cause];
    if (was === 0) {
      this.onlineS[node] += this.engine.now - this.onlineSince[node];
      this.downAtS[node] = this.engine.now;
      this.downInPeriod.add(node);
      this.syncing.delete(node);
      this.signal();
    }
  }

  /** Clears `cause`; a node whose last cause clears is online again, ready at once or after `markReady`. */
  setUp(node: number, cause: DownCause, ready: boolean): void {
    const was = this.mask[node];
    this.closeStretch(node);
    this.mask[node] &= ~BIT[cause];
    if (was !== 0 && this.mask[node] === 0) {
      this.onlineSince[node] = this.engine.now;
      if (!ready) this.syncing.add(node);
      else this.signal();
    }
  }

  markReady(node: number): void {
    if (this.syncing.delete(node)) this.signal();
  }

  /** Something other than membership changed (a link, a price): plans made on the old state must be redone. */
  replan(): void {
    this.signal();
  }

  /** From now on, `nodes` pay `factor` × their base price of `series` (the time-weighted cost integrates it). */
  setPriceFactor(series: string, nodes: readonly number[], factor: number): void {
    for (const n of nodes) {
      this.closeStretch(n);
      this.priceFactor[series][n] = factor;
    }
  }

  /** Closes every open stretch at the end of the run. */
  finish(): void {
    for (let i = 0; i < this.size; i++) {
      if (this.mask[i] === 0) this.onlineS[i] += this.engine.now - this.onlineSince[i];
      this.onlineSince[i] = this.engine.now;
      this.closeStretch(i);
    }
  }

  /** Charges the stretch since the last change of `node` to its cause (or to the price series when online). */
  private closeStretch(node: number): void {
    const now = this.engine.now, dt = now - this.downSince[node];
    const m = this.mask[node];
    if (m === 0) {
      for (const p in this.pricedOnlineS) this.pricedOnlineS[p][node] += dt * this.priceFactor[p][node];
    } else if (m & NOT_IN_FLEET) this.down.absentS[node] += dt;
    else if (m & BIT.outage) this.down.outageS[node] += dt;
    else if (m & BIT.failure) this.down.repairS[node] += dt;
    else this.down.churnS[node] += dt;
    this.downSince[node] = now;
  }

  private signal(): void {
    // A SimEvent per change: whoever waits on `changed` wakes once.
    const ev = this.changed;
    this.changed = new SimEvent<void>(this.engine);
    ev.succeed(undefined);
  }
}
