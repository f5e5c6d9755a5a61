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
  activeGpusByType: { 'h100-sxm': 1 },
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

  it('has a column per GPU type with the training GPUs of that type, summing to active_gpus', async () => {
    // Two sites of different GPUs, one of them churning: the per-type columns follow who trains.
    const t = tree({ training: { tokens: 3e8, batchTokens: 262144, microBatch: 4 } }) as Record<string, any>;
    t.system.sites[1].nodes[0].gpu = 'a100-80gb';
    t.system.faults = { failures: false, churn: { kinds: ['home'], meanOnline: '20 min', meanOffline: '10 min' } };
    const f = join(dir, 'mix.yaml');
    writeFileSync(f, stringify({ name: 'mix', ...t }));
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;
    expect(await runCommand({ scenario: f, out: join(dir, 'mix'), json: false, set: [], fastForward: true, quiet: true }, { out: sink, err: sink })).toBe(0);
    const [head, ...rows] = readFileSync(join(dir, 'mix', 'timeseries.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    expect(head).toEqual([...TIMESERIES_COLUMNS, 'gpus_h100-sxm', 'gpus_a100-80gb']);
    const col = (name: string) => head.indexOf(name);
    for (const r of rows) expect(Number(r[col('gpus_h100-sxm')]) + Number(r[col('gpus_a100-80gb')])).toBe(Number(r[col('active_gpus')]));
    // Churn takes each type out at some point while the other trains.
    expect(rows.some((r) => r[col('gpus_h100-sxm')] === '0' && r[col('gpus_a100-80gb')] !== '0')).toBe(true);
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
