/**
 * Token economy coupled to a large training run (issue target: a 5-year daily economy coupled to
 * a 20,000-GPU training run, 200 Monte Carlo runs, ≤ 60 s and ≤ 2 GiB on the 2-core machine).
 * Runs `dtsim run scenarios/bench-20k-economy.yaml --runs R` in a fresh child process (so its
 * peak RSS, worker threads included, is this run's) and reports wall time, time per run, and,
 * when R < 200, the time 200 runs would take at that rate on this machine's threads (a
 * projection, labelled as one).
 *
 *   npx tsx bench/economy-coupled.ts [--runs R] [--workers W] [--json]
 *
 * Exports coupledBench() for bench/main.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const COUPLED_SCENARIO = 'scenarios/bench-20k-economy.yaml';
export const COUPLED_TARGET = { runs: 200, wallS: 60, peakBytes: 2 * 2 ** 30 } as const;

export interface CoupledBenchResult {
  readonly runs: number;
  readonly workers: number | null;
  readonly wallS: number;
  readonly maxRssBytes: number;
  readonly gpus: number;
  readonly coupledDays: number;
  readonly uncoupledDays: number;
  readonly timeToTrainS: number;
  readonly events: number;
  readonly replayedGroupRounds: number;
  /** Wall time of COUPLED_TARGET.runs runs: measured when runs = 200, else runs × per-run rate. */
  readonly wallS200: number;
  readonly projected: boolean;
}

/** In the child: one `dtsim run --runs R`, then the figures as JSON on stdout. */
async function child(runs: number, workers: number | null): Promise<void> {
  const { runCommand } = await import('../src/cli/main');
  const out = mkdtempSync(join(tmpdir(), 'dtsim-bench-coupled-'));
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const t0 = performance.now();
  const code = await runCommand({ scenario: join(ROOT, COUPLED_SCENARIO), out, json: false, set: [], fastForward: true, quiet: true, runs, workers: workers ?? undefined }, { out: sink, err: sink });
  const wallS = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`dtsim run exited ${code}`);
  const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  rmSync(out, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({
    runs, workers, wallS, maxRssBytes: process.resourceUsage().maxRSS * 1024,
    gpus: s.run.gpus, coupledDays: s.economy.coupledDays, uncoupledDays: s.economy.uncoupledDays,
    timeToTrainS: s.run.timeToTrainS, events: s.run.simulator.events, replayedGroupRounds: s.run.simulator.replayedGroupRounds,
  }));
}

export function coupledBench(runs = 4, workers: number | null = null): CoupledBenchResult {
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', '--runs', String(runs), ...(workers === null ? [] : ['--workers', String(workers)])];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`coupled economy benchmark failed: ${r.stderr.slice(-2000)}`);
  const m = JSON.parse(r.stdout);
  const projected = runs !== COUPLED_TARGET.runs;
  return { ...m, wallS200: projected ? (m.wallS * COUPLED_TARGET.runs) / runs : m.wallS, projected };
}

export function coupledRows(c: CoupledBenchResult): string[][] {
  const ok = (b: boolean) => (b ? 'ok' : 'MISS');
  return [
    [`economy coupled to ${c.gpus.toLocaleString('en-US')} GPUs (${COUPLED_SCENARIO}): ${c.runs} runs, wall`, `${c.wallS.toFixed(1)} s (${(c.wallS / c.runs).toFixed(1)} s/run)`, '', ''],
    [`  ${COUPLED_TARGET.runs} runs, wall${c.projected ? ' (projected from the runs above)' : ''}`, `${c.wallS200.toFixed(0)} s`, `<= ${COUPLED_TARGET.wallS} s`, ok(c.wallS200 <= COUPLED_TARGET.wallS)],
    ['  peak RSS (process, worker threads included)', `${(c.maxRssBytes / 2 ** 30).toFixed(2)} GiB`, `<= ${COUPLED_TARGET.peakBytes / 2 ** 30} GiB`, ok(c.maxRssBytes <= COUPLED_TARGET.peakBytes)],
    ['  days coupled to the run / after it (first run)', `${c.coupledDays} / ${c.uncoupledDays}`, '', ''],
    ['  events; group rounds replayed (first run)', `${c.events.toLocaleString('en-US')}; ${c.replayedGroupRounds.toLocaleString('en-US')}`, '', ''],
  ];
}

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
if (argv.includes('--child')) {
  await child(Number(arg('--runs') ?? 4), arg('--workers') === undefined ? null : Number(arg('--workers')));
} else if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const c = coupledBench(Number(arg('--runs') ?? 4), arg('--workers') === undefined ? null : Number(arg('--workers')));
  if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
  else for (const r of coupledRows(c)) process.stdout.write(`${r.filter(Boolean).join('  ')}\n`);
}
