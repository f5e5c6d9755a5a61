/**
 * A sweep simulates a baseline once and shares it: each point runs only its system, and its
 * summary is composed here with the shared baseline. `composeResult` builds exactly what
 * simulate() returns for the full scenario (the same fields in the same order, the same
 * comparison), so a point's summary.json is byte-identical to `dtsim run`'s; test/sweep checks
 * this against simulate().
 */
import { compareRuns, type SimulationResult } from '../sim/simulate';
import type { Scenario } from '../scenario/types';
import { canonical, sha256 } from './plan';

export type RunSummary = SimulationResult['run'];
/** What summary.json holds: the result without in-memory extras (see worker.ts). */
export type PlainResult = Omit<SimulationResult, 'details'>;

/** The result of a run simulated without its baseline, completed with the shared baseline summary. */
export function composeResult(runOnly: PlainResult, baseline: RunSummary | null): PlainResult {
  if (!baseline) return runOnly;
  return { ...runOnly, baseline, comparison: compareRuns(runOnly.run, baseline) };
}

/**
 * What a baseline's summary depends on: the seed, the model, the training, the output settings
 * and the resolved baseline system. Points with the same key share one baseline simulation.
 */
export function baselineKey(s: Scenario): string | null {
  if (!s.baseline) return null;
  return sha256(canonical({ seed: s.seed, model: s.model, training: s.training, output: s.output, baseline: s.baseline }));
}
