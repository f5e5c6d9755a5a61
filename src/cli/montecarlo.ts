/**
 * `dtsim run --runs N` for a scenario with an economy: the first run in this thread (it streams
 * the timeseries, the economy rows and the trace, and is reported whole), the others in worker
 * threads as samples. Bands are taken in seed order, so they are byte-identical whatever the
 * number of workers (`--workers 0` runs everything here).
 */
import type { Scenario } from '../scenario/types';
import type { SimulateOptions, SimulationResult } from '../sim/simulate';
import { bandSamples, firstRun, mcSeeds, sampleRun, type McSample, type MonteCarlo } from '../sim/montecarlo';
import { openExecutor, type Executor } from '../sweep/pool';

export async function runMonteCarlo(
  scenario: Scenario, tree: unknown, file: string, runs: number, workers: number, opts: SimulateOptions,
): Promise<{ first: SimulationResult; monteCarlo: MonteCarlo }> {
  const seeds = mcSeeds(scenario, runs, opts.seed);
  const rest = seeds.slice(1);
  const threads = Math.min(workers, rest.length);
  const exec: Executor | null = threads > 0 ? await openExecutor(threads) : null;
  try {
    let samples: Promise<McSample>[] = [];
    if (exec) {
      samples = rest.map(async (seed) => {
        const r = await exec.run({ kind: 'mc', tree, file, seed, fastForward: opts.fastForward });
        if (!r.ok) throw new Error(`Monte Carlo run with seed ${seed}: ${r.message}`);
        return r.sample!;
      });
      // A run that fails before Promise.all below listens must not count as unhandled.
      for (const p of samples) p.catch(() => {});
      await exec.busy();
    }
    const { first, sample } = firstRun(scenario, { ...opts, seed: seeds[0] });
    const others = exec ? await Promise.all(samples) : rest.map((seed) => sampleRun(scenario, seed, opts));
    return { first, monteCarlo: bandSamples(seeds, [sample, ...others]) };
  } finally {
    await exec?.close();
  }
}
