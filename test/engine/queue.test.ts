import { describe, it, expect } from 'vitest';
import { Engine } from '../../src/engine/engine';
import { EventQueue } from '../../src/engine/queue';

/** Deterministic uniform [0, 1) (an LCG is plenty for test inputs). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('EventQueue (indexed heap)', () => {
  it('matches a sorted-array reference under random push / pop / remove / update sequences', () => {
    for (let run = 0; run < 200; run++) {
      const rnd = lcg(run + 1);
      const q = new EventQueue(4); // small, so that growth is exercised too
      // Reference: queued entries kept sorted by (time, order).
      const ref: { time: number; order: number; slot: number }[] = [];
      const cmp = (a: { time: number; order: number }, b: { time: number; order: number }) => a.time - b.time || a.order - b.order;
      const freeSlots: number[] = [];
      let nextSlot = 0, order = 0;
      const steps = 50 + Math.floor(rnd() * 400);
      for (let step = 0; step < steps; step++) {
        const op = rnd();
        // Few distinct times, so that ties on time are decided by order.
        const time = Math.floor(rnd() * 20);
        if (op < 0.45 || ref.length === 0) {
          const slot = freeSlots.length > 0 && rnd() < 0.7 ? freeSlots.pop()! : nextSlot++;
          q.push(time, order, slot);
          ref.push({ time, order: order++, slot });
          ref.sort(cmp);
        } else if (op < 0.7) {
          const top = ref.shift()!;
          expect(q.peekTime()).toBe(top.time);
          expect(q.pop()).toBe(top.slot);
          freeSlots.push(top.slot);
        } else if (op < 0.85) {
          const [gone] = ref.splice(Math.floor(rnd() * ref.length), 1);
          q.remove(gone.slot);
          freeSlots.push(gone.slot);
        } else {
          const moved = ref[Math.floor(rnd() * ref.length)];
          moved.time = time;
          moved.order = order++;
          q.update(moved.slot, moved.time, moved.order);
          ref.sort(cmp);
        }
        expect(q.length).toBe(ref.length);
      }
      // Drain: everything left comes out in reference order.
      while (ref.length > 0) expect(q.pop()).toBe(ref.shift()!.slot);
      expect(q.pop()).toBe(-1);
      expect(q.peekTime()).toBe(Infinity);
    }
  });
});

describe('timer handles', () => {
  it('issue 12 repro: slot 0 of generation 1 and slot 2^22 of generation 0 have distinct handles', () => {
    // With handle = generation × 2^22 + slot, both were 2^22: cancelling the second cancelled the first.
    const e = new Engine();
    let fired = 0, firstFired = false, secondFired = false;
    const count = () => fired++;
    e.schedule(1, count);
    e.run(); // slot 0 fires: generation 1
    const first = e.schedule(1, () => (firstFired = true)); // slot 0 again
    for (let i = 1; i < 2 ** 22; i++) e.schedule(2, count); // slots 1 .. 2^22 − 1
    const second = e.schedule(3, () => (secondFired = true)); // slot 2^22
    expect(second).not.toBe(first);
    e.cancel(second);
    e.run();
    expect(firstFired).toBe(true);
    expect(secondFired).toBe(false);
    expect(fired).toBe(2 ** 22);
  }, 180_000);

  it('with more than 2^22 events queued, cancels exactly the chosen ones and fires the rest in order', () => {
    const n = 2 ** 22 + 5000;
    const e = new Engine();
    const rnd = lcg(12);
    const times = new Float64Array(n);
    const handles = new Float64Array(n);
    let fired = 0;
    const firedIdx = new Int32Array(n);
    const record = (i: number) => (firedIdx[fired++] = i);
    // Recycle some slots first, so that live events span several generations.
    for (let i = 0; i < 1000; i++) e.schedule(0, () => {});
    e.run();
    for (let i = 0; i < n; i++) {
      times[i] = Math.floor(rnd() * 1e6); // coarse times: many ties, decided by scheduling order
      handles[i] = e.at(times[i], record, i);
    }
    const sorted = handles.slice().sort();
    let repeats = 0;
    for (let i = 1; i < n; i++) if (sorted[i] === sorted[i - 1]) repeats++;
    expect(repeats).toBe(0);
    const cancelled = new Uint8Array(n);
    for (let i = 0; i < n; i += 1 + Math.floor(rnd() * 6)) {
      e.cancel(handles[i]);
      cancelled[i] = 1;
    }
    let kept = 0;
    for (let i = 0; i < n; i++) kept += 1 - cancelled[i];
    expect(e.pending).toBe(kept); // cancelled events have left the queue
    e.run();
    expect(fired).toBe(kept);
    // None of the cancelled fired, and the rest fired in (time, scheduling order).
    let wrong = 0, outOfOrder = 0;
    for (let k = 0; k < fired; k++) {
      wrong += cancelled[firedIdx[k]];
      const a = firedIdx[k - 1], b = firedIdx[k];
      if (k > 0 && !(times[a] < times[b] || (times[a] === times[b] && a < b))) outOfOrder++;
    }
    expect(wrong).toBe(0);
    expect(outOfOrder).toBe(0);
    // Old handles are dead: cancelling them touches nothing new.
    const late = e.schedule(1, record, -1);
    for (let i = 0; i < n; i += 4099) e.cancel(handles[i]);
    expect(e.pending).toBe(1);
    e.cancel(late);
    expect(e.pending).toBe(0);
  }, 180_000);

  it('a slot reused 2^22 times is retired, so a handle never comes back', () => {
    const e = new Engine();
    const noop = () => {};
    const h0 = e.schedule(1, noop);
    e.run();
    for (let i = 1; i < 2 ** 22; i++) {
      e.schedule(1, noop); // always slot 0, generation i
      e.run();
    }
    let ran = false;
    const next = e.schedule(1, () => (ran = true));
    expect(next).not.toBe(h0);
    e.cancel(h0);
    e.run();
    expect(ran).toBe(true);
  });

  it('cancel() removes the event from the queue at once', () => {
    const e = new Engine();
    const hs = Array.from({ length: 10 }, (_, i) => e.schedule(1e6 + i, () => {}));
    expect(e.pending).toBe(10);
    for (const h of hs.slice(0, 9)) e.cancel(h);
    expect(e.pending).toBe(1);
    e.cancel(hs[0]); // twice: ignored
    expect(e.pending).toBe(1);
  });

  it('reschedule() orders an event exactly as cancel() + at() would', () => {
    const run = (useReschedule: boolean) => {
      const e = new Engine();
      const log: string[] = [];
      const a = e.schedule(5, () => log.push('a'));
      e.schedule(3, () => log.push('b'));
      const c = e.schedule(3, () => log.push('c'));
      e.schedule(1, () => {
        if (useReschedule) {
          e.reschedule(a, 3);
          e.reschedule(c, 2);
        } else {
          e.cancel(a);
          e.at(3, () => log.push('a'));
          e.cancel(c);
          e.at(2, () => log.push('c'));
        }
        e.schedule(2, () => log.push('d'));
      });
      e.run();
      return log;
    };
    expect(run(true)).toEqual(['c', 'b', 'a', 'd']);
    expect(run(true)).toEqual(run(false));
  });

  it('reschedule() of a timer that already ran is an error', () => {
    const e = new Engine();
    const h = e.schedule(1, () => {});
    e.run();
    expect(() => e.reschedule(h, 2)).toThrow(/not pending/);
  });
});
