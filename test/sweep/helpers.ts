/**
 * Helpers shared by the sweep tests (not a test file itself): sweep files pointing at the tiny
 * fixture scenario, folder comparison, and running the CLI.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const FIXTURE = join(__dirname, 'fixtures', 'tiny.yaml');
export const ROOT = join(__dirname, '..', '..');

export const tmp = (prefix = 'dtsim-sweep-') => mkdtempSync(join(tmpdir(), prefix));

/** A sweep file in a fresh folder, pointing at the tiny fixture. */
export function sweepFile(body: string, name = 'test.sweep.yaml', dir = tmp()): string {
  const file = join(dir, name);
  writeFileSync(file, `scenario: ${JSON.stringify(FIXTURE)}\n${body}`);
  return file;
}

/** Every file under `dir` (relative path → bytes), leaving out what `skip` matches. */
export function filesOf(dir: string, skip: RegExp = /^$/): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const rel = relative(dir, p);
        if (!skip.test(rel)) out.set(rel, readFileSync(p, 'latin1'));
      }
    }
  };
  walk(dir);
  return out;
}

/** The outputs that must not depend on workers, shards or interruptions (not the live shard files, not the baseline cache). */
export const SWEEP_OUTPUTS_SKIP = /^results\.shard-|^baselines\//;
