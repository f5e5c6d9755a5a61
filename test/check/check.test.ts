import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSweep } from '../../src/sweep/spec';
import { runSweep } from '../../src/sweep/runner';
import { checkCommand, type CheckArgs } from '../../src/cli/check';
import { direction, parseTolerance, readResults } from '../../src/check/check';
import { main } from '../../src/cli/main';
import { FIXTURE, sweepFile, tmp } from '../sweep/helpers';

function capture() {
  let out = '', err = '';
  const io = {
    out: { write: (s: string) => { out += s; return true; } } as unknown as NodeJS.WritableStream,
    err: { write: (s: string) => { err += s; return true; } } as unknown as NodeJS.WritableStream,
  };
  return { io, out: () => out, err: () => err };
}

const args = (over: Partial<CheckArgs>): CheckArgs => ({ results: '', baseline: '', tolerance: [], updateBaseline: false, quiet: false, ...over });

describe('dtsim check', () => {
  const dir = tmp('dtsim-check-');
  const results = join(dir, 'sweep');
  const baseline = join(dir, 'baseline.json');

  beforeAll(async () => {
    await runSweep(readSweep(sweepFile('grid: { system.strategy.innerSteps: [5, 50] }\nmetrics: [run.timeToTrainS, run.mfu, run.costUsd, comparison.timeToTrainRatio]\n')), { out: results, workers: 0, quiet: true });
    const c = capture();
    expect(await checkCommand(args({ results, baseline, updateBaseline: true }), c.io)).toBe(0);
    expect(c.out()).toMatch(/wrote .*baseline\.json: 2 points, 4 metrics/);
  });

  const edit = (f: (b: any) => void) => {
    const b = JSON.parse(readFileSync(baseline, 'utf8'));
    f(b);
    const file = join(tmp('dtsim-check-'), 'baseline.json');
    writeFileSync(file, JSON.stringify(b));
    return file;
  };

  it('passes against its own baseline, with JUnit and Markdown', async () => {
    const c = capture();
    const junit = join(dir, 'pass.xml'), md = join(dir, 'pass.md');
    expect(await checkCommand(args({ results, baseline, junit, markdown: md }), c.io)).toBe(0);
    expect(c.out()).toMatch(/PASSED: 8 ok/);
    expect(c.out()).toMatch(/point\s+metric\s+baseline\s+current\s+change\s+tolerance\s+status/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="dtsim check" tests="8" failures="0"/);
    expect(xml).not.toMatch(/<failure/);
    expect(readFileSync(md, 'utf8')).toMatch(/### dtsim check: ✅ passed/);
  });

  it('fails on an injected regression (time to train 11 % longer than the baseline), beyond the tolerance only', async () => {
    const file = edit((b) => { b.points[1].metrics['run.timeToTrainS'] *= 0.9; });
    const c = capture();
    const junit = join(dir, 'fail.xml'), md = join(dir, 'fail.md');
    expect(await checkCommand(args({ results, baseline: file, junit, markdown: md }), c.io)).toBe(1);
    expect(c.out()).toMatch(/system\.strategy\.innerSteps=50, seed=7\s+run\.timeToTrainS\s+\S+\s+\S+\s+\+11\.11%\s+1% ↓\s+REGRESSED/);
    expect(c.out()).toMatch(/FAILED: 7 ok, 1 regressed/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/failures="1"/);
    expect(xml).toMatch(/<testcase classname="system\.strategy\.innerSteps=50, seed=7" name="run\.timeToTrainS" time="0\.000">\s*<failure message="run\.timeToTrainS REGRESSED/);
    expect(readFileSync(md, 'utf8')).toMatch(/❌ failed \(1 regression\)/);
    // Within a wider tolerance it passes.
    expect(await checkCommand(args({ results, baseline: file, tolerance: ['run.timeToTrainS=12%'] }), capture().io)).toBe(0);
  });

  it('higher-is-better metrics regress downwards; improvements pass; unknown directions fail on any change', async () => {
    const mfu = edit((b) => { b.points[0].metrics['run.mfu'] *= 1.05; });
    expect(await checkCommand(args({ results, baseline: mfu }), capture().io)).toBe(1);
    const faster = edit((b) => { b.points[0].metrics['run.timeToTrainS'] *= 1.2; });
    const c = capture();
    expect(await checkCommand(args({ results, baseline: faster }), c.io)).toBe(0);
    expect(c.out()).toMatch(/improved[\s\S]*--update-baseline/);
    const custom = edit((b) => { b.points[0].metrics['run.custom'] = 1; });
    expect(await checkCommand(args({ results, baseline: custom }), capture().io)).toBe(1);
    expect(direction('run.throughputTokensPerS')).toBe('higher');
    expect(direction('comparison.costRatio')).toBe('lower');
    expect(parseTolerance('5%')).toEqual({ text: '5%', relative: true, amount: 0.05 });
    expect(parseTolerance('0.01')).toMatchObject({ relative: false, amount: 0.01 });
    expect(parseTolerance('lots')).toBeNull();
  });

  it('a point missing from the results fails; results.csv and summary.json are read too', async () => {
    const csv = join(results, 'results.csv');
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    const partial = join(tmp('dtsim-check-'), 'results.csv');
    writeFileSync(partial, `${lines.slice(0, 2).join('\n')}\n`);
    const c = capture();
    expect(await checkCommand(args({ results: partial, baseline }), c.io)).toBe(1);
    expect(c.out()).toMatch(/MISSING \(point not in the results\)/);
    expect(await checkCommand(args({ results: csv, baseline }), capture().io)).toBe(0);

    const run = tmp('dtsim-check-');
    expect(await main(['run', FIXTURE, '--out', run, '--quiet'])).toBe(0);
    const r = await readResults(join(run, 'summary.json'));
    expect(r.points[0].key).toBe('scenario=tiny');
    expect(r.points[0].metrics).toContain('run.timeToTrainS');
    const runBase = join(run, 'baseline.json');
    expect(await checkCommand(args({ results: run, baseline: runBase, updateBaseline: true, metrics: 'run.timeToTrainS,run.costUsd' }), capture().io)).toBe(0);
    expect(await checkCommand(args({ results: run, baseline: runBase }), capture().io)).toBe(0);
  });

  it('bad input exits 2 with one line', async () => {
    const c = capture();
    expect(await checkCommand(args({ results, baseline: join(dir, 'nope.json') }), c.io)).toBe(2);
    expect(c.err()).toMatch(/^dtsim: check: .*nope\.json: no such baseline \(create it with --update-baseline\)\n$/);
    const c2 = capture();
    expect(await checkCommand(args({ results, baseline, tolerance: ['run.mfu=lots'] }), c2.io)).toBe(2);
    expect(c2.err()).toMatch(/--tolerance: expected metric=5%/);
  });
});
