import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScenarioError } from '../../src/scenario/load';
import { readSweep } from '../../src/sweep/spec';
import { runSweep } from '../../src/sweep/runner';
import { main } from '../../src/cli/main';
import { sweepFile } from './helpers';

/** The error lines of a sweep that is read and checked (no point is simulated when a line comes back). */
async function errorsOf(body: string): Promise<{ file: string; lines: string[] }> {
  const file = sweepFile(body);
  try {
    await runSweep(readSweep(file), { out: mkdtempSync(join(tmpdir(), 'dtsim-err-')), workers: 0, quiet: true });
  } catch (e) {
    if (e instanceof ScenarioError) return { file, lines: e.message.split('\n') };
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('bad sweep files', () => {
  const cases: [string, string, RegExp][] = [
    ['unknown field', 'gird:\n  system.strategy.innerSteps: [5]\n', /: unknown field 'gird'$/],
    ['values not a list', 'grid:\n  system.strategy.innerSteps: 5\n', /: grid\["system\.strategy\.innerSteps"\]: expected a list of values or a range/],
    ['malformed path', 'grid:\n  "system..strategy": [1]\n', /: grid\["system\.\.strategy"\]: expected a field path like/],
    ['zip lengths', 'zip:\n  system.strategy.innerSteps: [5, 10]\n  system.sites[0].wan.up: ["1 Gbit/s"]\n', /: zip\["system\.sites\[0\]\.wan\.up"\]: zip lists need equal lengths/],
    ['range units', 'grid:\n  system.sites[0].wan.up: { from: "1 Gbit/s", to: "10 MB/s", steps: 3 }\n', /: grid\["system\.sites\[0\]\.wan\.up"\]: from and to need the same unit/],
    ['range without steps', 'grid:\n  system.strategy.innerSteps: { from: 1, to: 10 }\n', /: grid\["system\.strategy\.innerSteps"\]: expected 'steps'/],
    ['seed as a field', 'grid:\n  seed: [1, 2]\n', /: grid\.seed: sweep seeds with 'seeds:'/],
    ['two samplers', 'random: { samples: 2, parameters: { system.strategy.innerSteps: [1, 2] } }\nlhs: { samples: 2, parameters: { training.microBatch: [1, 2] } }\n', /: lhs: give either 'random:' or 'lhs:'/],
    ['bad condition', 'target:\n  path: system.strategy.innerSteps\n  values: [5, 10]\n  condition: run.timeToTrainS is small\n', /: target\.condition: expected "<metric> <op> <value>"/],
    ['unknown scenario field', 'grid:\n  system.strategy.innerStep: [5]\n', /: grid\["system\.strategy\.innerStep"\]: 5: test\/sweep\/fixtures\/tiny\.yaml: system\.strategy: unknown field 'innerStep'$/],
    ['bad unit in a value', 'grid:\n  system.sites[0].wan.up: ["10 Gb"]\n', /: grid\["system\.sites\[0\]\.wan\.up"\]: 10 Gb: test\/sweep\/fixtures\/tiny\.yaml: system\.sites\[0\]\.wan\.up: expected a data rate/],
    ['list index out of range', 'grid:\n  system.sites[5].wan.up: ["1 Gbit/s"]\n', /: grid\["system\.sites\[5\]\.wan\.up"\]: test\/sweep\/fixtures\/tiny\.yaml: system\.sites has 2 entries, there is no \[5\]$/],
    ['report field', 'grid: { system.strategy.innerSteps: [5] }\nreport:\n  lines:\n    - { x: system.strategy.innerStep, metric: run.timeToTrainS }\n', /: report\.lines\[0\]\.x: expected a swept field \(system\.strategy\.innerSteps, seed\), got "system\.strategy\.innerStep"$/],
    ['missing scenario', '', /./],
  ];
  for (const [name, body, re] of cases) {
    it(`${name}: one line naming the file and the field`, async () => {
      if (name === 'missing scenario') {
        const f = sweepFile('');
        const bad = f.replace('test.sweep.yaml', 'other.sweep.yaml');
        writeFileSync(bad, 'scenario: nowhere.yaml\ngrid: { system.strategy.innerSteps: [5] }\n');
        expect(() => readSweep(bad)).toThrow(/other\.sweep\.yaml: scenario: cannot read file \(ENOENT\)/);
        return;
      }
      const { file, lines } = await errorsOf(body);
      expect(lines).toHaveLength(1);
      expect(lines[0].startsWith(`${file}: `)).toBe(true);
      expect(lines[0]).toMatch(re);
    });
  }

  it('the CLI prints them on stderr and exits 2', async () => {
    const file = sweepFile('grid:\n  system.strategy.innerStep: [5, 10]\n');
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const code = await main(['sweep', file, '--out', mkdtempSync(join(tmpdir(), 'dtsim-err-')), '--workers', '0', '--quiet']);
      expect(code).toBe(2);
      const text = err.mock.calls.map((c) => String(c[0])).join('');
      // The same problem at two values is one line per value, never a stack trace.
      expect(text.trim().split('\n')).toHaveLength(2);
      expect(text).not.toMatch(/internal error|at .*\.ts:\d+/);
    } finally {
      err.mockRestore();
    }
  });
});
