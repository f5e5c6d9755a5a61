/**
 * `dtsim sweep` and `dtsim merge`: argument definitions and handlers (registered in main.ts).
 * Exit codes as elsewhere: 0 ok, 2 bad input, 3 internal error (a point failed for a reason
 * other than its scenario); `merge` exits 1 when points are still missing; an interrupted
 * sweep exits 130 (SIGINT) or 143 (SIGTERM) and resumes when run again.
 */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { readSweep } from '../sweep/spec';
import { runSweep } from '../sweep/runner';
import { defaultWorkers } from '../sweep/pool';
import { resolveShard, shardLabel, ShardError } from '../sweep/shard';
import { mergeSweeps, MergeError } from '../sweep/merge';
import { pointCount } from '../sweep/plan';

export interface SweepArgs {
  readonly sweep: string;
  readonly out?: string;
  readonly workers?: number;
  readonly shard?: string;
  readonly baseline: boolean;
  readonly quiet: boolean;
}

type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };
const stdio: Io = { out: process.stdout, err: process.stderr };

export function sweepBuilder(y: Argv) {
  return y
    .positional('sweep', { type: 'string', demandOption: true, describe: 'sweep file (scenario: + grid/zip/random/lhs/seeds/target), or a scenario with a sweep: block' })
    .option('out', { type: 'string', describe: 'output folder (default reports/sweeps/<sweep name>); run again with the same folder to resume' })
    .option('workers', { type: 'number', describe: 'worker threads (default: one per CPU; 0 runs in the main thread)' })
    .option('shard', { type: 'string', describe: 'run only shard i of n (1-based, e.g. 2/8); default from DTSIM_SHARD, SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX + DTSIM_SHARD_COUNT' })
    .option('baseline', { type: 'boolean', default: true, describe: "--no-baseline drops the scenario's baseline" })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' });
}

/** Runs a sweep; returns the exit code. Scenario and sweep-file problems throw ScenarioError (exit 2 in main). */
export async function sweepCommand(a: SweepArgs, io: Io = stdio): Promise<number> {
  let shard;
  try {
    shard = resolveShard(a.shard);
  } catch (e) {
    if (e instanceof ShardError) {
      io.err.write(`dtsim: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (a.workers !== undefined && (!Number.isInteger(a.workers) || a.workers < 0)) {
    io.err.write(`dtsim: --workers expects a non-negative integer, got ${a.workers}\n`);
    return 2;
  }
  const src = readSweep(a.sweep, { noBaseline: !a.baseline });
  const out = a.out ?? join('reports', 'sweeps', src.name);
  const workers = a.workers ?? defaultWorkers();
  if (shard && !a.quiet) io.err.write(`${src.name}: shard ${shardLabel(shard)} (${shard.source})\n`);
  const onSignal = (sig: NodeJS.Signals) => {
    io.err.write(`\n${src.name}: ${sig}: stopped; finished points are saved in ${out}, run the same command again to resume\n`);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const r = await runSweep(src, { out, workers, shard, quiet: a.quiet, err: io.err });
    const total = pointCount(r.plan);
    const rate = r.simulated > 0 ? `, ${(r.simulated / r.seconds).toFixed(2)} points/s` : '';
    const lines = [
      `${r.plan.name}${shard ? ` shard ${shardLabel(shard)}` : ''}: ${r.simulated} points simulated, ${r.resumed} already done (resumed)` +
        `${r.failed ? `, ${r.failed} could not run (see status and message in the results)` : ''}; ` +
        `${r.baselinesSimulated} baseline${r.baselinesSimulated === 1 ? '' : 's'} simulated, ${r.baselinesReused} reused; ${r.seconds.toFixed(1)} s ${workers === 0 ? 'in the main thread' : `with ${workers} worker${workers === 1 ? '' : 's'}`}${rate}`,
      `wrote ${r.resultsFile}${!shard || r.complete ? `, ${join(out, 'report.html')}${r.plan.target ? `, ${join(out, 'targets.csv')}` : ''}` : ''} and points/*/summary.json` +
        (r.plan.target ? '' : ` (${total} points in the sweep)`),
    ];
    if (shard && r.complete) lines.push(`every shard is done: ${join(out, 'results.csv')} holds the whole sweep`);
    else if (shard) lines.push(`when every shard is done: dtsim merge <their --out folders> --out <folder>`);
    if (!a.quiet) io.out.write(`${lines.join('\n')}\n`);
    if (r.internalErrors) {
      io.err.write(`dtsim: ${r.internalErrors} point${r.internalErrors === 1 ? '' : 's'} failed with an internal error (message in results.csv); please report it\n`);
      return 3;
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export interface MergeArgs {
  readonly dirs: readonly string[];
  readonly out?: string;
  readonly quiet: boolean;
}

export function mergeBuilder(y: Argv) {
  return y
    .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'sweep output folders (shards) to combine' })
    .option('out', { type: 'string', describe: 'folder for the merged sweep (default: the folder itself, when only one is given)' })
    .option('quiet', { type: 'boolean', default: false });
}

export async function mergeCommand(a: MergeArgs, io: Io = stdio): Promise<number> {
  if (!a.out && a.dirs.length !== 1) {
    io.err.write('dtsim: merge: give --out <folder> to combine several folders\n');
    return 2;
  }
  try {
    const r = await mergeSweeps(a.dirs, a.out ?? a.dirs[0]);
    if (!a.quiet) io.out.write(`${r.plan.name}: merged ${r.points} points from ${a.dirs.length} folder${a.dirs.length === 1 ? '' : 's'} into ${join(r.out, 'results.csv')}\n`);
    if (r.missing.length) {
      io.err.write(`${r.plan.name}: ${r.missing.length} point${r.missing.length === 1 ? ' is' : 's are'} still missing (e.g. point ${r.missing[0]}): a shard has not finished; the results are partial\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof MergeError) {
      io.err.write(`dtsim: merge: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
