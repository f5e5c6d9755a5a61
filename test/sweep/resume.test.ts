import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSweep } from '../../src/sweep/spec';
import { runSweep } from '../../src/sweep/runner';
import { sweepCommand } from '../../src/cli/sweep';
import { ROOT, SWEEP_OUTPUTS_SKIP, filesOf, sweepFile, tmp } from './helpers';

// 4 × 2 × 3 = 24 points of about 0.1 s each (churn over a few simulated hours).
const SWEEP = [
  'set: { training.tokens: 2e10 }',
  'grid:',
  '  system.strategy.innerSteps: [5, 10, 20, 50]',
  '  system.sites[0].wan.up: ["100 Mbit/s", "1 Gbit/s"]',
  'seeds: 3',
  '',
].join('\n');

const pointsIn = (dir: string) => (existsSync(join(dir, 'points')) ? readdirSync(join(dir, 'points')).filter((p) => existsSync(join(dir, 'points', p, 'summary.json'))).length : 0);

describe('a killed sweep resumes', () => {
  it('kill -9 mid-sweep, a half-written row, then the same command: byte-identical to an uninterrupted run', async () => {
    const file = sweepFile(SWEEP);
    const reference = tmp();
    const full = await runSweep(readSweep(file), { out: reference, workers: 0, quiet: true });
    expect(full.simulated).toBe(24);

    const out = tmp();
    const child = spawn(process.execPath, [join(ROOT, 'bin/dtsim.js'), 'sweep', file, '--out', out, '--workers', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
    let done = 0;
    while ((done = pointsIn(out)) < 3) {
      await new Promise((r) => setTimeout(r, 20));
      if (child.exitCode !== null) break;
    }
    child.kill('SIGKILL');
    expect(await exited, stderr).toBe(-1);
    done = pointsIn(out);
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(24);
    // As if the kill had hit in the middle of a row.
    appendFileSync(join(out, 'results.csv'), '17,20,1 Gbit/s,8,ok,tr');

    let said = '';
    const sink = { write: (s: string) => { said += s; return true; } } as unknown as NodeJS.WritableStream;
    expect(await sweepCommand({ sweep: file, out, workers: 0, baseline: true, quiet: false }, { out: sink, err: sink })).toBe(0);
    expect(said).toMatch(new RegExp(`${24 - done} points simulated, ${done} already done \\(resumed\\)`));
    expect(filesOf(out, SWEEP_OUTPUTS_SKIP)).toEqual(filesOf(reference, SWEEP_OUTPUTS_SKIP));
    expect(readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(25);
  }, 120_000);
});
