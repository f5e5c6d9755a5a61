/**
 * The discrete-event engine: a clock, a queue and callbacks. It knows nothing about
 * GPUs or networks (as in SimPy's core); models schedule callbacks and react to them.
 */
import { EventQueue } from './queue';
import { RandomStream, streamFor } from './rng';

/** Same-time events fire URGENT first (interrupts, failures), then NORMAL, then LATE (model re-solves). */
export const Priority = { URGENT: 0, NORMAL: 1, LATE: 2 } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

export type Callback<A = unknown> = (arg: A) => void;

/** Opaque handle of a scheduled callback, for cancellation. */
export type TimerHandle = number;

const ORDER_SHIFT = 2 ** 40; // sequence numbers stay below 2^40 (1.1e12 events) per run
const GEN_SHIFT = 2 ** 22;

export class SimulationError extends Error {
  constructor(message: string, readonly timeS: number) {
    super(`at t=${timeS} s: ${message}`);
  }
}

export class Engine {
  /** Simulated time in seconds (float64). */
  now = 0;
  private seq = 0;
  private readonly queue = new EventQueue();
  private fns: (Callback<any> | null)[] = [];
  private args: unknown[] = [];
  private gens: number[] = [];
  private free: number[] = [];
  private stopped = false;
  processedEvents = 0;

  constructor(readonly seed = 0) {}

  /** Runs `fn(arg)` after `delayS` seconds. */
  schedule<A>(delayS: number, fn: Callback<A>, arg?: A, priority: Priority = Priority.NORMAL): TimerHandle {
    return this.at(this.now + delayS, fn, arg, priority);
  }

  /** Runs `fn(arg)` at absolute time `timeS` (never in the past). */
  at<A>(timeS: number, fn: Callback<A>, arg?: A, priority: Priority = Priority.NORMAL): TimerHandle {
    if (!(timeS >= this.now)) throw new SimulationError(`event scheduled at ${timeS}, before now`, this.now);
    let slot: number;
    if (this.free.length > 0) {
      slot = this.free.pop()!;
      this.fns[slot] = fn;
      this.args[slot] = arg;
    } else {
      slot = this.fns.length;
      this.fns.push(fn);
      this.args.push(arg);
      this.gens.push(0);
    }
    this.queue.push(timeS, priority * ORDER_SHIFT + this.seq++, slot);
    return this.gens[slot] * GEN_SHIFT + slot;
  }

  /** Cancels a pending callback; a handle whose callback already ran is ignored. */
  cancel(handle: TimerHandle): void {
    const slot = handle % GEN_SHIFT;
    if (this.gens[slot] === Math.floor(handle / GEN_SHIFT)) this.fns[slot] = null;
  }

  /** Time of the next pending event (Infinity when idle). */
  peek(): number {
    return this.queue.peekTime();
  }

  /** Processes events until the queue is empty, `untilS` is reached or stop() is called. */
  run(untilS = Infinity): void {
    this.stopped = false;
    const queue = this.queue;
    while (!this.stopped && queue.length > 0 && queue.peekTime() <= untilS) {
      const time = queue.peekTime();
      const slot = queue.pop();
      const fn = this.fns[slot];
      const arg = this.args[slot];
      this.fns[slot] = null;
      this.args[slot] = undefined;
      this.gens[slot] = (this.gens[slot] + 1) % GEN_SHIFT;
      this.free.push(slot);
      if (fn === null) continue;
      this.now = time;
      this.processedEvents++;
      fn(arg);
    }
    if (untilS !== Infinity && !this.stopped && untilS > this.now) this.now = untilS;
  }

  stop(): void {
    this.stopped = true;
  }

  /** Independent random stream named `name`: adding a consumer never shifts another's draws. */
  rng(name: string): RandomStream {
    return streamFor(this.seed, name);
  }
}
