/**
 * Small scenario trees (the YAML format as objects) and helpers shared by the collective,
 * strategy, sim and scenario tests. Not a test file itself (vitest picks up *.test.ts only).
 */
import { Engine } from '../../src/engine/engine';
import { FlowNetwork } from '../../src/network/flows';
import { Platform } from '../../src/platform/platform';
import { Comm, Scope } from '../../src/collective/comm';
import { Acc } from '../../src/metrics/acc';
import { loadCatalog } from '../../src/compute/catalog';
import { scenarioFromTree } from '../../src/scenario/load';
import type { Scenario } from '../../src/scenario/types';

/** A tiny GPT-style model (≈ 29 M parameters): steps take tens of milliseconds on an H100. */
export const TINY_MODEL = { layers: 4, hidden: 512, heads: 8, vocab: 32000, seqLength: 1024 };

/** A symmetric access link given in the scenario format. */
export const link = (rate: string, latency: string) => ({ up: rate, down: rate, latency });

/** A home site (no fabric, so an unlimited NIC) with `count` one-GPU nodes behind `wan`. */
export function homeSite(name: string, wan: unknown, count = 1, gpu = 'h100-sxm') {
  return { name, kind: 'home', nodes: [{ gpu, count, gpusPerNode: 1 }], wan };
}

/** Deep copy with overrides applied at the top level of the tree. */
export function tree(over: Record<string, unknown> = {}): Record<string, unknown> {
  return structuredClone({
    seed: 7,
    model: TINY_MODEL,
    training: { tokens: 1e8, batchTokens: 262144, microBatch: 4 },
    system: {
      sites: [homeSite('a', link('1 Gbit/s', '10 ms')), homeSite('b', link('1 Gbit/s', '10 ms'))],
      wan: { matrix: false, tcpWindow: null },
      strategy: { kind: 'diloco', innerSteps: 10, groups: 'site' },
      faults: { failures: false },
    },
    ...over,
  });
}

export function scenario(t: unknown): Scenario {
  return scenarioFromTree(t, 'test.yaml');
}

/** A platform and network built from a scenario tree's system, to drive Comm directly. */
export function rig(t: unknown) {
  const s = scenario(t);
  const engine = new Engine(1);
  const platform = new Platform(s.run.topology, loadCatalog().regions);
  const net = new FlowNetwork(engine, platform.capacity);
  const acc = new Acc(platform.nodes.length);
  const comm = new Comm(engine, net, platform, s.run.topology.wan.streams, new Scope(net), acc);
  return { s, engine, platform, net, comm, acc };
}

/** |a/b − 1| */
export const rel = (a: number, b: number) => Math.abs(a / b - 1);

/** Every number reachable from `v` (objects, arrays), with its path, for NaN/Infinity checks. */
export function numbersIn(v: unknown, path = '$', out: [string, number][] = []): [string, number][] {
  if (typeof v === 'number') out.push([path, v]);
  else if (Array.isArray(v)) v.forEach((x, i) => numbersIn(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) numbersIn(x, `${path}.${k}`, out);
  return out;
}

/**
 * Synchronous data parallelism on one hyperscaler site: 2 nodes × 2 H100, tiny model, 8 Mi-token
 * batches (≈ 1.3 s steps), 2e10 tokens (≈ 2 400 steps, ≈ 53 min). With `failures`, each GPU fails
 * every 40 min on average (a node every 20 min), repair 5 min, restart 1 min, checkpoint every
 * 5 min taking 10 s: a handful of failures per run.
 */
export function dpTree(failures: boolean, mtbf = '40 min') {
  return tree({
    training: { tokens: 2e10, batchTokens: 8388608, microBatch: 4 },
    system: {
      sites: [{ name: 'dc', kind: 'hyperscaler', nodes: [{ gpu: 'h100-sxm', count: 2, gpusPerNode: 2, mtbf }] }],
      strategy: { kind: 'data-parallel' },
      faults: { failures, repair: '5 min', restart: '1 min', checkpoint: { interval: '5 min', write: '10 s' } },
    },
  });
}

/**
 * Elastic DiLoCo over three home sites (one H100 each, 1 Gbit/s access links), H = 10, 1e9
 * tokens (≈ 15 min). With `churn`, home machines stay online 20 min and offline 10 min on average.
 */
export function dilocoTree(churn: boolean) {
  const t = tree({ training: { tokens: 1e9, batchTokens: 262144, microBatch: 4 } });
  const sys = t.system as Record<string, unknown>;
  sys.sites = ['a', 'b', 'c'].map((n) => homeSite(n, link('1 Gbit/s', '10 ms')));
  sys.faults = churn ? { failures: false, churn: { kinds: ['home'], meanOnline: '20 min', meanOffline: '10 min' } } : { failures: false };
  return t;
}
