import { describe, it, expect } from 'vitest';
import { simulate } from '../../src/sim/simulate';
import type { TimeseriesRow } from '../../src/sim/run';
import { scenario } from './fixtures';

/**
 * A 1.9 B-parameter model needs ≈ 31 GB per GPU unsharded: a home site's two RTX 4090s (24 GB)
 * hold it only together (ZeRO-3 over 2). When one of them churns away, its partner alone cannot
 * hold the model: that DiLoCo group must sit out while the datacenter group trains on.
 */
function tree() {
  return {
    seed: 3,
    model: { layers: 24, hidden: 2560, heads: 20, vocab: 32000, seqLength: 1024 },
    training: { tokens: 2e9, batchTokens: 524288, microBatch: 1, recompute: 'full' },
    output: { timeseriesInterval: '0 s' },
    system: {
      sites: [
        { name: 'dc', kind: 'tier2', nodes: [{ gpu: 'h100-sxm', count: 1, gpusPerNode: 8 }], wan: 'dia-10g' },
        { name: 'home', kind: 'home', count: 2, nodes: [{ gpu: 'rtx-4090', count: 2, gpusPerNode: 1 }], wan: 'fiber' },
      ],
      wan: { matrix: false },
      strategy: { kind: 'diloco', innerSteps: 50, zero: 3 },
      faults: { failures: false, churn: { kinds: ['home'], meanOnline: '2 h', meanOffline: '1 h' } },
    },
  };
}

describe('a DiLoCo group that cannot be laid out', () => {
  it('sits out while the other groups train on: the datacenter never waits', () => {
    for (const seed of [3, 4, 5]) {
      const rows: TimeseriesRow[] = [];
      const r = simulate(scenario(tree()), { seed, onRow: (x) => rows.push(x) }).run;
      expect(r.finished).toBe(true);
      expect(r.events.churn).toBeGreaterThan(0);
      expect(r.events.sitOutLayouts, `seed ${seed}`).toBeGreaterThan(0);
      // Rounds with a group sitting out: some, and no more than the rounds the run trained; the
      // same whether rounds are fast-forwarded or simulated one by one (churn does not depend on it).
      const full = simulate(scenario(tree()), { seed, fastForward: false }).run;
      expect(r.events.sitOutPeriods).toBeGreaterThan(0);
      expect(r.events.sitOutPeriods).toBe(full.events.sitOutPeriods);
      expect(r.events.sitOutLayouts).toBe(full.events.sitOutLayouts);
      // The datacenter never fails or churns: at every row someone trains, at least its 8 GPUs.
      expect(rows.filter((x) => x.event === 'waiting')).toEqual([]);
      for (const x of rows) expect(x.activeGpus, `${x.event} at ${x.timeS}`).toBeGreaterThanOrEqual(8);
    }
  });
});
