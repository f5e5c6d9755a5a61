import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { FIXTURE, sweepFile } from './helpers';
import { readSweep } from '../../src/sweep/spec';
import { buildPlan, paramColumns, pointCount, pointTree, pointValues, unitCount } from '../../src/sweep/plan';
import { bisect } from '../../src/sweep/search';
import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { scenarioFromTree } from '../../src/scenario/load';
import { valueText } from '../../src/sweep/plan';
import { conditionMet, parseCondition } from '../../src/sweep/condition';
import { inShard, resolveShard, ShardError } from '../../src/sweep/shard';

describe('sweep plans', () => {
  it('grid: cartesian product, first field slowest, seeds innermost', () => {
    const src = readSweep(sweepFile('grid:\n  system.strategy.innerSteps: [5, 50]\n  system.sites[0].wan.up: ["100 Mbit/s", "1 Gbit/s", "10 Gbit/s"]\nseeds: 2\n'));
    const p = buildPlan(src);
    expect(pointCount(p)).toBe(12);
    expect(paramColumns(p)).toEqual(['system.strategy.innerSteps', 'system.sites[0].wan.up', 'seed']);
    expect(pointValues(p, 0)).toEqual([5, '100 Mbit/s', 7]);
    expect(pointValues(p, 1)).toEqual([5, '100 Mbit/s', 8]);
    expect(pointValues(p, 2)).toEqual([5, '1 Gbit/s', 7]);
    expect(pointValues(p, 11)).toEqual([50, '10 Gbit/s', 8]);
    const t = pointTree(src, p, 3) as any;
    expect(t.system.strategy.innerSteps).toBe(5);
    expect(t.system.sites[0].wan.up).toBe('1 Gbit/s');
    expect(t.seed).toBe(8);
    expect(src.scenarioFile).toBe(relative(process.cwd(), FIXTURE));
  });

  it('ranges with units, log scale and integer steps', () => {
    const src = readSweep(sweepFile([
      'grid:',
      '  system.sites[0].wan.up: { from: "10 Mbit/s", to: "1000 Mbit/s", steps: 3, scale: log }',
      '  system.strategy.innerSteps: { from: 10, to: 40, step: 10 }',
      'seeds: { from: 100, count: 2 }',
    ].join('\n')));
    const p = buildPlan(src);
    expect(p.axes[0].rows.map((r) => r[0])).toEqual(['10 Mbit/s', '100 Mbit/s', '1000 Mbit/s']);
    expect(p.axes[1].rows.map((r) => r[0])).toEqual([10, 20, 30, 40]);
    expect(p.axes[2].rows.map((r) => r[0])).toEqual([100, 101]);
  });

  it('zip varies fields together', () => {
    const p = buildPlan(readSweep(sweepFile('zip:\n  system.strategy.innerSteps: [5, 50]\n  system.sites[0].wan.up: ["1 Gbit/s", "10 Gbit/s"]\n')));
    expect(pointCount(p)).toBe(2);
    expect(pointValues(p, 1)).toEqual([50, '10 Gbit/s', 7]);
  });

  it('random and Latin hypercube samples are seeded; LHS uses every stratum once', () => {
    const body = (kind: string, seed: number) => `${kind}:\n  samples: 10\n  seed: ${seed}\n  parameters:\n    system.strategy.innerSteps: { from: 1, to: 100 }\n    system.sites[0].wan.up: { from: "0.1 Gbit/s", to: "10 Gbit/s", scale: log }\n    system.strategy.compression: [none, int8, fp16]\n`;
    const a = buildPlan(readSweep(sweepFile(body('lhs', 3))));
    const b = buildPlan(readSweep(sweepFile(body('lhs', 3))));
    const c = buildPlan(readSweep(sweepFile(body('lhs', 4))));
    expect(a.axes).toEqual(b.axes);
    expect(a.axes).not.toEqual(c.axes);
    const inner = a.axes[0].rows.map((r) => r[0] as number);
    expect(new Set(inner.map((x) => Math.min(9, Math.floor((x - 1) / 9.9)))).size).toBe(10);
    for (const r of a.axes[0].rows) {
      expect(r[1]).toMatch(/^[\d.]+ Gbit\/s$/);
      expect(['none', 'int8', 'fp16']).toContain(r[2]);
    }
    const r = buildPlan(readSweep(sweepFile(body('random', 3))));
    expect(r.axes[0].rows).toHaveLength(10);
    expect(r.axes[0].rows).toEqual(buildPlan(readSweep(sweepFile(body('random', 3)))).axes[0].rows);
  });

  it('a target search is the innermost axis, one unit per combination of the others', () => {
    const p = buildPlan(readSweep(sweepFile('grid:\n  system.strategy.innerSteps: [5, 50]\ntarget:\n  path: system.sites[1].wan.up\n  values: ["10 Mbit/s", "100 Mbit/s", "1 Gbit/s"]\n  condition: run.timeToTrainS <= 5 min\n')));
    expect(unitCount(p)).toBe(2);
    expect(pointCount(p)).toBe(6);
    expect(paramColumns(p)).toEqual(['system.strategy.innerSteps', 'system.sites[1].wan.up', 'seed']);
    expect(pointValues(p, 4)).toEqual([50, '100 Mbit/s', 7]);
  });

  it('a sweep: block inside a scenario', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtsim-sweep-'));
    const f = join(dir, 'scn.yaml');
    writeFileSync(f, `extends: ${JSON.stringify(FIXTURE)}\nsweep:\n  grid: { system.strategy.innerSteps: [5, 10] }\n  baseline: false\n`);
    const src = readSweep(f);
    expect(src.tree.sweep).toBeUndefined();
    const p = buildPlan(src);
    expect(pointCount(p)).toBe(2);
    expect(p.baseline).toBe(false);
    expect((pointTree(src, p, 0) as any).baseline).toBeNull();
    expect(p.metrics).not.toContain('comparison.timeToTrainRatio');
  });
});

describe('bisection', () => {
  it('finds the smallest value meeting a monotone condition in 1 + ceil(log2 n) points', () => {
    for (const n of [1, 2, 5, 16, 17]) {
      for (let t = 0; t <= n; t++) {
        const seen: number[] = [];
        let s = bisect(n, () => undefined);
        const known = new Map<number, boolean>();
        while ('need' in s) {
          seen.push(s.need);
          known.set(s.need, s.need >= t);
          s = bisect(n, (k) => known.get(k));
        }
        expect(s.answer).toBe(t < n ? t : null);
        expect(seen.length).toBeLessThanOrEqual(1 + Math.ceil(Math.log2(n)));
      }
    }
  });
});

describe('conditions', () => {
  it('parse units and compare in SI', () => {
    const c = parseCondition('run.timeToTrainS <= 90 days');
    expect(c).toMatchObject({ metric: 'run.timeToTrainS', op: '<=', value: 90 * 86400 });
    if (typeof c === 'string') throw new Error(c);
    expect(conditionMet(c, { run: { timeToTrainS: 89 * 86400 } })).toBe(true);
    expect(conditionMet(c, { run: { timeToTrainS: 91 * 86400 } })).toBe(false);
    expect(conditionMet(c, { run: {} })).toBe(false);
    expect(parseCondition('run.finished == true')).toMatchObject({ value: 1 });
    expect(parseCondition('run.timeToTrainS about 3')).toMatch(/expected "<metric> <op> <value>"/);
    expect(parseCondition('run.timeToTrainS < 3 parsecs')).toMatch(/quantity like "90 days"/);
  });
});

describe('shards', () => {
  it('come from --shard, DTSIM_SHARD, Slurm arrays or Kubernetes Indexed Jobs', () => {
    expect(resolveShard(undefined, {})).toBeNull();
    expect(resolveShard('2/3', { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '5' })).toMatchObject({ index: 1, count: 3 });
    expect(resolveShard(undefined, { DTSIM_SHARD: '3/4' })).toMatchObject({ index: 2, count: 4 });
    expect(resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3' })).toMatchObject({ index: 2, count: 3 });
    expect(resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '1' })).toMatchObject({ index: 2, count: 3 });
    expect(resolveShard(undefined, { JOB_COMPLETION_INDEX: '0', DTSIM_SHARD_COUNT: '4' })).toMatchObject({ index: 0, count: 4 });
    expect(() => resolveShard(undefined, { JOB_COMPLETION_INDEX: '0' })).toThrow(/DTSIM_SHARD_COUNT/);
    expect(() => resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '3' })).toThrow(ShardError);
    expect(() => resolveShard('0/3', {})).toThrow(/1 <= i <= n/);
    expect(() => resolveShard('a/b', {})).toThrow(/--shard: expected i\/n/);
  });

  it('deal units round-robin, every unit to exactly one shard', () => {
    const n = 3;
    for (let u = 0; u < 20; u++) expect([0, 1, 2].filter((i) => inShard({ index: i, count: n, source: '' }, u))).toEqual([u % n]);
  });
});

describe('shipped sweeps', () => {
  const files = [...readdirSync('examples/sweeps').filter((f) => f.endsWith('.sweep.yaml')).map((f) => `examples/sweeps/${f}`), 'scenarios/ci-regression/sweep.yaml'];

  it.each(files)('%s: every point is a valid scenario', (f) => {
    const src = readSweep(f);
    const p = buildPlan(src);
    for (let i = 0; i < pointCount(p); i++) expect(() => scenarioFromTree(pointTree(src, p, i), src.scenarioFile)).not.toThrow();
  });

  it('the CI regression baseline has exactly the CI sweep\'s points and metrics', () => {
    const p = buildPlan(readSweep('scenarios/ci-regression/sweep.yaml'));
    const cols = paramColumns(p);
    const keys = Array.from({ length: pointCount(p) }, (_, i) => pointValues(p, i).map((v, c) => `${cols[c]}=${valueText(v)}`).join(', '));
    const b = JSON.parse(readFileSync('scenarios/ci-regression/baseline.json', 'utf8'));
    expect(b.points.map((x: { key: string }) => x.key)).toEqual(keys);
    for (const x of b.points) expect(Object.keys(x.metrics)).toEqual(p.metrics);
  });
});

describe('scheduler examples', () => {
  it('the Kubernetes Indexed Job passes its completions as DTSIM_SHARD_COUNT', () => {
    const [job] = parseAllDocuments(readFileSync('examples/kubernetes/dtsim-sweep-job.yaml', 'utf8')).map((d) => d.toJS());
    expect(job.spec.completionMode).toBe('Indexed');
    const env = job.spec.template.spec.containers[0].env;
    expect(env.find((e: { name: string }) => e.name === 'DTSIM_SHARD_COUNT').value).toBe(String(job.spec.completions));
  });

  it('the GitHub Actions matrix has one shard per index', () => {
    const wf = parseYaml(readFileSync('examples/github-actions/dtsim-sweep.yml', 'utf8'));
    expect(wf.jobs.shard.strategy.matrix.shard).toEqual(Array.from({ length: wf.env.SHARDS }, (_, i) => i + 1));
    expect(wf.jobs['merge-and-check'].needs).toBe('shard');
  });

  it('the Slurm script sweeps with the array variables', () => {
    const sh = readFileSync('examples/slurm/dtsim-sweep.sbatch', 'utf8');
    expect(sh).toMatch(/#SBATCH --array=0-7/);
    expect(sh).toMatch(/npx dtsim sweep "\$SWEEP" --out "\$OUT"/);
  });
});
