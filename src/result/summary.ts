/**
 * A run's summary from its result: time to train, throughput, MFU, a time breakdown per GPU
 * by cause, bytes, GPU-hours, energy and cost, overall and per site. Pure arithmetic on a
 * RunResult; every figure in SI (seconds, joules, USD, bytes).
 */
import type { CalibratedGpu, RunResult, NodeResult } from './result';
import { LINK_CLASSES, type LinkClass } from '../platform/platform';

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
  /** Offline because its owner took the machine away (churn). */
  readonly offlineS: number;
  /** Down in a site outage (timeline). */
  readonly outageS: number;
  /** Not part of the fleet: before a timeline added it, after it was removed or its GPUs withheld. */
  readonly absentS: number;
  /** `communicationS` split by the widest network the collective crossed. */
  readonly communicationByScope: { readonly intraNodeS: number; readonly siteS: number; readonly wanS: number };
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
  /** The site's time breakdown: mean seconds per GPU of the site. */
  readonly breakdown: TimeBreakdown;
}

export interface RunSummary {
  readonly label: string;
  readonly finished: boolean;
  /** finished, or why not: the time limit (engine.maxTime) or the event limit (engine.maxEvents). */
  readonly stopReason: 'finished' | 'time-limit' | 'event-limit';
  /** tokensTrained ÷ the scenario's token budget (1 when finished). */
  readonly progress: number;
  readonly nodes: number;
  readonly gpus: number;
  readonly gpuTypes: Readonly<Record<string, number>>;
  /** Per GPU type: where its efficiency curve came from ('default', or 'profile <file>' from dtsim calibrate). */
  readonly efficiencySources: Readonly<Record<string, string>>;
  /** GPU classes run on measured profiles and their curves (absent when none was). */
  readonly calibration?: readonly CalibratedGpu[];
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
    /** Distinct memberships in which DiLoCo groups that could not be laid out sat out while the others trained. */
    readonly sitOutLayouts: number;
    /** Periods (DiLoCo rounds) trained with some groups sitting out. */
    readonly sitOutPeriods: number;
    /** Nodes taken down by site outages (an outage of a site of n nodes counts n); dated timeline changes applied, outage ends included. */
    readonly outages: number;
    readonly timelineEvents: number;
  };
  readonly perSite: readonly SiteWork[];
  readonly simulator: { readonly events: number; readonly flowSolves: number; readonly replayedGroupRounds: number; readonly replayedSyncs: number };
}

type MutableCost = { -readonly [K in keyof CostBreakdown]: number };
const zeroCost = (): MutableCost => ({ rentalUsd: 0, depreciationUsd: 0, hostingUsd: 0, electricityUsd: 0 });
const costTotal = (c: CostBreakdown) => c.rentalUsd + c.depreciationUsd + c.hostingUsd + c.electricityUsd;

type Cats = { -readonly [K in Exclude<keyof TimeBreakdown, 'communicationByScope'>]: number } & { commIntra: number; commWan: number };
const zeroCats = (): Cats => ({
  computeS: 0, communicationS: 0, bubbleS: 0, idleS: 0, lostWorkS: 0, restartS: 0, checkpointS: 0, repairS: 0, offlineS: 0, outageS: 0, absentS: 0,
  commIntra: 0, commWan: 0,
});

/** Adds g GPUs × node n's seconds by cause to `c` (down time split by the recorded causes). */
function addNode(c: Cats, n: NodeResult, T: number): void {
  const g = n.gpus;
  const busy = n.computeS + n.commS + n.bubbleS + n.lostWorkS + n.restartS + n.checkpointS;
  // Idle is what is left of the online time; round-off can make it a hair negative.
  const idle = Math.max(0, n.onlineS - busy);
  const down = Math.max(0, T - Math.max(n.onlineS, busy));
  const d = n.down, recorded = d.absentS + d.outageS + d.repairS + d.churnS;
  const share = (x: number) => (recorded > 0 ? x / recorded : 0);
  c.computeS += g * n.computeS;
  c.communicationS += g * n.commS;
  c.commIntra += g * n.commIntraS;
  c.commWan += g * n.commWanS;
  c.bubbleS += g * n.bubbleS;
  c.lostWorkS += g * n.lostWorkS;
  c.restartS += g * n.restartS;
  c.checkpointS += g * n.checkpointS;
  c.idleS += g * idle;
  c.repairS += g * down * share(d.repairS);
  c.outageS += g * down * share(d.outageS);
  c.absentS += g * down * share(d.absentS);
  // Churn takes what is left, so the parts sum to T even when no stretch was recorded.
  c.offlineS += g * down * (recorded > 0 ? share(d.churnS) : 1);
}

function breakdownOf(c: Cats, gpus: number): TimeBreakdown {
  const per = (x: number) => (gpus > 0 ? x / gpus : 0);
  return {
    computeS: per(c.computeS), communicationS: per(c.communicationS), bubbleS: per(c.bubbleS), idleS: per(c.idleS),
    lostWorkS: per(c.lostWorkS), restartS: per(c.restartS), checkpointS: per(c.checkpointS), repairS: per(c.repairS),
    offlineS: per(c.offlineS), outageS: per(c.outageS), absentS: per(c.absentS),
    communicationByScope: {
      intraNodeS: per(c.commIntra), siteS: per(c.communicationS - c.commIntra - c.commWan), wanS: per(c.commWan),
    },
  };
}

/** A node held in reserve for the economy that its operators never bought: not part of the system run. */
const neverJoined = (n: NodeResult) => n.joinAtS === Infinity && n.onlineS === 0 && n.tokens === 0;

export function summarizeRun(r: RunResult): RunSummary {
  const T = r.timeS;
  const nodes = r.nodes.filter((n) => !neverJoined(n));
  const totalGpus = nodes.reduce((n, x) => n + x.gpus, 0);
  const cats = zeroCats();
  let peakOnlineFlop = 0, peakFleetFlop = 0, energyJ = 0, onlineGpuS = 0;
  const cost = zeroCost();
  const gpuTypes: Record<string, number> = {};
  const efficiencySources: Record<string, string> = {};
  const perSite = r.sites.map((s) => ({
    site: s.name, kind: s.kind, costModel: s.cost.model, gpus: 0, onlineGpuS: 0, computeGpuS: 0, tokens: 0, energyJ: 0,
    cost: zeroCost(), cats: zeroCats(),
  }));
  for (const node of nodes) {
    const g = node.gpus, online = node.onlineS;
    addNode(cats, node, T);
    gpuTypes[node.gpu] = (gpuTypes[node.gpu] ?? 0) + g;
    efficiencySources[node.gpu] = node.efficiencySource;
    peakOnlineFlop += g * online * node.peakFlopS;
    peakFleetFlop += g * T * node.peakFlopS;
    onlineGpuS += g * online;
    const site = r.sites[node.site];
    const wallW = node.tdpW * site.cost.wallPerTdp;
    const e = g * wallW * site.pue * (node.computeS + NON_COMPUTE_POWER_FRACTION * Math.max(0, online - node.computeS));
    const ps = perSite[node.site];
    energyJ += e;
    const c = ps.cost;
    if (site.cost.model === 'rental') {
      c.rentalUsd += g * online * node.rentalUsdPerGpuS * node.priceFactor.rental;
    } else {
      c.depreciationUsd += g * online * node.capexUsdPerGpu / site.cost.depreciationS;
      c.hostingUsd += g * online * wallW * site.cost.hostingUsdPerWS;
      c.electricityUsd += e * site.electricityUsdPerJ * node.priceFactor.electricity;
    }
    addNode(ps.cats, node, T);
    ps.gpus += g;
    ps.onlineGpuS += g * online;
    ps.computeGpuS += g * node.computeS;
    ps.tokens += node.tokens;
    ps.energyJ += e;
  }
  for (const ps of perSite) for (const k of Object.keys(cost) as (keyof MutableCost)[]) cost[k] += ps.cost[k];
  const bytesByLinkClass = Object.fromEntries(LINK_CLASSES.map((c) => [c, r.bytesByClass[c]])) as Record<LinkClass, number>;
  const eff = r.tokenEfficiency;
  const safeDiv = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    label: r.label,
    finished: r.tokensDone >= r.targetTokens,
    stopReason: r.stopReason,
    progress: Math.min(1, safeDiv(r.tokensDone, r.targetTokens)),
    nodes: nodes.length,
    gpus: totalGpus,
    gpuTypes,
    efficiencySources,
    ...(r.calibrated.length > 0 ? { calibration: r.calibrated } : {}),
    sites: new Set(nodes.map((n) => n.site)).size,
    timeToTrainS: T,
    tokensTrained: r.tokensDone,
    effectiveTokens: r.tokensDone * eff.value,
    tokenEfficiency: eff,
    tokensLost: r.tokensLost,
    throughputTokensPerS: safeDiv(r.tokensDone, T),
    effectiveThroughputTokensPerS: safeDiv(r.tokensDone * eff.value, T),
    mfu: safeDiv(r.tokensDone * r.modelFlopPerToken, peakOnlineFlop),
    mfuFleet: safeDiv(r.tokensDone * r.modelFlopPerToken, peakFleetFlop),
    hfu: safeDiv(r.hardwareFlop, peakOnlineFlop),
    modelFlopPerToken: r.modelFlopPerToken,
    breakdown: breakdownOf(cats, totalGpus),
    bytesByLinkClass,
    wanBytesSent: r.wanBytes,
    gpuHours: onlineGpuS / 3600,
    energyJ,
    costUsd: costTotal(cost),
    cost,
    events: {
      failures: r.events.failures, churn: r.events.churn, restarts: r.events.restarts, discardedRounds: r.events.discardedRounds,
      sitOutLayouts: r.events.sitOutLayouts, sitOutPeriods: r.events.sitOutPeriods, outages: r.events.outages, timelineEvents: r.events.timeline,
    },
    perSite: perSite.filter((p) => p.gpus > 0)
      .map(({ cost: c, cats: sc, ...rest }) => ({ ...rest, costUsd: costTotal(c), cost: c, breakdown: breakdownOf(sc, rest.gpus) })),
    simulator: r.simulator,
  };
}
