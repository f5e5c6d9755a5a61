import { describe, it, expect } from 'vitest';
import { ringCollective, allReduce, ringEdgeBytes, type RingMode } from '../../src/collective/allreduce';
import type { SimEvent } from '../../src/engine/events';
import { tree, rig, homeSite, link, rel } from '../sim/fixtures';

/** Runs the collective built by `make` on a fresh rig and returns its completion time. */
function timeOf(t: unknown, make: (r: ReturnType<typeof rig>) => SimEvent<any>) {
  const r = rig(t);
  let end = -1;
  make(r).on((ev) => {
    expect(ev.ok).toBe(true);
    end = r.engine.now;
  });
  r.engine.run();
  expect(end).toBeGreaterThan(0);
  return { end, r };
}

/** n one-GPU nodes on one site: each NIC `nic` per direction, fabric latency `lat`, no oversubscription. */
function oneSite(n: number, nic: string, lat: string) {
  return tree({
    system: {
      sites: [{
        name: 'dc', kind: 'hyperscaler', oversubscription: 1, fabricLatency: lat,
        nodes: [{ gpu: 'h100-sxm', count: n, gpusPerNode: 1, nic }],
      }],
      strategy: { kind: 'data-parallel' },
      faults: { failures: false },
    },
  });
}

/** n sites of one node each, every access link `rate` with one-way latency `lat`, backbone `bb`. */
function nSites(n: number, rate: string, lat: string, bb: string, tcpWindow: string | null = null) {
  return tree({
    system: {
      sites: Array.from({ length: n }, (_, i) => homeSite(`s${i}`, link(rate, lat))),
      wan: { matrix: false, backboneLatency: bb, tcpWindow },
      strategy: { kind: 'data-parallel' },
      faults: { failures: false },
    },
  });
}

const MODES: RingMode[] = ['bulk', 'stepwise'];
/** Patarasuk & Yuan 2009: an uncontended ring all-reduce of S bytes over n members. */
const ringClosedForm = (n: number, S: number, B: number, alpha: number) => (2 * (n - 1) / n) * S / B + 2 * (n - 1) * alpha;

describe('ring all-reduce without contention = 2(n−1)/n·S/B + 2(n−1)·α', () => {
  for (const mode of MODES) {
    it(`one site, NIC-bound (${mode})`, () => {
      // Route i → i+1 inside a site without oversubscription = [nicUp(i), nicDown(i+1)]: each
      // ring edge owns its two links, so every edge runs at B = NIC = 10 Gbit/s = 1.25e9 B/s,
      // with α = fabric latency = 1 ms. For n = 4, S = 1 GB:
      // 2·3/4 · 1e9/1.25e9 + 6 · 1e-3 = 1.2 + 0.006 = 1.206 s.
      for (const n of [2, 3, 4, 8]) {
        const S = 1e9, B = 1.25e9, alpha = 1e-3;
        const { end, r } = timeOf(oneSite(n, '10 Gbit/s', '1 ms'), ({ comm }) =>
          ringCollective(comm, Array.from({ length: n }, (_, i) => i), S, { mode }));
        expect(rel(end, ringClosedForm(n, S, B, alpha))).toBeLessThan(1e-9);
        if (n === 4) expect(end).toBeCloseTo(1.206, 9);
        // Each NIC direction carries exactly one edge's 2(n−1)/n·S bytes.
        for (const node of r.platform.nodes) {
          expect(rel(r.net.bytesCarried[node.nicUp], ringEdgeBytes(n, S))).toBeLessThan(1e-12);
          expect(rel(r.net.bytesCarried[node.nicDown], ringEdgeBytes(n, S))).toBeLessThan(1e-12);
        }
      }
    });

    it(`across sites with equal access links (${mode})`, () => {
      // Route between sites = [nicUp, wanUp(a), wanDown(b), nicDown] (home NICs are unlimited):
      // B = 1 Gbit/s = 1.25e8 B/s; α = 10 ms + 5 ms backbone + 10 ms = 25 ms one way.
      // n = 3, S = 100 MB: 2·2/3 · 0.8 s + 4 · 0.025 s = 1.0667 + 0.1 = 1.1667 s.
      for (const n of [2, 3, 5]) {
        const S = 1e8, B = 1.25e8, alpha = 0.025;
        const { end } = timeOf(nSites(n, '1 Gbit/s', '10 ms', '5 ms'), ({ comm }) =>
          ringCollective(comm, Array.from({ length: n }, (_, i) => i), S, { mode }));
        expect(rel(end, ringClosedForm(n, S, B, alpha))).toBeLessThan(1e-9);
        if (n === 3) expect(end).toBeCloseTo(0.8 * 4 / 3 + 0.1, 9);
      }
    });
  }

  it('a TCP window caps each edge at window / RTT', () => {
    // Access links 10 Gbit/s, one-way latency 25 ms (RTT 50 ms), window 1 MiB, one stream:
    // per-edge rate = 2^20 B / 0.05 s = 20.97 MB/s, far below the links. n = 2, S = 10 MB:
    // 2·1/2 · S/(2^20/0.05) + 2 · 0.025 = 0.4768 + 0.05 s.
    const S = 1e7, alpha = 0.025, B = 2 ** 20 / (2 * alpha);
    for (const mode of MODES) {
      const { end } = timeOf(nSites(2, '10 Gbit/s', '10 ms', '5 ms', '1 MiB'), ({ comm }) => ringCollective(comm, [0, 1], S, { mode }));
      expect(rel(end, ringClosedForm(2, S, B, alpha))).toBeLessThan(1e-9);
    }
  });

  it('bulk ≈ stepwise (and a 1-member ring or 0 bytes costs nothing)', () => {
    const S = 3e8;
    const t = nSites(4, '1 Gbit/s', '5 ms', '20 ms');
    const bulk = timeOf(t, ({ comm }) => ringCollective(comm, [0, 1, 2, 3], S, { mode: 'bulk' })).end;
    const step = timeOf(t, ({ comm }) => ringCollective(comm, [0, 1, 2, 3], S, { mode: 'stepwise' })).end;
    expect(rel(bulk, step)).toBeLessThan(1e-9);
    const r = rig(t);
    let fired = 0;
    ringCollective(r.comm, [2], S).on(() => fired++);
    ringCollective(r.comm, [0, 1], 0).on(() => fired++);
    r.engine.run();
    expect(fired).toBe(2);
    expect(r.engine.now).toBe(0);
  });
});

describe('hierarchical all-reduce across two sites (k parallel rings share the WAN)', () => {
  for (const mode of MODES) {
    it(`matches its closed form (${mode})`, () => {
      // Two sites × 2 one-GPU nodes. Inside a site: NIC 100 Gbit/s (1.25e10 B/s), fabric latency 0.1 ms.
      // WAN access 1 Gbit/s (1.25e8 B/s), 10 ms each side, no backbone: α_w = 20 ms.
      // 1) reduce-scatter in each site, ring of 2: (1/2)·S/B_f + 1·α_f
      // 2) k = 2 rings across sites on S/2 each: both cross the same access links, so each gets
      //    B_w/2: 2·(1/2)·(S/2)/(B_w/2) + 2·α_w = S/B_w + 2·α_w
      // 3) all-gather in each site: as 1).
      // S = 1e8: 2·(0.5·1e8/1.25e10 + 1e-4) + (0.8 + 0.04) = 2·0.0041 + 0.84 = 0.8482 s.
      const S = 1e8, Bf = 1.25e10, af = 1e-4, Bw = 1.25e8, aw = 0.02;
      const site = (name: string) => ({
        name, kind: 'hyperscaler', oversubscription: 1, fabricLatency: '0.1 ms', wan: link('1 Gbit/s', '10 ms'),
        nodes: [{ gpu: 'h100-sxm', count: 2, gpusPerNode: 1, nic: '100 Gbit/s' }],
      });
      const t = tree({
        system: { sites: [site('x'), site('y')], wan: { matrix: false, tcpWindow: null }, strategy: { kind: 'data-parallel' }, faults: { failures: false } },
      });
      const expected = 2 * (0.5 * S / Bf + af) + S / Bw + 2 * aw;
      const { end } = timeOf(t, ({ comm }) => allReduce(comm, [[0, 1], [2, 3]], S, { algo: 'hierarchical', rails: 1, mode }));
      expect(rel(end, expected)).toBeLessThan(1e-9);
      expect(end).toBeCloseTo(0.8482, 9);
    });
  }
});

describe('max-min sharing of one bottleneck', () => {
  const S = 1e8, B = 1.25e8, alpha = 0.02; // 1 Gbit/s access links, 10 ms + 10 ms
  // Site a and site b hold two one-GPU nodes each (a0 = 0, a1 = 1, b0 = 2, b1 = 3); the only
  // finite links are the two sites' access links.
  const t = () => tree({
    system: {
      sites: [homeSite('a', link('1 Gbit/s', '10 ms'), 2), homeSite('b', link('1 Gbit/s', '10 ms'), 2)],
      wan: { matrix: false, tcpWindow: null }, strategy: { kind: 'data-parallel' }, faults: { failures: false },
    },
  });

  it('two transfers over one WAN link each get half: 2·S/B + α instead of S/B + α', () => {
    // One transfer a0 → b0 alone: α + S/B = 0.02 + 0.8 = 0.82 s.
    // a0 → b0 and a1 → b1 together cross wanUp(a) and wanDown(b): max-min gives each B/2,
    // so both end at α + 2·S/B = 1.62 s.
    const one = timeOf(t(), ({ comm }) => comm.send(0, 2, S)).end;
    expect(one).toBeCloseTo(alpha + S / B, 9);
    const r = rig(t());
    const ends: number[] = [];
    r.comm.send(0, 2, S).on(() => ends.push(r.engine.now));
    r.comm.send(1, 3, S).on(() => ends.push(r.engine.now));
    r.engine.run();
    expect(ends).toHaveLength(2);
    for (const e of ends) expect(e).toBeCloseTo(alpha + 2 * S / B, 9);
  });

  it('two groups syncing at once over the same WAN link take twice the bandwidth time of one', () => {
    // One group's ring {a0, b0}: n = 2, so S/B + 2α = 0.84 s. Two groups' rings {a0, b0} and
    // {a1, b1} at once: their a → b edges share wanUp(a)/wanDown(b) and their b → a edges share
    // wanUp(b)/wanDown(a): each edge at B/2, so 2·S/B + 2α = 1.64 s.
    for (const mode of MODES) {
      const one = timeOf(t(), ({ comm }) => ringCollective(comm, [0, 2], S, { mode })).end;
      expect(one).toBeCloseTo(S / B + 2 * alpha, 9);
      const r = rig(t());
      let both = -1;
      const a = ringCollective(r.comm, [0, 2], S, { mode });
      const b = ringCollective(r.comm, [1, 3], S, { mode });
      let n = 0;
      const done = () => { if (++n === 2) both = r.engine.now; };
      a.on(done);
      b.on(done);
      r.engine.run();
      expect(both).toBeCloseTo(2 * S / B + 2 * alpha, 9);
      expect(both - 2 * alpha).toBeCloseTo(2 * (one - 2 * alpha), 9);
    }
  });
});
