/**
 * Raw (validated) scenario → resolved Scenario: presets looked up, defaults applied from the
 * catalog, sites replicated. Problems that need cross-field knowledge are reported as issues
 * with their field path, like schema errors.
 */
import type { Catalog, SiteDefaults } from '../compute/catalog';
import { GpuTable, buildScenarioGpu, resolveGpuObject } from '../calibrate/apply';
import type { GpuSpec } from '../compute/gpu';
import { getPreset, MODEL_PRESETS } from '../workload/presets';
import { shapeFromParams, type ModelShape } from '../workload/model';
import { tensorParallelValid } from '../workload/flops';
import { checkpointBytes } from '../workload/memory';
import type { RawScenario, RawSystem } from './schema';
import type { NodeGroupSpec, RunSpec, Scenario, SiteSpec, StrategySpec } from './types';
import { COMPRESSION, defaultTokenEfficiency } from '../strategy/methods';
import { resolveTimeline } from './timeline';
import { resolveEconomy } from './economy';
import { coupleEconomy, type CoupledEconomy } from './couple';

/** Reserve nodes the economy can bring in, per day-0 GPU of each cohort class. */
const ECONOMY_RESERVE = 8;

type RawNodeGroup = RawSystem['sites'][number]['nodes'][number];

export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** Storage bandwidth for checkpoint writes when a scenario gives neither time nor bandwidth: 10 GB/s per site [M]. */
const DEFAULT_STORAGE_BYTES_PER_S = 10e9;
/** Default simulated-time limit: 10 years. */
const DEFAULT_MAX_TIME_S = 10 * 365 * 86400;

export function resolveScenario(raw: RawScenario, file: string, catalog: Catalog): { scenario?: Scenario; issues: Issue[] } {
  const issues: Issue[] = [];
  const issue = (path: string, message: string) => issues.push({ path, message });

  // GPUs: catalog plus the scenario's own.
  const gpus = new GpuTable(catalog.gpus, file);
  raw.gpus.forEach((g, i) => {
    try {
      const spec = buildScenarioGpu(g, `gpus[${i}]`, gpus);
      gpus.set(spec.id, spec);
    } catch (e) {
      issue(`gpus[${i}]`, (e as Error).message);
    }
  });

  const model = resolveModel(raw.model, issue);
  if (!model) return { issues };
  const t = raw.training;
  const seqs = t.batchSequences ?? (t.batchTokens !== undefined ? t.batchTokens / model.seqLength : undefined);
  if (seqs === undefined) issue('training.batchTokens', 'expected batchTokens or batchSequences');
  else if (seqs < 1) issue(t.batchSequences !== undefined ? 'training.batchSequences' : 'training.batchTokens', `expected at least one sequence per step (${model.seqLength} tokens), got ${seqs * model.seqLength}`);
  const training = {
    tokens: t.tokens,
    globalBatchTokens: (seqs ?? 1) * model.seqLength,
    microBatchSeqs: t.microBatch,
    precision: t.precision,
    recompute: t.recompute,
    flashAttention: t.flashAttention,
    weightBytesPerParam: t.weightBytesPerParam,
    gradBytesPerParam: t.gradBytesPerParam,
    optimizerBytesPerParam: t.optimizerBytesPerParam,
  } as const;
  if (t.tokens <= 0) issue('training.tokens', 'expected a positive number of tokens');

  let run = resolveSystem(raw.system, 'system', model, catalog, gpus, issue, 'system');
  const baseline = raw.baseline ? resolveSystem(raw.baseline, 'baseline', model, catalog, gpus, issue, 'baseline') : null;
  const rawEconomy = raw.economy ? resolveEconomy(raw.economy, { gpus, sites: catalog.defaults.sites }, issue) : null;
  if (issues.length > 0 || !run) return { issues };
  let economy: CoupledEconomy | null = null;
  if (rawEconomy) ({ economy, run } = coupleEconomy(rawEconomy, run, raw.economy?.reserve ?? ECONOMY_RESERVE));
  const name = raw.name ?? file.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/i, '');
  return {
    issues,
    scenario: {
      name, description: raw.description, file, seed: raw.seed, model, training, run, baseline,
      output: { timeseriesIntervalS: raw.output.timeseriesInterval }, economy,
    },
  };
}

function resolveModel(raw: RawScenario['model'], issue: (p: string, m: string) => void): ModelShape | null {
  const known = () => [...MODEL_PRESETS.keys()].join(', ');
  if (typeof raw === 'string') {
    if (!MODEL_PRESETS.has(raw)) {
      issue('model', `unknown model preset '${raw}'; expected one of: ${known()}`);
      return null;
    }
    return getPreset(raw);
  }
  let base: ModelShape | null = null;
  if (raw.preset !== undefined) {
    if (!MODEL_PRESETS.has(raw.preset)) {
      issue('model.preset', `unknown model preset '${raw.preset}'; expected one of: ${known()}`);
      return null;
    }
    base = getPreset(raw.preset);
  } else if (raw.params !== undefined) {
    base = shapeFromParams(raw.params);
  }
  const merged = {
    name: base?.name ?? 'custom',
    layers: raw.layers ?? base?.layers, hidden: raw.hidden ?? base?.hidden, heads: raw.heads ?? base?.heads,
    kvHeads: raw.kvHeads ?? base?.kvHeads ?? raw.heads ?? base?.heads, ffnHidden: raw.ffnHidden ?? base?.ffnHidden,
    ffnKind: raw.ffn ?? base?.ffnKind ?? 'gelu', vocab: raw.vocab ?? base?.vocab, seqLength: raw.seqLength ?? base?.seqLength,
    tiedEmbeddings: raw.tiedEmbeddings ?? base?.tiedEmbeddings ?? false,
    positionEmbeddings: raw.positionEmbeddings ?? base?.positionEmbeddings ?? false,
  };
  for (const k of ['layers', 'hidden', 'heads', 'vocab', 'seqLength'] as const) {
    if (merged[k] === undefined) issue(`model.${k}`, 'expected a positive integer (or give a preset or params)');
  }
  if (merged.ffnHidden === undefined && merged.hidden !== undefined) merged.ffnHidden = 4 * merged.hidden;
  if (merged.heads && merged.hidden && merged.hidden % merged.heads !== 0) issue('model.heads', `expected heads to divide hidden ${merged.hidden}`);
  if (merged.heads && merged.kvHeads && merged.heads % merged.kvHeads !== 0) issue('model.kvHeads', `expected kvHeads to divide heads ${merged.heads}`);
  return Object.values(merged).some((v) => v === undefined) ? null : (merged as ModelShape);
}

function resolveSystem(raw: RawSystem, label: string, model: ModelShape, catalog: Catalog, gpus: Map<string, GpuSpec>,
  issue: (p: string, m: string) => void, at: string): RunSpec | null {
  const d = catalog.defaults;
  const sites: SiteSpec[] = [];
  const baseNames: string[] = [];
  const groupFor: ((raw: { gpu: string; count: number; gpusPerNode: number }, path: string) => NodeGroupSpec | null)[] = [];
  raw.sites.forEach((s, si) => {
    const sp = `${at}.sites[${si}]`;
    const sd: SiteDefaults = d.sites[s.kind];
    const fabricId = s.fabric ?? sd.fabric?.id ?? null;
    const fabric = fabricId === null ? null : d.scaleOutFabrics[fabricId];
    if (fabricId !== null && !fabric) issue(`${sp}.fabric`, `unknown fabric '${fabricId}'; expected one of: ${Object.keys(d.scaleOutFabrics).join(', ')}`);
    let wan = { uplinkBytesPerS: sd.access.upBytesPerS, downlinkBytesPerS: sd.access.downBytesPerS, latencyS: sd.access.latencyS };
    if (typeof s.wan === 'string') {
      const a = d.accessLinks[s.wan];
      if (!a) issue(`${sp}.wan`, `unknown access link '${s.wan}'; expected one of: ${Object.keys(d.accessLinks).join(', ')}, or {up, down, latency}`);
      else wan = { uplinkBytesPerS: a.upBytesPerS, downlinkBytesPerS: a.downBytesPerS, latencyS: a.latencyS };
    } else if (s.wan) {
      wan = { uplinkBytesPerS: s.wan.up, downlinkBytesPerS: s.wan.down, latencyS: s.wan.latency };
    }
    if (s.region !== undefined) {
      try {
        catalog.regions.rttS(s.region, s.region);
      } catch (e) {
        issue(`${sp}.region`, (e as Error).message);
      }
    }
    /** A node group of this site, with the site kind's defaults; null after reporting an issue. */
    const nodeGroup = (n: RawNodeGroup, np: string): NodeGroupSpec | null => {
      let gpu: GpuSpec | undefined;
      if (typeof n.gpu === 'string') {
        gpu = gpus.get(n.gpu);
        if (!gpu) issue(`${np}.gpu`, `unknown GPU '${n.gpu}'; expected one of: ${[...gpus.keys()].join(', ')} (or define it under gpus:)`);
      } else {
        try {
          gpu = resolveGpuObject(n.gpu, `${np}.gpu`, gpus);
        } catch (e) {
          issue(`${np}.gpu`, (e as Error).message);
        }
      }
      if (!gpu) return null;
      let intra = { bandwidthBytesPerS: gpu.intraNode.bandwidthBytesPerS, latencyS: gpu.intraNode.latencyS };
      if (typeof n.intraNode === 'string') {
        const p = d.intraNodeLinks[n.intraNode];
        if (!p) issue(`${np}.intraNode`, `unknown intra-node link '${n.intraNode}'; expected one of: ${Object.keys(d.intraNodeLinks).join(', ')}`);
        else intra = { bandwidthBytesPerS: p.bandwidthBytesPerS * p.achievedFraction, latencyS: p.latencyS };
      } else if (n.intraNode) {
        intra = { bandwidthBytesPerS: n.intraNode.bandwidth, latencyS: n.intraNode.latency };
      } else {
        // Collectives reach only part of the line rate (NCCL busBw / line rate).
        const preset = d.intraNodeLinks[gpu.intraNode.kind];
        intra = { bandwidthBytesPerS: gpu.intraNode.bandwidthBytesPerS * (preset?.achievedFraction ?? 1), latencyS: gpu.intraNode.latencyS };
      }
      // Default NIC: the site's fabric ports, counted per 8-GPU server (nicsPerNode is for one),
      // at the rate collectives reach. A machine without a fabric is never limited by its LAN.
      const ports = Math.max(1, Math.round(((sd.nicsPerNode ?? 1) * n.gpusPerNode) / 8));
      const nic = n.nic ?? (fabric ? fabric.bandwidthBytesPerS * fabric.achievedFraction * ports : Infinity);
      return {
        gpu, count: n.count, gpusPerNode: n.gpusPerNode, intraNode: intra, nicBytesPerS: nic,
        rentalUsdPerGpuS: n.rental ?? gpu.rentalUsdPerS ?? 0,
        capexUsdPerGpu: n.price ?? (gpu.priceUsd ?? 0) * sd.serverOverhead,
        nodeMtbfS: (n.mtbf ?? gpu.mtbfS * sd.mtbfMultiplier) / n.gpusPerNode,
        slowdown: n.slowdown,
      };
    };
    const nodes = s.nodes.flatMap((n, ni) => nodeGroup(n, `${sp}.nodes[${ni}]`) ?? []);
    for (let c = 0; c < s.count; c++) {
      sites.push({
        name: s.count > 1 ? `${s.name}-${c + 1}` : s.name, kind: s.kind, region: s.region ?? null, nodes,
        fabric: { latencyS: s.fabricLatency ?? fabric?.latencyS ?? 0, oversubscription: s.oversubscription ?? sd.oversubscription ?? 1 },
        wan, pue: s.pue ?? sd.pue, electricityUsdPerJ: s.electricity ?? sd.electricityUsdPerJ,
        cost: {
          model: s.cost ?? sd.costModel, wallPerTdp: sd.wallPerTdp,
          hostingUsdPerWS: s.hosting ?? sd.colocationUsdPerWS ?? 0, depreciationS: s.depreciation ?? sd.depreciationS,
        },
      });
      baseNames.push(s.name);
      groupFor.push((raw, path) => nodeGroup({ ...raw, slowdown: 1 } as RawNodeGroup, path));
    }
  });

  const maxTimeS = raw.engine.maxTime ?? DEFAULT_MAX_TIME_S;
  const pairRegions = new Set(raw.wan.matrix ? sites.flatMap((x) => (x.region === null ? [] : [x.region])) : []);
  const timeline = resolveTimeline({
    events: raw.timeline, sites, baseNames, horizonS: maxTimeS, gpuIds: new Set(gpus.keys()), pairRegions,
    nodeGroup: (site, g, path) => groupFor[site](g, path),
  }, issue, at);

  const st = raw.strategy;
  const sp = `${at}.strategy`;
  if (!tensorParallelValid(model, st.tensorParallel)) issue(`${sp}.tensorParallel`, `expected a divisor of heads ${model.heads}, kvHeads ${model.kvHeads} and ffnHidden ${model.ffnHidden}, got ${st.tensorParallel}`);
  for (const s of sites) for (const n of s.nodes) {
    if (n.gpusPerNode % st.tensorParallel !== 0) issue(`${sp}.tensorParallel`, `expected tensorParallel to divide gpusPerNode (${n.gpusPerNode} at site ${s.name}); tensor parallelism stays inside a node`);
  }
  if (st.kind === 'diloco' && st.innerSteps === undefined) issue(`${sp}.innerSteps`, 'expected the number of inner steps H for DiLoCo');
  if (st.kind !== 'pipeline' && st.pipelineParallel > 1) issue(`${sp}.pipelineParallel`, `expected 1 for kind ${st.kind}; use kind: pipeline`);
  if (st.kind === 'diloco' && st.pipelineParallel > 1) issue(`${sp}.pipelineParallel`, 'pipelined DiLoCo groups are not supported yet');
  const compression = typeof st.compression === 'string' ? COMPRESSION[st.compression]
    : { ...COMPRESSION[st.compression.kind], ...st.compression };
  const innerSteps = st.innerSteps ?? 1;
  const strategy: StrategySpec = {
    kind: st.kind, tensorParallel: st.tensorParallel, pipelineParallel: st.pipelineParallel, zeroStage: st.zero,
    allReduce: st.allReduce, overlap: st.overlap, buckets: st.buckets, schedule: st.schedule, placement: st.placement,
    heterogeneity: st.heterogeneity, compression,
    diloco: st.kind === 'diloco' ? { innerSteps, groups: st.groups ?? 'site', streaming: st.streaming } : null,
    tokenEfficiency: st.tokenEfficiency !== undefined ? { value: st.tokenEfficiency, source: 'scenario' } : defaultTokenEfficiency(st.kind, innerSteps),
    recovery: st.recovery ?? (st.kind === 'diloco' ? 'elastic' : 'checkpoint-restart'),
  };

  const f = raw.faults;
  const churnDefaults = d.faults.homeChurn;
  const churn = f.churn === false ? null : f.churn === true
    ? { siteKinds: ['home'] as const, meanOnlineS: churnDefaults.meanOnlineS, meanOfflineS: churnDefaults.meanOfflineS, shape: 1 }
    : { siteKinds: f.churn.kinds, meanOnlineS: f.churn.meanOnline ?? churnDefaults.meanOnlineS, meanOfflineS: f.churn.meanOffline ?? churnDefaults.meanOfflineS, shape: f.churn.shape };
  const ckptBytes = checkpointBytes(model, d.checkpoint.bytesPerParam);
  const writeS = f.checkpoint.write ?? ckptBytes / (f.checkpoint.storageBandwidth ?? DEFAULT_STORAGE_BYTES_PER_S);
  const repairS = f.repair ?? Math.max(...raw.sites.map((s) => d.sites[s.kind].repairS));
  const wan = raw.wan;
  return {
    label: raw.label ?? label,
    topology: {
      sites,
      wan: {
        matrix: wan.matrix, backboneLatencyS: wan.backboneLatency,
        tcpWindowBytes: wan.tcpWindow === undefined ? d.tcp.windowBytes : wan.tcpWindow,
        streams: wan.streams ?? d.tcp.streamsPerTransfer,
      },
    },
    strategy,
    faults: {
      failures: f.failures, repairS, restartS: f.restart ?? d.faults.jobRestartS, churn,
      checkpoint: { intervalS: f.checkpoint.interval === 'auto' ? null : f.checkpoint.interval, writeS },
      stragglers: f.stragglers ?? null,
    },
    timeline,
    engine: { fastForward: raw.engine.fastForward, maxTimeS, maxEvents: raw.engine.maxEvents },
  };
}
