/**
 * Token economy benchmark: 200 Monte Carlo runs of the 5-year (1,825-day) uncoupled daily
 * economy (src/economy/run.ts monteCarlo), per preset: wall time, CPU time (all threads of the
 * process, so a loaded machine does not inflate it), time per run, and the heap after.
 *
 *   npx tsx bench/economy.ts [--runs N] [--preset NAME ...] [--json]
 *
 * Exports economyBench() for bench/main.ts.
 */
import { fileURLToPath } from 'node:url';
import { economySpecFrom } from '../src/scenario/economy';
import { monteCarlo } from '../src/economy/run';

export interface EconomyBenchRow {
  readonly preset: string;
  readonly runs: number;
  readonly days: number;
  readonly wallS: number;
  readonly cpuS: number;
  readonly msPerRun: number;
  readonly heapMiB: number;
  /** P50 of the final price, capacity (H100-eq) and capacity ÷ hyperscalers'. */
  readonly p50: { readonly priceUsd: number; readonly capacityH100eq: number; readonly capacityShare: number };
}

export const ECONOMY_BENCH_TARGET_S = 60;

export function economyBench(opts: { runs?: number; presets?: readonly string[] } = {}): EconomyBenchRow[] {
  const runs = opts.runs ?? 200;
  const presets = opts.presets ?? ['base', 'bull', 'token-crash', 'hyperscalers-withhold'];
  const seeds = Array.from({ length: runs }, (_, i) => i + 1);
  const out: EconomyBenchRow[] = [];
  // Warm up the JIT and the data files once.
  monteCarlo(economySpecFrom({ preset: presets[0] }), [0]);
  for (const preset of presets) {
    const spec = economySpecFrom({ preset });
    (globalThis as { gc?: () => void }).gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const mc = monteCarlo(spec, seeds);
    const wallS = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpuS = (c.user + c.system) / 1e6;
    out.push({
      preset, runs, days: spec.days, wallS, cpuS, msPerRun: (cpuS * 1000) / runs, heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
      p50: { priceUsd: mc.final.priceUsd.p50, capacityH100eq: mc.final.capacityH100eq.p50, capacityShare: mc.final.capacityShare.p50 },
    });
  }
  return out;
}

export function formatEconomyBench(rows: readonly EconomyBenchRow[]): string {
  const lines = [`economy: ${rows[0]?.runs ?? 0} Monte Carlo runs x ${rows[0]?.days ?? 0} days, uncoupled (target: well under ${ECONOMY_BENCH_TARGET_S} s)`];
  lines.push('  preset                  wall s   CPU s   ms/run (CPU)   heap MiB   P50 price USD   P50 capacity H100-eq   P50 share');
  for (const r of rows) {
    lines.push(`  ${r.preset.padEnd(22)} ${r.wallS.toFixed(2).padStart(7)} ${r.cpuS.toFixed(2).padStart(7)} ${r.msPerRun.toFixed(1).padStart(14)} ${r.heapMiB.toFixed(0).padStart(10)}`
      + ` ${r.p50.priceUsd.toFixed(0).padStart(15)} ${r.p50.capacityH100eq.toFixed(0).padStart(22)} ${(r.p50.capacityShare * 100).toFixed(3).padStart(10)} %`);
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  let runs = 200;
  const presets: string[] = [];
  let json = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--runs') runs = Math.max(1, Number(args[++i]) || 200);
    else if (args[i] === '--preset') presets.push(args[++i]);
    else if (args[i] === '--json') json = true;
    else throw new Error(`unknown option '${args[i]}'; expected --runs N, --preset NAME, --json`);
  }
  const rows = economyBench({ runs, presets: presets.length ? presets : undefined });
  console.log(json ? JSON.stringify(rows, null, 2) : formatEconomyBench(rows));
}
