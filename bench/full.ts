/**
 * Full-run benchmark: load a scenario and simulate it to the end, measuring wall time,
 * peak memory and the simulator's own counters (events, flow solves). Meant to run in a
 * fresh child process so that the process's memory high-water mark belongs to this run.
 */
import { loadScenario } from '../src/scenario/load';
import { simulate } from '../src/sim/simulate';
import { MemoryMonitor, type MemoryPeaks } from './memory';

export interface FullRunResult {
  readonly scenario: string;
  readonly file: string;
  readonly loadS: number;
  readonly simulateS: number;
  readonly memory: MemoryPeaks;
  readonly gpus: number;
  readonly nodes: number;
  readonly sites: number;
  readonly finished: boolean;
  readonly timeToTrainS: number;
  readonly mfu: number;
  readonly tokensTrained: number;
  readonly failures: number;
  readonly churn: number;
  readonly restarts: number;
  readonly events: number;
  readonly flowSolves: number;
  readonly progressCalls: number;
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

export async function fullRun(file: string): Promise<FullRunResult> {
  globalThis.gc?.();
  const mon = new MemoryMonitor();
  await mon.start();
  const t0 = process.hrtime.bigint();
  const loaded = loadScenario(file);
  const loadS = seconds(t0);
  // A row (and so an onProgress call, where the heap is sampled) at every period boundary;
  // rows only report, they do not change the simulation.
  const scenario = { ...loaded, output: { ...loaded.output, timeseriesIntervalS: 0 } };
  let progressCalls = 0;
  const t1 = process.hrtime.bigint();
  const result = simulate(scenario, {
    onProgress: () => {
      progressCalls++;
      mon.sampleHeap();
    },
  });
  const simulateS = seconds(t1);
  const memory = await mon.stop();
  const r = result.run;
  return {
    scenario: result.scenario.name, file, loadS, simulateS, memory,
    gpus: r.gpus, nodes: r.nodes, sites: r.sites, finished: r.finished, timeToTrainS: r.timeToTrainS, mfu: r.mfu,
    tokensTrained: r.tokensTrained, failures: r.events.failures, churn: r.events.churn, restarts: r.events.restarts,
    events: r.simulator.events, flowSolves: r.simulator.flowSolves, progressCalls,
  };
}
