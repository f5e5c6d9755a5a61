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

/**
 * Opaque handle of a scheduled callback, for cancel() and reschedule(): slot + generation × 2^31.
 * A slot's generation advances each time its event fires or is cancelled, and a slot is retired
 * once its generation reaches 2^22 (where the handle would leave float64's exact integers), so
 * no two events of a run ever share a handle, whatever the queue size or the run length.
 */
export type TimerHandle = number;

const ORDER_SHIFT = 2 ** 40; // sequence numbers stay below 2^40 (1.1e12 events) per run
const SLOT_LIMIT = 2 ** 31; // slots index Int32Arrays
const GEN_LIMIT = 2 ** 22; // SLOT_LIMIT × GEN_LIMIT = 2^53

/** Events at one instant beyond which the clock is considered stuck. */
export const SAME_INSTANT_LIMIT = 5_000_000;

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
  /** run() stopped because it processed its maximum number of events. */
  eventLimitReached = false;

  constructor(readonly seed = 0) {}

  /** Events waiting in the queue (cancelled events leave it at once). */
  get pending(): number {
    return this.queue.length;
  }

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
      if (slot === SLOT_LIMIT) throw new SimulationError(`more than ${SLOT_LIMIT} events pending`, this.now);
      this.fns.push(fn);
      this.args.push(arg);
      this.gens.push(0);
    }
    this.queue.push(timeS, priority * ORDER_SHIFT + this.seq++, slot);
    return this.gens[slot] * SLOT_LIMIT + slot;
  }

  /** Cancels a pending callback (it leaves the queue); a handle whose callback already ran is ignored. */
  cancel(handle: TimerHandle): void {
    const slot = this.pendingSlot(handle);
    if (slot < 0) return;
    this.queue.remove(slot);
    this.release(slot);
  }

  /**
   * Moves a pending callback to `timeS`, keeping its handle. It is ordered exactly as
   * cancel() followed by at(timeS, fn, arg, priority) would order it, without the churn.
   */
  reschedule(handle: TimerHandle, timeS: number, priority: Priority = Priority.NORMAL): void {
    if (!(timeS >= this.now)) throw new SimulationError(`event rescheduled to ${timeS}, before now`, this.now);
    const slot = this.pendingSlot(handle);
    if (slot < 0) throw new SimulationError(`reschedule of timer ${handle}, which is not pending`, this.now);
    this.queue.update(slot, timeS, priority * ORDER_SHIFT + this.seq++);
  }

  /** Time of the next pending event (Infinity when idle). */
  peek(): number {
    return this.queue.peekTime();
  }

  /** Processes events until the queue is empty, `untilS` is reached or stop() is called. */
  run(untilS = Infinity, maxEvents = Infinity): void {
    this.stopped = false;
    const queue = this.queue;
    let sameInstant = 0;
    while (!this.stopped && queue.length > 0 && queue.peekTime() <= untilS) {
      if (this.processedEvents >= maxEvents) {
        this.eventLimitReached = true;
        return;
      }
      const time = queue.peekTime();
      // A model that reschedules itself at the same instant without end would hang the run:
      // report it instead (no legitimate instant needs this many events).
      sameInstant = time === this.now ? sameInstant + 1 : 0;
      if (sameInstant > SAME_INSTANT_LIMIT) {
        throw new SimulationError(`simulated time stopped advancing: ${SAME_INSTANT_LIMIT} events at the same instant`, time);
      }
      const slot = queue.pop();
      const fn = this.fns[slot]!;
      const arg = this.args[slot];
      this.release(slot);
      this.now = time;
      this.processedEvents++;
      fn(arg);
    }
    if (untilS !== Infinity && !this.stopped && untilS > this.now) this.now = untilS;
  }

  /** The slot of the pending event `handle` names, or -1 if it already ran or was cancelled. */
  private pendingSlot(handle: TimerHandle): number {
    if (!(handle >= 0)) return -1;
    const slot = handle % SLOT_LIMIT;
    return slot < this.gens.length && this.gens[slot] === (handle - slot) / SLOT_LIMIT ? slot : -1;
  }

  /** Frees a slot whose event left the queue; its old handle stops matching. */
  private release(slot: number): void {
    this.fns[slot] = null;
    this.args[slot] = undefined;
    const gen = this.gens[slot] + 1;
    this.gens[slot] = gen;
    // Past GEN_LIMIT the slot's handles would repeat or turn inexact: retire it instead.
    if (gen < GEN_LIMIT) this.free.push(slot);
  }

  stop(): void {
    this.stopped = true;
  }

  /** Independent random stream named `name`: adding a consumer never shifts another's draws. */
  rng(name: string): RandomStream {
    return streamFor(this.seed, name);
  }
}
