/**
 * A synthetic summary.json (schema 2) and timeseries rows for the HTML report's unit tests.
 * Not a test file itself.
 */
import type { Breakdown, RunSummaryJson, SeriesRow, SiteJson, SummaryJson } from '../../../src/report/html/types';

export function breakdown(over: Partial<Breakdown> = {}): Breakdown {
  return { computeS: 600, communicationS: 200, bubbleS: 0, idleS: 100, lostWorkS: 50, restartS: 0, checkpointS: 0, repairS: 0, offlineS: 50, ...over };
}

export function site(name: string, kind: string, gpus: number, over: Partial<SiteJson> = {}): SiteJson {
  return {
    site: name, kind, costModel: kind === 'hyperscaler' ? 'rental' : 'owned', gpus, onlineGpuS: gpus * 900, computeGpuS: gpus * 600, tokens: 1e9 * gpus,
    energyJ: 1e9, costUsd: 100 * gpus, cost: { rentalUsd: kind === 'hyperscaler' ? 100 * gpus : 0, depreciationUsd: kind === 'hyperscaler' ? 0 : 60 * gpus, hostingUsd: 0, electricityUsd: kind === 'hyperscaler' ? 0 : 40 * gpus },
    ...over,
  };
}

export function run(label: string, over: Partial<RunSummaryJson> = {}): RunSummaryJson {
  return {
    label, finished: true, progress: 1, nodes: 3, gpus: 24, gpuTypes: { 'h100-sxm': 16, 'rtx-4090': 8 }, sites: 2,
    timeToTrainS: 1000, tokensTrained: 1e11, effectiveTokens: 8.4e10, tokenEfficiency: { value: 0.84, source: 'MIRI heuristic' },
    tokensLost: 1e8, throughputTokensPerS: 1e8, effectiveThroughputTokensPerS: 8.4e7, mfu: 0.3, mfuFleet: 0.25, hfu: 0.4, modelFlopPerToken: 4e10,
    breakdown: breakdown(), bytesByLinkClass: { 'intra-node': 1, nic: 1, fabric: 1, 'wan-access': 2, 'wan-path': 1 }, wanBytesSent: 1e12,
    gpuHours: 240, energyJ: 3.6e9, costUsd: 2400, cost: { rentalUsd: 0, depreciationUsd: 1500, hostingUsd: 0, electricityUsd: 900 },
    events: { failures: 1, churn: 3, restarts: 0, discardedRounds: 3, sitOutLayouts: 0 },
    perSite: [site('dc', 'tier2', 16), site('home', 'home', 8)],
    ...over,
  };
}

export function summary(over: Partial<SummaryJson> = {}): SummaryJson {
  const baseline = run('cluster', {
    timeToTrainS: 100, effectiveTokens: 1e11, tokenEfficiency: { value: 1, source: 'synchronous training is the reference' }, gpuTypes: { 'h100-sxm': 64 }, gpus: 64,
    costUsd: 2000, perSite: [site('h100-cluster', 'hyperscaler', 64)], breakdown: breakdown({ offlineS: 0, lostWorkS: 0, idleS: 0 }),
  });
  return {
    schemaVersion: 2,
    scenario: { name: 'unit', file: 'unit.yaml', description: 'a unit-test scenario', seed: 1, model: 'tiny', params: 3e7, tokens: 1e11 },
    run: run('network'), baseline,
    comparison: { bothFinished: true, timeToTrainRatio: 10, effectiveTimeRatio: 11.9, costRatio: 1.2, energyRatio: 1 },
    ...over,
  };
}

export function row(runLabel: string, timeS: number, tokens: number, over: Partial<SeriesRow> = {}): SeriesRow {
  return { run: runLabel, timeS, tokens, effectiveTokens: tokens * 0.84, tokensLost: 0, activeNodes: 3, activeGpus: 24, periodS: 100, throughputTokensPerS: 1e8, event: 'step', gpusByType: {}, ...over };
}
