import { describe, it, expect } from 'vitest';
import { Engine } from '../../src/engine/engine';
import { FlowNetwork, type Flow } from '../../src/network/flows';
import { referenceMaxMin, relClose } from './reference';

interface Spec {
  readonly links: number[];
  readonly bytes: number;
  readonly startS: number;
  readonly latencyS: number;
  readonly bound: number;
  /** When the flow is cancelled (Infinity: never). */
  readonly cancelS: number;
}

interface Outcome {
  /** Completion time, NaN for a cancelled flow. */
  readonly endS: Float64Array;
  /** Bytes delivered across link 0 (finished flows in full, cancelled ones in part). */
  readonly coreBytes: number;
  /** Per probe time: rate of each flow sharing links then (by spec index). */
  readonly probeRates: Map<number, number>[];
  readonly peakActive: number;
}

/**
 * Independent fluid simulation: between two events every active flow moves at the rate the
 * reference solver gives the active set; events are joins (start + latency), cancellations
 * and completions. Nothing is shared with FlowNetwork but the problem statement.
 */
function referenceRun(capacity: number[], specs: readonly Spec[], probes: readonly number[]): Outcome {
  const n = specs.length;
  const endS = new Float64Array(n).fill(NaN);
  const rem = specs.map((s) => s.bytes);
  const joins = specs.map((s, i) => ({ i, at: s.startS + s.latencyS })).filter((j) => j.at < specs[j.i].cancelS).sort((a, b) => a.at - b.at);
  const probeRates = probes.map(() => new Map<number, number>());
  let active: number[] = [];
  let nextJoin = 0, nextProbe = 0, coreBytes = 0, peakActive = 0;
  let t = 0;
  while (nextJoin < joins.length || active.length > 0) {
    const rate = referenceMaxMin(capacity, active.map((i) => specs[i]));
    const finish = active.map((i, k) => (rate[k] > 0 ? t + rem[i] / rate[k] : Infinity));
    let tNext = nextJoin < joins.length ? joins[nextJoin].at : Infinity;
    for (const i of active) tNext = Math.min(tNext, specs[i].cancelS);
    for (const f of finish) tNext = Math.min(tNext, f);
    for (; nextProbe < probes.length && probes[nextProbe] < tNext; nextProbe++) {
      active.forEach((i, k) => probeRates[nextProbe].set(i, rate[k]));
    }
    const dt = tNext - t;
    if (dt > 0) active.forEach((i, k) => (rem[i] -= rate[k] * dt));
    t = tNext;
    const leaving = new Set<number>();
    active.forEach((i, k) => {
      const s = specs[i];
      if (finish[k] === t) {
        endS[i] = t;
        if (s.links.includes(0)) coreBytes += s.bytes;
        leaving.add(i);
      } else if (s.cancelS === t) {
        if (s.links.includes(0)) coreBytes += s.bytes - rem[i];
        leaving.add(i);
      }
    });
    active = active.filter((i) => !leaving.has(i));
    for (; nextJoin < joins.length && joins[nextJoin].at === t; nextJoin++) active.push(joins[nextJoin].i);
    peakActive = Math.max(peakActive, active.length);
  }
  return { endS, coreBytes, probeRates, peakActive };
}

function networkRun(capacity: number[], specs: readonly Spec[], probes: readonly number[]): Outcome {
  const e = new Engine();
  const net = new FlowNetwork(e, capacity);
  const endS = new Float64Array(specs.length).fill(NaN);
  const flows: Flow[] = [];
  specs.forEach((s, i) => {
    e.at(s.startS, () => {
      const f = net.start(Int32Array.from(s.links), s.bytes, s.latencyS, s.bound);
      flows[i] = f;
      f.done.on((ev) => {
        if (ev.ok) endS[i] = ev.value!.endS;
      });
    });
    if (s.cancelS !== Infinity) e.at(s.cancelS, () => net.cancel(flows[i], 'test'));
  });
  const probeRates = probes.map(() => new Map<number, number>());
  let peakActive = 0;
  probes.forEach((p, k) =>
    e.at(p, () => {
      flows.forEach((f, i) => {
        if (f.started && !f.finished) probeRates[k].set(i, f.rateBytesPerS);
      });
      peakActive = Math.max(peakActive, net.activeFlows);
    }),
  );
  e.run();
  expect(net.activeFlows).toBe(0);
  return { endS, coreBytes: net.bytesCarried[0], probeRates, peakActive };
}

describe('FlowNetwork against an exact max-min reference', () => {
  it('3,000 flows arriving and leaving over a congested core: every completion time and rate within 1e-9', () => {
    let seed = 2024;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const exp = (mean: number) => -mean * Math.log(1 - rnd());
    // Link 0: the shared core (1 GB/s). Links 1..24: random capacities, some tighter than a
    // core share. Link 25: unlimited.
    const capacity = [1e9, ...Array.from({ length: 24 }, () => 2e7 + 5e8 * rnd()), Infinity];
    const meanBytes = 5e7;
    const meanGapS = meanBytes / 1.3e9; // offered load 1.3 × the core: flows pile up on it
    const specs: Spec[] = [];
    let t = 0;
    for (let i = 0; i < 3000; i++) {
      t += exp(meanGapS);
      const links = new Set([0, 1 + Math.floor(rnd() * 24)]);
      if (rnd() < 0.5) links.add(1 + Math.floor(rnd() * 24));
      if (rnd() < 0.2) links.add(25);
      specs.push({
        links: [...links],
        bytes: 1e5 + exp(meanBytes),
        startS: t,
        latencyS: 0.05 * rnd(),
        bound: rnd() < 0.3 ? 1e5 + 2e7 * rnd() : Infinity,
        cancelS: rnd() < 0.05 ? t + 20 * rnd() : Infinity,
      });
    }
    const probes = Array.from({ length: 40 }, (_, k) => 0.5 + k * 3.1 + 1e-3 * Math.PI);

    const want = referenceRun(capacity, specs, probes);
    const got = networkRun(capacity, specs, probes);

    expect(want.peakActive).toBeGreaterThan(300); // the core really is congested
    let finished = 0;
    const endMismatch: unknown[] = [];
    specs.forEach((_, i) => {
      if (Number.isNaN(want.endS[i]) !== Number.isNaN(got.endS[i]) || !relClose(got.endS[i], want.endS[i], 1e-9)) {
        if (!(Number.isNaN(want.endS[i]) && Number.isNaN(got.endS[i]))) endMismatch.push({ flow: i, got: got.endS[i], want: want.endS[i] });
      }
      if (!Number.isNaN(want.endS[i])) finished++;
    });
    expect(endMismatch.slice(0, 5)).toEqual([]);
    expect(finished).toBeGreaterThan(2700);
    expect(relClose(got.coreBytes, want.coreBytes, 1e-9)).toBe(true);

    const rateMismatch: unknown[] = [];
    let checked = 0;
    probes.forEach((p, k) => {
      expect([...got.probeRates[k].keys()].sort((a, b) => a - b)).toEqual([...want.probeRates[k].keys()].sort((a, b) => a - b));
      for (const [i, r] of want.probeRates[k]) {
        checked++;
        if (!relClose(got.probeRates[k].get(i)!, r, 1e-9)) rateMismatch.push({ probeS: p, flow: i, got: got.probeRates[k].get(i), want: r });
      }
    });
    expect(rateMismatch.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(5000);
  });
});
