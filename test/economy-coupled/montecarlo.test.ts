/**
 * `dtsim run --runs N`: the runs after the first go to worker threads, and the bands must not
 * depend on that: byte-identical outputs with 0 and 2 workers, and bands equal to the quantiles
 * of the runs simulated one by one.
 */
import { describe, it, expect, vi, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { main, runCommand } from '../../src/cli/main';
import { simulate } from '../../src/sim/simulate';
import { scenario } from '../sim/fixtures';

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

/** 2 tier-2 nodes of 8 H100 and 4 home RTX 4090 under the base economy for 20 days; random failures. */
const TREE = {
  name: 'mc-small', seed: 11,
  model: { layers: 8, hidden: 1024, heads: 16, vocab: 32000, seqLength: 1024 },
  training: { tokens: 5e11, batchTokens: 1048576, microBatch: 4 },
  system: {
    sites: [
      { name: 'dc', kind: 'tier2', nodes: [{ gpu: 'h100-sxm', count: 2, gpusPerNode: 8, mtbf: '2 days' }], wan: 'dia-10g' },
      { name: 'home', kind: 'home', count: 4, nodes: [{ gpu: 'rtx-4090', count: 1, gpusPerNode: 1 }], wan: 'fiber' },
    ],
    wan: { matrix: false }, strategy: { kind: 'diloco', innerSteps: 200, compression: 'int8' }, faults: { failures: true },
  },
  baseline: null,
  economy: { preset: 'base', days: 20, reserve: 2 },
};

describe('Monte Carlo runs (dtsim run --runs)', () => {
  it('give byte-identical outputs with 0 and 2 worker threads, and bands that are the quantiles of the runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtsim-mc-'));
    const file = join(dir, 'mc.yaml');
    writeFileSync(file, stringify(TREE));
    const out = (w: number) => join(dir, `w${w}`);
    for (const workers of [0, 2]) {
      const code = await runCommand({ scenario: file, out: out(workers), json: false, set: [], fastForward: true, quiet: true, runs: 4, workers }, { out: sink(), err: sink() });
      expect(code).toBe(0);
    }
    for (const f of ['summary.json', 'economy-mc.csv', 'economy.csv', 'timeseries.csv']) {
      expect(readFileSync(join(out(2), f), 'utf8'), f).toBe(readFileSync(join(out(0), f), 'utf8'));
    }

    // The same bands from four separate runs: P50 of four values is the mean of the middle two.
    const s = scenario(TREE);
    const runs = [11, 12, 13, 14].map((seed) => simulate(s, { seed }));
    const summary = JSON.parse(readFileSync(join(out(2), 'summary.json'), 'utf8'));
    const mc = summary.economy.monteCarlo;
    expect(mc.seeds).toEqual([11, 12, 13, 14]);
    const median = (v: number[]) => { const x = v.slice().sort((a, b) => a - b); return (x[1] + x[2]) / 2; };
    const prices = runs.map((r) => r.economy!.summary.final.priceUsd);
    expect(new Set(prices).size).toBeGreaterThan(1); // the seeds really differ
    expect(mc.headline.finalPriceUsd.p50).toBeCloseTo(median(prices), 9);
    expect(mc.headline.timeToTrainS.p50).toBeCloseTo(median(runs.map((r) => r.run.timeToTrainS)), 6);
    expect(mc.headline.finalPriceUsd.p10).toBeLessThanOrEqual(mc.headline.finalPriceUsd.p90);
  }, 120_000);
});

describe('dtsim run options', () => {
  afterEach(() => vi.restoreAllMocks());
  it('--runs, --workers and --seed must be whole numbers: one line, exit code 2, nothing simulated', async () => {
    for (const [args, text] of [
      [['--runs', '-3'], '--runs: expected a whole number of at least 1, got -3'],
      [['--runs', 'abc'], '--runs: expected a whole number of at least 1'],
      [['--workers', '-1'], '--workers: expected a whole number of at least 0, got -1'],
      [['--seed', '1.5'], '--seed: expected a whole number of at least 0, got 1.5'],
    ] as const) {
      const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      expect(await main(['run', 'scenarios/flip-the-coin.yaml', '--quiet', '--out', join(tmpdir(), 'dtsim-never-written'), ...args])).toBe(2);
      expect(String(err.mock.calls[0]?.[0])).toContain(`dtsim: ${text}`);
      err.mockRestore();
    }
  });
});
