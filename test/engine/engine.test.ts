import { describe, it, expect } from 'vitest';
import { Engine, Priority } from '../../src/engine/engine';
import { SimEvent, allOf, anyOf, spawn, timeout, Interrupt } from '../../src/engine/events';
import { streamFor, gamma } from '../../src/engine/rng';

describe('engine', () => {
  it('fires events in time order, then priority, then scheduling order', () => {
    const e = new Engine();
    const log: string[] = [];
    e.schedule(2, () => log.push('t2'));
    e.schedule(1, () => log.push('t1-late'), undefined, Priority.LATE);
    e.schedule(1, () => log.push('t1-a'));
    e.schedule(1, () => log.push('t1-urgent'), undefined, Priority.URGENT);
    e.schedule(1, () => log.push('t1-b'));
    e.run();
    expect(log).toEqual(['t1-urgent', 't1-a', 't1-b', 't1-late', 't2']);
    expect(e.now).toBe(2);
  });

  it('cancels pending callbacks and ignores stale handles', () => {
    const e = new Engine();
    const log: number[] = [];
    const h = e.schedule(1, () => log.push(1));
    e.schedule(2, () => log.push(2));
    e.cancel(h);
    e.run();
    e.cancel(h); // already recycled: must not cancel anything new
    e.schedule(1, () => log.push(3));
    e.run();
    expect(log).toEqual([2, 3]);
  });

  it('stops at run(until) and keeps later events', () => {
    const e = new Engine();
    const log: number[] = [];
    for (let i = 1; i <= 5; i++) e.schedule(i, () => log.push(i));
    e.run(3);
    expect(log).toEqual([1, 2, 3]);
    expect(e.now).toBe(3);
    e.run();
    expect(log).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects events in the past', () => {
    const e = new Engine();
    e.schedule(5, () => expect(() => e.at(1, () => {})).toThrow(/before now/));
    e.run();
  });

  it('keeps float64 time: 1e-3 s steps after 1e7 s are still distinct', () => {
    const e = new Engine();
    const seen: number[] = [];
    e.at(1e7, () => {
      e.schedule(1e-3, () => seen.push(e.now));
    });
    e.run();
    expect(seen[0]).toBeCloseTo(1e7 + 1e-3, 6);
    expect(seen[0]).toBeGreaterThan(1e7);
  });
});

describe('processes', () => {
  it('waits on timeouts and returns a value', () => {
    const e = new Engine();
    const p = spawn(e, (function* () {
      yield timeout(e, 3);
      yield timeout(e, 4);
      return e.now;
    })());
    e.run();
    expect(p.value).toBe(7);
  });

  it('allOf waits for the slowest, anyOf for the fastest', () => {
    const e = new Engine();
    let allAt = -1, anyAt = -1, anyIndex = -1;
    const evs = [5, 2, 9].map((d) => timeout(e, d));
    allOf(e, evs).on(() => (allAt = e.now));
    anyOf(e, evs).on((ev) => { anyAt = e.now; anyIndex = ev.value!.index; });
    e.run();
    expect(allAt).toBe(9);
    expect(anyAt).toBe(2);
    expect(anyIndex).toBe(1);
  });

  it('throws failures into the waiting process', () => {
    const e = new Engine();
    const ev = new SimEvent<number>(e);
    e.schedule(1, () => ev.fail(new Error('boom')));
    const p = spawn(e, (function* () {
      try {
        yield ev;
        return 'no';
      } catch (err) {
        return (err as Error).message;
      }
    })());
    e.run();
    expect(p.value).toBe('boom');
  });

  it('an unhandled failure stops the run instead of vanishing', () => {
    const e = new Engine();
    new SimEvent(e).fail(new Error('lost'));
    expect(() => e.run()).toThrow('lost');
  });

  it('interrupt detaches the process from the event it waits on', () => {
    const e = new Engine();
    const p = spawn(e, (function* () {
      try {
        yield timeout(e, 10);
        return 'finished';
      } catch (err) {
        return err instanceof Interrupt ? `interrupted at ${e.now} by ${err.cause}` : 'other';
      }
    })());
    e.schedule(4, () => p.interrupt('failure'));
    e.run();
    expect(p.value).toBe('interrupted at 4 by failure');
  });
});

describe('random streams', () => {
  it('same seed and name give the same draws; names are independent', () => {
    const a = streamFor(7, 'churn');
    const b = streamFor(7, 'churn');
    const c = streamFor(7, 'compute');
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs);
  });

  it('exponential and Weibull samples have the requested mean (within 3 standard errors)', () => {
    const r = streamFor(1, 'x');
    const n = 20000;
    let s = 0;
    for (let i = 0; i < n; i++) s += r.exponential(5);
    expect(Math.abs(s / n - 5)).toBeLessThan(3 * 5 / Math.sqrt(n));
    let w = 0;
    for (let i = 0; i < n; i++) w += r.weibull(0.7, 5);
    // Weibull k=0.7 has CV = sqrt(Γ(1+2/k)/Γ(1+1/k)^2 - 1)
    const cv = Math.sqrt(gamma(1 + 2 / 0.7) / gamma(1 + 1 / 0.7) ** 2 - 1);
    expect(Math.abs(w / n - 5)).toBeLessThan(3 * 5 * cv / Math.sqrt(n));
  });

  it('gamma matches known values', () => {
    expect(gamma(5)).toBeCloseTo(24, 10);
    expect(gamma(0.5)).toBeCloseTo(Math.sqrt(Math.PI), 10);
  });
});

describe('a clock that stops advancing', () => {
  it('is reported as a simulation error instead of hanging', async () => {
    const { Engine, SimulationError, SAME_INSTANT_LIMIT } = await import('../../src/engine/engine');
    const e = new Engine(1);
    const again = (): void => { e.schedule(0, again); };
    e.schedule(5, again);
    expect(() => e.run()).toThrow(SimulationError);
    expect(e.now).toBe(5);
    expect(e.processedEvents).toBeGreaterThan(SAME_INSTANT_LIMIT);
  });
});
