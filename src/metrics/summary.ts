/**
 * Turns a finished run's accounts into its summary: time to train, throughput, MFU, a time
 * breakdown per GPU, bytes per link class, GPU-hours, energy and cost. Pure arithmetic on
 * the run state; every figure in SI (seconds, joules, USD, bytes).
 */
import type { RunState } from '../sim/run';
import type { FlopsPerToken } from '../workload/flops';
import { LINK_CLASSES, type LinkClass } from '../platform/platform';
import { peakFor } from '../compute/gpu';

/**
 * GPU power while online but not computing, as a fraction of TDP: communication kernels,
 * memory traffic and idle clocks. [M] assumption: an idle H100 draws ~70–100 W of 700 W and
 * NCCL kernels keep SMs partly busy; 0.3 sits between.
 */
export const NON_COMPUTE_POWER_FRACTION = 0.3;

export interface TimeBreakdown {
  /** GPU-weighted mean seconds per GPU of the platform; the parts sum to timeToTrainS. */
  readonly computeS: number;
  readonly communicationS: number;
  readonly bubbleS: number;
  readonly idleS: number;
  readonly failureS: number;
  readonly checkpointS: number;
  /** Time the GPU was not part of the network (churned out, or under repair). */
  readonly offlineS: number;
}

export interface SiteWork {
  readonly site: string;
  readonly kind: string;
  readonly gpus: number;
  readonly onlineGpuS: number;
  readonly computeGpuS: number;
  readonly tokens: number;
  readonly energyJ: number;
  readonly energyCostUsd: number;
  readonly rentalCostUsd: number;
}

export interface RunSummary {
  readonly label: string;
  readonly finished: boolean;
  readonly nodes: number;
  readonly gpus: number;
  readonly gpuTypes: Readonly<Record<string, number>>;
  readonly sites: number;
  readonly timeToTrainS: number;
  readonly tokensTrained: number;
  readonly effectiveTokens: number;
  readonly tokenEfficiency: { readonly value: number; readonly source: string };
  readonly tokensLost: number;
  readonly throughputTokensPerS: number;
  readonly effectiveThroughputTokensPerS: number;
  /** Model FLOP (no recomputation, with attention) / peak FLOP of the GPUs while online. */
  readonly mfu: number;
  /** Executed FLOP of the work that counted (with recomputation, without rolled-back work) / the same peak. */
  readonly hfu: number;
  readonly modelFlopPerToken: number;
  readonly breakdown: TimeBreakdown;
  readonly bytesByLinkClass: Readonly<Record<LinkClass, number>>;
  readonly gpuHours: number;
  readonly energyJ: number;
  readonly energyCostUsd: number;
  readonly rentalCostUsd: number;
  readonly events: { readonly failures: number; readonly churn: number; readonly restarts: number };
  readonly perSite: readonly SiteWork[];
  readonly simulator: { readonly events: number; readonly flowSolves: number };
}

export function summarizeRun(rs: RunState, flops: FlopsPerToken): RunSummary {
  const { platform, committed: acc, engine } = rs;
  const T = engine.now;
  const totalGpus = platform.gpuCount;
  const cats = { computeS: 0, communicationS: 0, bubbleS: 0, idleS: 0, failureS: 0, checkpointS: 0, offlineS: 0 };
  let peakGpuS = 0, energyJ = 0, energyCostUsd = 0, rentalCostUsd = 0, onlineGpuS = 0;
  const gpuTypes: Record<string, number> = {};
  const perSite = platform.sites.map((s) => ({
    site: s.spec.name, kind: s.spec.kind, gpus: 0, onlineGpuS: 0, computeGpuS: 0, tokens: 0, energyJ: 0, energyCostUsd: 0, rentalCostUsd: 0,
  }));
  for (const node of platform.nodes) {
    const i = node.id, g = node.gpus;
    const online = rs.onlineS[i];
    const busy = acc.compute[i] + acc.comm[i] + acc.bubble[i] + rs.failureS[i] + rs.checkpointS[i];
    // Idle is what is left of the online time; round-off can make it a hair negative.
    const idle = Math.max(0, online - busy);
    cats.computeS += g * acc.compute[i];
    cats.communicationS += g * acc.comm[i];
    cats.bubbleS += g * acc.bubble[i];
    cats.failureS += g * rs.failureS[i];
    cats.checkpointS += g * rs.checkpointS[i];
    cats.idleS += g * idle;
    cats.offlineS += g * Math.max(0, T - Math.max(online, busy));
    gpuTypes[node.gpu.id] = (gpuTypes[node.gpu.id] ?? 0) + g;
    peakGpuS += g * online * peakFor(node.gpu, rs.scenario.training.precision);
    onlineGpuS += g * online;
    const site = platform.sites[node.site].spec;
    const e = g * node.gpu.tdpW * site.pue * (acc.compute[i] + NON_COMPUTE_POWER_FRACTION * Math.max(0, online - acc.compute[i]));
    const ps = perSite[node.site];
    energyJ += e;
    energyCostUsd += e * site.electricityUsdPerJ;
    rentalCostUsd += g * online * node.spec.rentalUsdPerGpuS;
    ps.gpus += g;
    ps.onlineGpuS += g * online;
    ps.computeGpuS += g * acc.compute[i];
    ps.tokens += acc.tokens[i];
    ps.energyJ += e;
    ps.energyCostUsd += e * site.electricityUsdPerJ;
    ps.rentalCostUsd += g * online * node.spec.rentalUsdPerGpuS;
  }
  const per = (x: number) => (totalGpus > 0 ? x / totalGpus : 0);
  const breakdown: TimeBreakdown = {
    computeS: per(cats.computeS), communicationS: per(cats.communicationS), bubbleS: per(cats.bubbleS), idleS: per(cats.idleS),
    failureS: per(cats.failureS), checkpointS: per(cats.checkpointS), offlineS: per(cats.offlineS),
  };
  const bytesByLinkClass = Object.fromEntries(LINK_CLASSES.map((c, k) => [c, acc.bytesByClass[k]])) as Record<LinkClass, number>;
  const eff = rs.spec.strategy.tokenEfficiency;
  const safeDiv = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    label: rs.spec.label,
    finished: rs.tokensDone >= rs.scenario.training.tokens,
    nodes: platform.nodes.length,
    gpus: totalGpus,
    gpuTypes,
    sites: platform.sites.length,
    timeToTrainS: T,
    tokensTrained: rs.tokensDone,
    effectiveTokens: rs.tokensDone * eff.value,
    tokenEfficiency: eff,
    tokensLost: rs.tokensLost,
    throughputTokensPerS: safeDiv(rs.tokensDone, T),
    effectiveThroughputTokensPerS: safeDiv(rs.tokensDone * eff.value, T),
    mfu: safeDiv(rs.tokensDone * flops.model, peakGpuS),
    hfu: safeDiv(acc.hardwareFlop, peakGpuS),
    modelFlopPerToken: flops.model,
    breakdown,
    bytesByLinkClass,
    gpuHours: onlineGpuS / 3600,
    energyJ,
    energyCostUsd,
    rentalCostUsd,
    events: { failures: rs.failures, churn: rs.churnEvents, restarts: rs.restarts },
    perSite,
    simulator: { events: engine.processedEvents, flowSolves: rs.net.solves },
  };
}
