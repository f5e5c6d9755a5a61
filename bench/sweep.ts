/**
 * Sweep throughput (part of `npm run bench`, or `node --expose-gc bin/bench.js` options): the
 * default scenario (scenarios/flip-the-coin.yaml) as a Monte Carlo sweep of `points` seeds, run
 * by dtsim's sweep runner with 1 and with 2 worker threads.
 *
 * Two figures per worker count:
 *  - warm: points per second once the pool has started and each thread has simulated one point
 *    (the JIT warmed up), i.e. the rate a long sweep runs at; the 2-vs-1 speedup is taken here
 *    (target >= 1.8x on a machine with 2 free cores);
 *  - cold: the same sweep end to end, pool start included (each thread loads the simulator,
 *    before its first point), as a short `dtsim sweep` sees it.
 * The shared hyperscaler baseline is simulated once per sweep (once per seed: here every point).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openExecutor } from '../src/sweep/pool';
import { runSweep } from '../src/sweep/runner';
import { readSweep } from '../src/sweep/spec';
import { writeFileSync } from 'node:fs';
import { performance as perf } from 'node:perf_hooks';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export const SWEEP_TARGETS = { speedup2v1: 1.8 } as const;

export interface SweepWorkerFigures {
  readonly workers: number;
  readonly points: number;
  /** Seconds for the sweep on a warm pool, and points per second. */
  readonly warmS: number;
  readonly warmPointsPerS: number;
  /** Seconds end to end with the pool start, and points per second. */
  readonly coldS: number;
  readonly coldPointsPerS: number;
  /** Pool start until every thread had simulated its warm-up point. */
  readonly startS: number;
  /** Share of the warm sweep's wall time the main thread was busy (composing, writing files). */
  readonly mainThreadBusy: number;
  /** CPU seconds (all threads of the process) per point in the warm sweep: the work, whatever else loads the machine. */
  readonly cpuSPerPoint: number;
}

export interface SweepBenchResult {
  readonly scenario: string;
  readonly points: number;
  readonly runs: readonly SweepWorkerFigures[];
  /** Warm points/s with 2 workers over 1. */
  readonly speedup: number;
  readonly coldSpeedup: number;
  /**
   * 2 × (CPU per point with 1 worker) ÷ (CPU per point with 2): the speedup two otherwise idle
   * cores would give if only the work per point limited it (parallel overhead shows as < 2).
   */
  readonly cpuBoundSpeedup: number;
}

function sweepOf(dir: string, points: number, seedFrom: number): string {
  const file = join(dir, `bench-${seedFrom}.sweep.yaml`);
  writeFileSync(file, [
    `scenario: ${JSON.stringify(join(ROOT, 'scenarios/flip-the-coin.yaml'))}`,
    'name: bench-sweep',
    `seeds: { from: ${seedFrom}, count: ${points} }`,
    '',
  ].join('\n'));
  return file;
}

export async function sweepBench(opts: { points?: number; workers?: readonly number[] } = {}): Promise<SweepBenchResult> {
  const points = opts.points ?? 16;
  const dir = mkdtempSync(join(tmpdir(), 'dtsim-bench-sweep-'));
  const runs: SweepWorkerFigures[] = [];
  try {
    let seed = 1000;
    for (const w of opts.workers ?? [1, 2]) {
      // Cold: a fresh pool, end to end.
      globalThis.gc?.();
      let t = performance.now();
      await runSweep(readSweep(sweepOf(dir, points, seed)), { out: join(dir, `cold-${w}`), workers: w, quiet: true });
      const coldS = (performance.now() - t) / 1000;
      seed += points;
      // Warm: start a pool, give each thread one point, then time the sweep on it.
      t = performance.now();
      const exec = await openExecutor(w);
      try {
        await runSweep(readSweep(sweepOf(dir, w, seed)), { out: join(dir, `warmup-${w}`), workers: w, quiet: true, executor: exec });
        const startS = (performance.now() - t) / 1000;
        seed += w;
        globalThis.gc?.();
        const elu = perf.eventLoopUtilization();
        const cpu = process.cpuUsage();
        t = performance.now();
        await runSweep(readSweep(sweepOf(dir, points, seed)), { out: join(dir, `warm-${w}`), workers: w, quiet: true, executor: exec });
        const warmS = (performance.now() - t) / 1000;
        const mainThreadBusy = perf.eventLoopUtilization(elu).utilization;
        const used = process.cpuUsage(cpu);
        const cpuSPerPoint = (used.user + used.system) / 1e6 / points;
        seed += points;
        runs.push({ workers: w, points, warmS, warmPointsPerS: points / warmS, coldS, coldPointsPerS: points / coldS, startS, mainThreadBusy, cpuSPerPoint });
      } finally {
        await exec.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const one = runs.find((r) => r.workers === 1), two = runs.find((r) => r.workers === 2);
  return {
    scenario: 'scenarios/flip-the-coin.yaml',
    points,
    runs,
    speedup: one && two ? two.warmPointsPerS / one.warmPointsPerS : NaN,
    coldSpeedup: one && two ? two.coldPointsPerS / one.coldPointsPerS : NaN,
    cpuBoundSpeedup: one && two ? (2 * one.cpuSPerPoint) / two.cpuSPerPoint : NaN,
  };
}

/** Table rows: [figure, measured, target, ok/MISS/''] as bench/main.ts prints them. */
export function sweepRows(r: SweepBenchResult): string[][] {
  const rows: string[][] = [];
  for (const x of r.runs) {
    rows.push([`sweep ${r.scenario}, ${x.points} seeds, ${x.workers} worker${x.workers === 1 ? '' : 's'}: warm`, `${x.warmPointsPerS.toFixed(2)} points/s`, '', '']);
    rows.push(['  cold (pool start included)', `${x.coldPointsPerS.toFixed(2)} points/s`, '', '']);
    rows.push(['  pool start + one point per thread', `${x.startS.toFixed(2)} s`, '', '']);
    rows.push(['  main thread busy (warm)', `${(100 * x.mainThreadBusy).toFixed(0)} %`, '', '']);
    rows.push(['  CPU per point, all threads (warm)', `${x.cpuSPerPoint.toFixed(3)} s`, '', '']);
  }
  if (Number.isFinite(r.speedup)) {
    rows.push(['sweep speedup, 2 workers vs 1 (warm)', `${r.speedup.toFixed(2)}x`, `>= ${SWEEP_TARGETS.speedup2v1}x`, r.speedup >= SWEEP_TARGETS.speedup2v1 ? 'ok' : 'MISS']);
    rows.push(['  cold (short sweeps, pool start included)', `${r.coldSpeedup.toFixed(2)}x`, '', '']);
    rows.push(['  bound from CPU per point (2 idle cores)', `${r.cpuBoundSpeedup.toFixed(2)}x`, '', '']);
  }
  return rows;
}
