/** dtsim's public API: load a scenario, simulate it, format or write the results. */
export { loadScenario, scenarioFromTree, readScenarioTree, applyOverrides, ScenarioError } from './scenario/load';
export { scenarioJsonSchema } from './scenario/schema';
export type { Scenario, RunSpec, StrategySpec, Topology, SiteSpec, FaultSpec } from './scenario/types';
export { simulate, SUMMARY_SCHEMA_VERSION, type SimulationResult, type SimulateOptions } from './sim/simulate';
export { simulateRun, type TimeseriesRow } from './sim/run';
export type { RunSummary, TimeBreakdown } from './result/summary';
export { loadCatalog, getGpu, formatCatalog } from './compute/catalog';
export type { GpuSpec } from './compute/gpu';
export { MODEL_PRESETS, getPreset } from './workload/presets';
export { paramCount, type ModelShape } from './workload/model';
export { flopsPerToken, megatronFlopsPerIteration } from './workload/flops';
export { memoryPerGpu, fitAdvice } from './workload/memory';
export { Engine } from './engine/engine';
export { FlowNetwork } from './network/flows';
export { maxMinRates } from './network/maxmin';
export { formatSummary } from './report/text';
export { resultJson } from './report/write';
export { InfeasibleLayout } from './strategy/layout';
