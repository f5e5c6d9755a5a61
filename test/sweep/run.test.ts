import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readSweep } from '../../src/sweep/spec';
import { runSweep, type SweepOutcome } from '../../src/sweep/runner';
import { buildPlan, pointTree } from '../../src/sweep/plan';
import { resolveShard } from '../../src/sweep/shard';
import { sweepCommand, mergeCommand } from '../../src/cli/sweep';
import { scenarioFromTree } from '../../src/scenario/load';
import { simulate } from '../../src/sim/simulate';
import { resultJson } from '../../src/report/write';
import { main } from '../../src/cli/main';
import { FIXTURE, SWEEP_OUTPUTS_SKIP, filesOf, sweepFile, tmp } from './helpers';

/** Two inner-step settings × two seeds, each searching the smallest uplink of site b that trains within 40 min. */
const SWEEP = [
  'set: { training.tokens: 2e9 }',
  'grid:',
  '  system.strategy.innerSteps: [5, 50]',
  'seeds: 2',
  'target:',
  '  path: system.sites[1].wan.up',
  '  values: ["10 Mbit/s", "30 Mbit/s", "100 Mbit/s", "300 Mbit/s", "1 Gbit/s", "3 Gbit/s", "10 Gbit/s"]',
  '  condition: run.timeToTrainS <= 40 min',
  '',
].join('\n');

const quietIo = () => {
  let out = '', err = '';
  return {
    io: { out: { write: (s: string) => { out += s; return true; } } as unknown as NodeJS.WritableStream, err: { write: (s: string) => { err += s; return true; } } as unknown as NodeJS.WritableStream },
    text: () => ({ out, err }),
  };
};

describe('sweep outputs do not depend on workers or shards', () => {
  const file = sweepFile(SWEEP);
  const single = tmp(), two = tmp(), merged = tmp();
  const shards = [tmp(), tmp(), tmp()];
  let a: SweepOutcome, b: SweepOutcome;

  beforeAll(async () => {
    a = await runSweep(readSweep(file), { out: single, workers: 1, quiet: true });
    b = await runSweep(readSweep(file), { out: two, workers: 2, quiet: true });
  }, 120_000);

  it('1 process x 1 worker: results, targets, report and a summary per point', () => {
    const csv = readFileSync(join(single, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^point,system\.strategy\.innerSteps,system\.sites\[1\]\.wan\.up,seed,status,run\.finished,.*,target_met,message$/);
    expect(csv.length - 1).toBe(a.simulated);
    const indices = csv.slice(1).map((l) => Number(l.split(',')[0]));
    expect(indices).toEqual([...indices].sort((x, y) => x - y));
    const targets = readFileSync(join(single, 'targets.csv'), 'utf8').trim().split('\n');
    expect(targets).toHaveLength(5);
    expect(targets[0]).toBe('unit,system.strategy.innerSteps,seed,system.sites[1].wan.up,met,point,points_simulated,condition');
    for (const t of targets.slice(1)) expect(t).toMatch(/,(true|false),/);
    expect(readFileSync(join(single, 'report.html'), 'utf8')).toMatch(/<svg[\s\S]*Target: smallest system\.sites\[1\]\.wan\.up/);
    // Bisection: at most 1 + ceil(log2 7) = 4 of the 7 values per unit.
    expect(a.simulated).toBeLessThanOrEqual(16);
    expect(readdirSync(join(single, 'points'))).toHaveLength(a.simulated);
  });

  it('an unchanged baseline is simulated once per seed, not once per point', () => {
    expect(a.baselinesSimulated).toBe(2);
    expect(a.simulated).toBeGreaterThan(4);
  });

  it("a point's summary.json is byte-identical to simulate() of its full scenario", () => {
    const src = readSweep(file);
    const plan = buildPlan(src);
    const first = readdirSync(join(single, 'points')).sort()[1];
    const index = Number(first);
    const full = simulate(scenarioFromTree(pointTree(src, plan, index), src.scenarioFile));
    expect(readFileSync(join(single, 'points', first, 'summary.json'), 'utf8')).toBe(resultJson(full));
  });

  it('2 workers: byte-identical', () => {
    expect(b.simulated).toBe(a.simulated);
    expect(filesOf(two, SWEEP_OUTPUTS_SKIP)).toEqual(filesOf(single, SWEEP_OUTPUTS_SKIP));
  });

  describe('3 shards (flag, Slurm and Kubernetes variables) merged: byte-identical', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const k of ['SLURM_ARRAY_TASK_ID', 'SLURM_ARRAY_TASK_COUNT', 'JOB_COMPLETION_INDEX', 'DTSIM_SHARD_COUNT']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    });

    it('runs each shard, then merges', async () => {
      const s1 = await runSweep(readSweep(file), { out: shards[0], workers: 0, quiet: true, shard: resolveShard('1/3', {}) });
      expect(s1.complete).toBe(false);
      expect(existsSync(join(shards[0], 'results.shard-1-of-3.csv'))).toBe(true);

      process.env.SLURM_ARRAY_TASK_ID = '1';
      process.env.SLURM_ARRAY_TASK_COUNT = '3';
      const q2 = quietIo();
      expect(await sweepCommand({ sweep: file, out: shards[1], workers: 0, baseline: true, quiet: false }, q2.io)).toBe(0);
      expect(q2.text().err).toContain('shard 2/3 (SLURM_ARRAY_TASK_ID=1 of 3)');
      expect(existsSync(join(shards[1], 'results.shard-2-of-3.csv'))).toBe(true);
      delete process.env.SLURM_ARRAY_TASK_ID;
      delete process.env.SLURM_ARRAY_TASK_COUNT;

      process.env.JOB_COMPLETION_INDEX = '2';
      process.env.DTSIM_SHARD_COUNT = '3';
      const q3 = quietIo();
      expect(await sweepCommand({ sweep: file, out: shards[2], workers: 0, baseline: true, quiet: false }, q3.io)).toBe(0);
      expect(q3.text().err).toContain('shard 3/3 (JOB_COMPLETION_INDEX=2 of 3)');

      const partial = quietIo();
      expect(await mergeCommand({ dirs: shards.slice(0, 2), out: tmp(), quiet: true }, partial.io)).toBe(1);
      expect(partial.text().err).toMatch(/still missing/);

      const m = quietIo();
      expect(await mergeCommand({ dirs: shards, out: merged, quiet: false }, m.io)).toBe(0);
      expect(filesOf(merged, SWEEP_OUTPUTS_SKIP)).toEqual(filesOf(single, SWEEP_OUTPUTS_SKIP));
    });
  });

  it('a shard reruns nothing when run again (resume), and a changed sweep is refused', async () => {
    const again = await runSweep(readSweep(file), { out: single, workers: 0, quiet: true });
    expect(again.simulated).toBe(0);
    expect(again.resumed).toBe(a.simulated);
    const other = sweepFile(SWEEP.replace('[5, 50]', '[5, 60]'), 'test.sweep.yaml', join(file, '..'));
    await expect(runSweep(readSweep(other), { out: single, workers: 0, quiet: true })).rejects.toThrow(/holds the results of a different sweep/);
  });
});

describe('baselines can be dropped', () => {
  it('dtsim run --no-baseline and --set baseline=null', async () => {
    for (const args of [['--no-baseline'], ['--set', 'baseline=null']]) {
      const out = tmp();
      expect(await main(['run', FIXTURE, '--out', out, '--quiet', ...args])).toBe(0);
      const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      expect(s.run.finished).toBe(true);
      expect(s.baseline).toBeUndefined();
      expect(s.comparison).toBeUndefined();
    }
  });

  it('a sweep with --no-baseline simulates no baseline and has no comparison columns', async () => {
    const out = tmp();
    const q = quietIo();
    expect(await sweepCommand({ sweep: sweepFile('grid: { system.strategy.innerSteps: [5, 10] }\n'), out, workers: 0, baseline: false, quiet: false }, q.io)).toBe(0);
    expect(q.text().out).toMatch(/2 points simulated, 0 already done \(resumed\); 0 baselines simulated/);
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).not.toMatch(/comparison\./);
    expect(q.text().err).toMatch(/test: started, 0\/2 points[\s\S]*2\/2 points \(100%\)/);
  });
});
