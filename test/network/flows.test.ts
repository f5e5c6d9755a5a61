import { describe, it, expect } from 'vitest';
import { Engine } from '../../src/engine/engine';
import { FlowNetwork, FlowCancelled } from '../../src/network/flows';

const path = (...l: number[]) => Int32Array.from(l);

describe('FlowNetwork', () => {
  it('one flow takes L + S/B', () => {
    const e = new Engine();
    const net = new FlowNetwork(e, [1e9]);
    const f = net.start(path(0), 5e9, 0.05);
    let end = -1;
    f.done.on((ev) => (end = ev.value!.endS));
    e.run();
    expect(end).toBeCloseTo(0.05 + 5, 12);
    expect(net.bytesCarried[0]).toBe(5e9);
  });

  it('two equal flows started together on one link both end at L + 2S/B (each gets half)', () => {
    const e = new Engine();
    const net = new FlowNetwork(e, [1e9]);
    const ends: number[] = [];
    for (let i = 0; i < 2; i++) net.start(path(0), 1e9, 0.01).done.on((ev) => ends.push(ev.value!.endS));
    e.run();
    expect(ends[0]).toBeCloseTo(0.01 + 2, 12);
    expect(ends[1]).toBeCloseTo(0.01 + 2, 12);
  });

  it('a second flow at t0 gives the piecewise closed form', () => {
    // B = 1, S1 = 10 from t = 0, S2 = 4 from t0 = 2. Until t = 2, flow 1 moves 2;
    // then both get 1/2: flow 2 needs 8 s (ends at 10), flow 1 has 8 - 4 = 4 left at rate 1 (ends at 14).
    const e = new Engine();
    const net = new FlowNetwork(e, [1]);
    const ends: Record<string, number> = {};
    net.start(path(0), 10, 0).done.on((ev) => (ends.a = ev.value!.endS));
    e.schedule(2, () => net.start(path(0), 4, 0).done.on((ev) => (ends.b = ev.value!.endS)));
    e.run();
    expect(ends.b).toBeCloseTo(10, 12);
    expect(ends.a).toBeCloseTo(14, 12);
  });

  it('honours a per-flow bound (TCP window / RTT)', () => {
    const e = new Engine();
    const net = new FlowNetwork(e, [1e9]);
    let end = -1;
    net.start(path(0), 1e8, 0, 1e7).done.on((ev) => (end = ev.value!.endS));
    e.run();
    expect(end).toBeCloseTo(10, 9);
  });

  it('only touches the component whose links changed', () => {
    const e = new Engine();
    const net = new FlowNetwork(e, [1, 1]);
    const ends: number[] = [];
    net.start(path(0), 1, 0).done.on((ev) => ends.push(ev.value!.endS));
    net.start(path(1), 2, 0).done.on((ev) => ends.push(ev.value!.endS));
    e.run();
    expect(ends).toEqual([1, 2]);
  });

  it('cancelling a flow fails its done event and frees bandwidth', () => {
    const e = new Engine();
    const net = new FlowNetwork(e, [1]);
    let err: unknown, end = -1;
    const a = net.start(path(0), 10, 0);
    a.done.on((ev) => (err = ev.error));
    net.start(path(0), 4, 0).done.on((ev) => (end = ev.value!.endS));
    e.schedule(2, () => net.cancel(a, 'node down'));
    e.run();
    // Until t=2 both at 1/2 (b has 3 left), then b alone at 1: ends at 5.
    expect(err).toBeInstanceOf(FlowCancelled);
    expect(end).toBeCloseTo(5, 12);
    expect(net.bytesCarried[0]).toBeCloseTo(1 + 4, 12);
  });

  it('conserves bytes: 1000 random flows deliver exactly their sizes', () => {
    const e = new Engine();
    const cap = Array.from({ length: 20 }, (_, i) => 1 + i);
    const net = new FlowNetwork(e, cap);
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let total = 0, delivered = 0;
    for (let i = 0; i < 1000; i++) {
      const bytes = 1 + rnd() * 100;
      const links = [...new Set([Math.floor(rnd() * 20), Math.floor(rnd() * 20)])];
      total += bytes * links.length;
      e.schedule(rnd() * 50, () => net.start(Int32Array.from(links), bytes, rnd()).done.on((ev) => (delivered += ev.value!.bytes * links.length)));
    }
    e.run();
    expect(delivered).toBeCloseTo(total, 6);
    const carried = net.bytesCarried.reduce((a, b) => a + b, 0);
    expect(carried).toBeCloseTo(total, 6);
    expect(net.activeFlows).toBe(0);
  });
  it('a congested link leaves no dead completions in the queue', () => {
    // Every arrival and departure on the shared link re-rates every flow on it. Before the
    // engine removed cancelled events, each re-rate left a dead completion behind until its
    // date: here the queue reached 59,193 events for 191 flows at once.
    const e = new Engine();
    const net = new FlowNetwork(e, [1e9]);
    let seed = 5;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let arrivals = 0, finished = 0, peakPending = 0, peakActive = 0;
    const arrive = () => {
      net.start(path(0), -2e7 * Math.log(1 - rnd()), 0).done.on(() => {
        finished++;
        peakPending = Math.max(peakPending, e.pending);
      });
      peakActive = Math.max(peakActive, net.activeFlows);
      peakPending = Math.max(peakPending, e.pending);
      if (++arrivals < 2000) e.schedule(-0.018 * Math.log(1 - rnd()), arrive); // offered load 1.1
    };
    e.schedule(0, arrive);
    e.run();
    expect(finished).toBe(2000);
    expect(peakActive).toBeGreaterThan(100);
    // Live events only: a completion per flow in flight, plus a few arrivals, solves and callbacks.
    expect(peakPending).toBeLessThanOrEqual(peakActive + 5);
  });
});
