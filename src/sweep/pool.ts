/**
 * Where sweep tasks run: a piscina pool of worker threads, or the main thread (`--workers 0`,
 * for debugging and tiny sweeps). Either way a task is a plain object in, a plain object out.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Task, TaskResult } from './worker';

export interface Executor {
  readonly threads: number;
  run(t: Task): Promise<TaskResult>;
  /** Resolves once every thread has a task (or none is waiting): the caller may then block its own thread. */
  busy(): Promise<void>;
  close(): Promise<void>;
}

export const defaultWorkers = () => Math.max(1, availableParallelism());

export async function openExecutor(workers: number): Promise<Executor> {
  if (workers <= 0) {
    const { runTask } = await import('./worker');
    return {
      threads: 0,
      run: async (t) => {
        await new Promise((r) => setImmediate(r)); // let progress, signals and writes through between points
        return runTask(t);
      },
      busy: async () => {},
      close: async () => {},
    };
  }
  const pool = new Piscina<Task, TaskResult>({
    filename: new URL('./worker-entry.js', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60_000,
    // A simulation keeps its thread busy: one task per thread at a time.
    concurrentTasksPerWorker: 1,
  });
  let unfinished = 0;
  return {
    threads: workers,
    run: (t) => {
      unfinished++;
      return pool.run(t).finally(() => unfinished--);
    },
    // Tasks reach a thread through this thread's event loop (threads start, then ask for work):
    // wait while tasks are queued and a thread has none.
    busy: async () => {
      while (pool.queueSize > 0 && unfinished - pool.queueSize < workers) await new Promise((r) => setTimeout(r, 10));
    },
    close: () => pool.destroy(),
  };
}
