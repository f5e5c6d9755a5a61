/**
 * Which share of a sweep this process runs. `--shard i/n` (1-based, as Playwright and Jest
 * count) wins; otherwise the schedulers' own variables:
 *   DTSIM_SHARD=i/n                                   (any scheduler, 1-based)
 *   SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT       (Slurm job arrays; SLURM_ARRAY_TASK_MIN
 *                                                      and _STEP honoured, so --array=1-8 works)
 *   JOB_COMPLETION_INDEX + DTSIM_SHARD_COUNT          (Kubernetes Indexed Jobs: the index is
 *                                                      0-based; set the count to `completions`)
 * Units (points, or target searches) are dealt round-robin: unit u belongs to shard u mod n.
 */
export interface Shard {
  /** 0-based. */
  readonly index: number;
  readonly count: number;
  /** Where it came from, for the progress line. */
  readonly source: string;
}

export class ShardError extends Error {}

const int = (s: string | undefined) => (s !== undefined && /^\s*-?\d+\s*$/.test(s) ? Number(s) : NaN);

function parseSlash(text: string, source: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new ShardError(`${source}: expected i/n like 2/8 (1-based), got '${text}'`);
  const i = Number(m[1]), n = Number(m[2]);
  if (n < 1 || i < 1 || i > n) throw new ShardError(`${source}: expected 1 <= i <= n in i/n, got '${text}'`);
  return { index: i - 1, count: n, source };
}

/** The shard from the flag or the environment; null when the whole sweep runs here. */
export function resolveShard(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Shard | null {
  if (flag !== undefined) return parseSlash(flag, '--shard');
  if (env.DTSIM_SHARD) return parseSlash(env.DTSIM_SHARD, 'DTSIM_SHARD');
  if (env.SLURM_ARRAY_TASK_ID !== undefined && env.SLURM_ARRAY_TASK_ID !== '') {
    const id = int(env.SLURM_ARRAY_TASK_ID);
    const count = int(env.SLURM_ARRAY_TASK_COUNT);
    const min = env.SLURM_ARRAY_TASK_MIN ? int(env.SLURM_ARRAY_TASK_MIN) : 0;
    const step = env.SLURM_ARRAY_TASK_STEP ? int(env.SLURM_ARRAY_TASK_STEP) : 1;
    if (!Number.isInteger(id)) throw new ShardError(`SLURM_ARRAY_TASK_ID: expected an integer, got '${env.SLURM_ARRAY_TASK_ID}'`);
    if (!Number.isInteger(count) || count < 1) throw new ShardError(`SLURM_ARRAY_TASK_COUNT: expected a positive integer with SLURM_ARRAY_TASK_ID, got '${env.SLURM_ARRAY_TASK_COUNT ?? ''}'`);
    if (!Number.isInteger(min) || !Number.isInteger(step) || step < 1) throw new ShardError(`SLURM_ARRAY_TASK_MIN/STEP: expected integers, got '${env.SLURM_ARRAY_TASK_MIN}', '${env.SLURM_ARRAY_TASK_STEP}'`);
    const index = (id - min) / step;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new ShardError(`SLURM_ARRAY_TASK_ID=${id} is not one of the ${count} tasks from ${min} in steps of ${step}; use a contiguous --array such as 0-${count - 1}`);
    }
    return { index, count, source: `SLURM_ARRAY_TASK_ID=${id} of ${count}` };
  }
  if (env.JOB_COMPLETION_INDEX !== undefined && env.JOB_COMPLETION_INDEX !== '') {
    const index = int(env.JOB_COMPLETION_INDEX);
    const count = int(env.DTSIM_SHARD_COUNT);
    if (!Number.isInteger(index) || index < 0) throw new ShardError(`JOB_COMPLETION_INDEX: expected a non-negative integer, got '${env.JOB_COMPLETION_INDEX}'`);
    if (!Number.isInteger(count) || count < 1) throw new ShardError('JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but DTSIM_SHARD_COUNT is not: set it to the Job\'s completions');
    if (index >= count) throw new ShardError(`JOB_COMPLETION_INDEX=${index} is not below DTSIM_SHARD_COUNT=${count}`);
    return { index, count, source: `JOB_COMPLETION_INDEX=${index} of ${count}` };
  }
  return null;
}

export const inShard = (shard: Shard | null, unit: number) => !shard || unit % shard.count === shard.index;

export const shardLabel = (s: Shard) => `${s.index + 1}/${s.count}`;
