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
  /** Online, not working: waiting for peers, for a layout, or after training ended for this node. */
  readonly idleS: number;
  /** Work that did not count: rolled back to a checkpoint, a discarded DiLoCo round, an interrupted step. */
  readonly lostWorkS: number;
  /** Waiting for the job to restart after a member failed or left (checkpoint-restart runs). */
  readonly restartS: number;
  readonly checkpointS: number;
  /** Down under repair after a failure. */
  readonly repairS: number;
  /** Offline because its owner took the machine away (churn), or not yet online. */
  readonly offlineS: number;
}

export interface CostBreakdown {
  /** Rented GPUs (cost: rental): the rental price, which covers power, hosting and hardware. */
  readonly rentalUsd: number;
  /** Owned GPUs (cost: owned): straight-line depreciation of the all-in capital cost while online. */
  readonly depreciationUsd: number;
  /** Owned GPUs: colocation per kW of wall power while online. */
  readonly hostingUsd: number;
  /** Owned GPUs: electricity (rented GPUs' power is inside the rental price). */
  readonly electricityUsd: number;
}

export interface SiteWork {
  readonly site: string;
  readonly kind: string;
  readonly costModel: 'rental' | 'owned';
  readonly gpus: number;
  readonly onlineGpuS: number;
  readonly computeGpuS: number;
  readonly tokens: number;
  readonly energyJ: number;
  readonly costUsd: number;
  readonly cost: CostBreakdown;
}

export interface RunSummary {
  readonly label: string;
  readonly finished: boolean;
  /** tokensTrained ÷ the scenario's token budget (1 when finished). */
  readonly progress: number;
  readonly nodes: number;
  readonly gpus: number;
  readonly gpuTypes: Readonly<Record<string, number>>;
  readonly sites: number;
  /** Simulated time at the end: time to train when finished, else the time limit reached. */
  readonly timeToTrainS: number;
  readonly tokensTrained: number;
  readonly effectiveTokens: number;
  readonly tokenEfficiency: { readonly value: number; readonly source: string };
  readonly tokensLost: number;
  readonly throughputTokensPerS: number;
  readonly effectiveThroughputTokensPerS: number;
  /** Model FLOP (no recomputation, with attention) of the raw tokens / peak FLOP of the GPUs while online. */
  readonly mfu: number;
  /** The same model FLOP / peak FLOP of every GPU of the fleet over the whole run, online or not. */
  readonly mfuFleet: number;
  /** Executed FLOP (with recomputation, without rolled-back work) / peak FLOP while online. */
  readonly hfu: number;
  readonly modelFlopPerToken: number;
  readonly breakdown: TimeBreakdown;
  /** Bytes delivered across links of each class; a transfer counts on every link of its path. */
  readonly bytesByLinkClass: Readonly<Record<LinkClass, number>>;
  /** Bytes of transfers that crossed the WAN, each counted once. */
  readonly wanBytesSent: number;
  readonly gpuHours: number;
  readonly energyJ: number;
  /** rental + depreciation + hosting + electricity. */
  readonly costUsd: number;
  readonly cost: CostBreakdown;
  readonly events: {
    readonly failures: number;
    readonly churn: number;
    readonly restarts: number;
    /** DiLoCo group-rounds (or elastic steps) whose work was discarded because a member left. */
    readonly discardedRounds: number;
    /** Memberships in which DiLoCo groups that could not be laid out sat out while the others trained. */
    readonly sitOutLayouts: number;
  };
  readonly perSite: readonly SiteWork[];
  readonly simulator: { readonly events: number; readonly flowSolves: number };
}

type MutableCost = { -readonly [K in keyof CostBreakdown]: number };
const zeroCost = (): MutableCost => ({ rentalUsd: 0, depreciationUsd: 0, hostingUsd: 0, electricityUsd: 0 });
const costTotal = (c: CostBreakdown) => c.rentalUsd + c.depreciationUsd + c.hostingUsd + c.electricityUsd;

export function summarizeRun(rs: RunState, flops: FlopsPerToken): RunSummary {
  const { platform, committed: acc, engine } = rs;
  const T = engine.now;
  const totalGpus = platform.gpuCount;
  const precision = rs.scenario.training.precision;
  const cats = { computeS: 0, communicationS: 0, bubbleS: 0, idleS: 0, lostWorkS: 0, restartS: 0, checkpointS: 0, repairS: 0, offlineS: 0 };
  let peakOnlineFlop = 0, peakFleetFlop = 0, energyJ = 0, onlineGpuS = 0;
  const cost = zeroCost();
  const gpuTypes: Record<string, number> = {};
  const perSite = platform.sites.map((s) => ({
    site: s.spec.name, kind: s.spec.kind, costModel: s.spec.cost.model, gpus: 0, onlineGpuS: 0, computeGpuS: 0, tokens: 0, energyJ: 0,
    cost: zeroCost(),
  }));
  for (const node of platform.nodes) {
    const i = node.id, g = node.gpus;
    const online = rs.onlineS[i];
    const busy = acc.compute[i] + acc.comm[i] + acc.bubble[i] + rs.lostWorkS[i] + rs.restartS[i] + rs.checkpointS[i];
    // Idle is what is left of the online time; round-off can make it a hair negative.
    const idle = Math.max(0, online - busy);
    // Down time, split by cause in proportion to the recorded down stretches.
    const down = Math.max(0, T - Math.max(online, busy));
    const repairDown = rs.repairDownS[i], churnDown = rs.churnDownS[i];
    const repairShare = repairDown + churnDown > 0 ? repairDown / (repairDown + churnDown) : 0;
    cats.computeS += g * acc.compute[i];
    cats.communicationS += g * acc.comm[i];
    cats.bubbleS += g * acc.bubble[i];
    cats.lostWorkS += g * rs.lostWorkS[i];
    cats.restartS += g * rs.restartS[i];
    cats.checkpointS += g * rs.checkpointS[i];
    cats.idleS += g * idle;
    cats.repairS += g * down * repairShare;
    cats.offlineS += g * down * (1 - repairShare);
    gpuTypes[node.gpu.id] = (gpuTypes[node.gpu.id] ?? 0) + g;
    const peak = peakFor(node.gpu, precision);
    peakOnlineFlop += g * online * peak;
    peakFleetFlop += g * T * peak;
    onlineGpuS += g * online;
    const site = platform.sites[node.site].spec;
    const wallW = node.gpu.tdpW * site.cost.wallPerTdp;
    const e = g * wallW * site.pue * (acc.compute[i] + NON_COMPUTE_POWER_FRACTION * Math.max(0, online - acc.compute[i]));
    const ps = perSite[node.site];
    energyJ += e;
    const c = ps.cost;
    if (site.cost.model === 'rental') {
      c.rentalUsd += g * online * node.spec.rentalUsdPerGpuS;
    } else {
      c.depreciationUsd += g * online * node.spec.capexUsdPerGpu / site.cost.depreciationS;
      c.hostingUsd += g * online * wallW * site.cost.hostingUsdPerWS;
      c.electricityUsd += e * site.electricityUsdPerJ;
    }
    ps.gpus += g;
    ps.onlineGpuS += g * online;
    ps.computeGpuS += g * acc.compute[i];
    ps.tokens += acc.tokens[i];
    ps.energyJ += e;
  }
  for (const ps of perSite) for (const k of Object.keys(cost) as (keyof MutableCost)[]) cost[k] += ps.cost[k];
  const per = (x: number) => (totalGpus > 0 ? x / totalGpus : 0);
  const breakdown = Object.fromEntries(Object.entries(cats).map(([k, v]) => [k, per(v)])) as unknown as TimeBreakdown;
  const bytesByLinkClass = Object.fromEntries(LINK_CLASSES.map((c, k) => [c, acc.bytesByClass[k]])) as Record<LinkClass, number>;
  const eff = rs.spec.strategy.tokenEfficiency;
  const safeDiv = (a: number, b: number) => (b > 0 ? a / b : 0);
  const target = rs.scenario.training.tokens;
  return {
    label: rs.spec.label,
    finished: rs.tokensDone >= target,
    progress: Math.min(1, safeDiv(rs.tokensDone, target)),
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
    mfu: safeDiv(rs.tokensDone * flops.model, peakOnlineFlop),
    mfuFleet: safeDiv(rs.tokensDone * flops.model, peakFleetFlop),
    hfu: safeDiv(acc.hardwareFlop, peakOnlineFlop),
    modelFlopPerToken: flops.model,
    breakdown,
    bytesByLinkClass,
    wanBytesSent: acc.wanBytes,
    gpuHours: onlineGpuS / 3600,
    energyJ,
    costUsd: costTotal(cost),
    cost,
    events: { failures: rs.failures, churn: rs.churnEvents, restarts: rs.restarts, discardedRounds: rs.discardedRounds, sitOutLayouts: rs.sitOutLayouts },
    perSite: perSite.map(({ cost: c, ...rest }) => ({ ...rest, costUsd: costTotal(c), cost: c })),
    simulator: { events: engine.processedEvents, flowSolves: rs.net.solves },
  };
}
