/**
 * Waitable events and generator processes on top of the engine (SimPy's model):
 * an event is pending, then triggered with a value or an error; its callbacks run
 * as an engine event, so callback order is deterministic and recursion stays flat.
 */
import { Engine, Priority } from './engine';

type Listener<T> = (ev: SimEvent<T>) => void;

export class SimEvent<T = void> {
  // Most events have one listener: it lives in `first`, and an array only holds the others
  // (an array per event was a large share of a big run's allocations).
  private first: Listener<T> | null = null;
  private rest: Listener<T>[] | null = null;
  private dispatched = false;
  private settled = false;
  ok = true;
  value: T | undefined;
  error: unknown;

  constructor(readonly engine: Engine) {}

  get triggered(): boolean {
    return this.settled;
  }

  succeed(value: T, priority: Priority = Priority.NORMAL): this {
    return this.settle(true, value, undefined, priority);
  }

  fail(error: unknown, priority: Priority = Priority.NORMAL): this {
    return this.settle(false, undefined, error, priority);
  }

  /** Calls `fn` once the event is processed (immediately scheduled if it already was). */
  on(fn: Listener<T>): void {
    if (this.dispatched) this.engine.schedule(0, fn, this);
    else if (this.first === null) this.first = fn;
    else (this.rest ??= []).push(fn);
  }

  /** Removes a listener added with on() that has not run yet. */
  off(fn: Listener<T>): void {
    if (this.dispatched) return;
    if (this.first === fn) {
      this.first = this.rest && this.rest.length > 0 ? this.rest.shift()! : null;
      return;
    }
    const i = this.rest ? this.rest.indexOf(fn) : -1;
    if (i >= 0) this.rest!.splice(i, 1);
  }

  private settle(ok: boolean, value: T | undefined, error: unknown, priority: Priority): this {
    if (this.settled) throw new Error('event triggered twice');
    this.settled = true;
    this.ok = ok;
    this.value = value;
    this.error = error;
    this.engine.schedule(0, fire, this as SimEvent<unknown>, priority);
    return this;
  }

  /** Marks a failure as handled even if nobody listens (otherwise it stops the run, as in SimPy). */
  defuse(): this {
    this.defused = true;
    return this;
  }
  private defused = false;

  /** Internal: runs the listeners. */
  dispatch(): void {
    const first = this.first, rest = this.rest;
    this.first = null;
    this.rest = null;
    this.dispatched = true;
    if (!this.ok && first === null && !this.defused) throw this.error;
    if (first !== null) first(this);
    if (rest !== null) for (const fn of rest) fn(this);
  }
}

function fire(ev: SimEvent<unknown>): void {
  ev.dispatch();
}

const succeedUrgent = (e: SimEvent<void>): void => {
  e.succeed(undefined, Priority.URGENT);
};

export function timeout(engine: Engine, delayS: number): SimEvent<void> {
  const ev = new SimEvent<void>(engine);
  engine.schedule(delayS, succeedUrgent, ev);
  return ev;
}

/** Succeeds when every event has succeeded; fails with the first failure. */
export function allOf(engine: Engine, events: readonly SimEvent<any>[]): SimEvent<void> {
  const all = new SimEvent<void>(engine);
  let pending = events.length;
  if (pending === 0) return all.succeed(undefined);
  const onDone = (ev: SimEvent<any>) => {
    if (all.triggered) return;
    if (!ev.ok) all.fail(ev.error);
    else if (--pending === 0) all.succeed(undefined);
  };
  for (const ev of events) ev.on(onDone);
  return all;
}

/** Succeeds with the first event to be processed (its index and value). */
export function anyOf(engine: Engine, events: readonly SimEvent<any>[]): SimEvent<{ index: number; event: SimEvent<any> }> {
  const any = new SimEvent<{ index: number; event: SimEvent<any> }>(engine);
  events.forEach((ev, index) =>
    ev.on(() => {
      if (!any.triggered) any.succeed({ index, event: ev });
    }),
  );
  return any;
}

export class Interrupt extends Error {
  constructor(override readonly cause: unknown) {
    super('interrupted');
  }
}

/** A generator that yields events; the process is itself an event carrying the generator's return value. */
export class Process<T> extends SimEvent<T> {
  private waitingOn: SimEvent<any> | null = null;
  private readonly resume = (ev: SimEvent<any>) => {
    this.waitingOn = null;
    this.step(ev.ok ? { value: ev.value } : { error: ev.error });
  };

  constructor(engine: Engine, private readonly gen: Generator<SimEvent<any>, T, any>) {
    super(engine);
    engine.schedule(0, () => this.step({ value: undefined }), undefined, Priority.URGENT);
  }

  get alive(): boolean {
    return !this.triggered;
  }

  /** Throws Interrupt(cause) into the process at the current time, detaching it from what it waits on. */
  interrupt(cause: unknown): void {
    if (!this.alive) return;
    this.engine.schedule(
      0,
      () => {
        if (!this.alive) return;
        // The abandoned event may still fail (e.g. its flows are cancelled): nobody waits for it now.
        if (this.waitingOn) {
          this.waitingOn.off(this.resume);
          this.waitingOn.defuse();
        }
        this.waitingOn = null;
        this.step({ error: new Interrupt(cause) });
      },
      undefined,
      Priority.URGENT,
    );
  }

  private step(input: { value?: unknown; error?: unknown }): void {
    let r: IteratorResult<SimEvent<any>, T>;
    try {
      r = 'error' in input && input.error !== undefined ? this.gen.throw(input.error) : this.gen.next(input.value);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (r.done) {
      this.succeed(r.value);
      return;
    }
    this.waitingOn = r.value;
    r.value.on(this.resume);
  }
}

export function spawn<T>(engine: Engine, gen: Generator<SimEvent<any>, T, any>): Process<T> {
  return new Process(engine, gen);
}
