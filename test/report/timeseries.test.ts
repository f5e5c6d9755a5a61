import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTimeseries, TIMESERIES_COLUMNS } from '../../src/report/write';
import { runCommand } from '../../src/cli/main';
import { stringify } from 'yaml';
import { writeFileSync } from 'node:fs';
import { tree } from '../sim/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'dtsim-ts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const row = (timeS: number) => ({
  run: 'r', timeS, tokens: 1, effectiveTokens: 1, tokensLost: 0, activeNodes: 1, activeGpus: 1, periodS: 1, throughputTokensPerS: 1, event: 'step',
});

describe('timeseries.csv', () => {
  it('is on disk row by row while the run goes, without waiting for the event loop', async () => {
    // simulate() never yields: a row reaches the file only if the write is synchronous. Read
    // the file between writes, in the same tick, as a killed run would leave it.
    const file = join(dir, 'live.csv');
    const ts = openTimeseries(file);
    ts.write(row(1));
    const afterOne = readFileSync(file, 'utf8').trim().split('\n');
    expect(afterOne[0]).toBe(TIMESERIES_COLUMNS.join(','));
    expect(afterOne).toHaveLength(2);
    ts.write(row(2));
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
    await ts.close();
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('dtsim run prints plain progress lines when stderr is not a terminal', async () => {
    const f = join(dir, 'small.yaml');
    writeFileSync(f, stringify({ name: 'small', ...tree() }));
    let err = '';
    const sink = (fn: (s: string) => void) => ({ write: (s: string) => { fn(s); return true; } }) as unknown as NodeJS.WritableStream;
    const code = await runCommand({ scenario: f, out: join(dir, 'out'), json: false, set: [], fastForward: true, quiet: false },
      { out: sink(() => {}), err: sink((s) => { err += s; }) });
    expect(code).toBe(0);
    const lines = err.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => /^system: \d+% of the tokens \(\d+ s\)$/.test(l))).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/^system: 100%/);
    expect(err).not.toContain('\r');
  });
});
