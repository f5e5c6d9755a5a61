/**
 * The assumptions that drive a result, as plain data for the report (saved in scenario.json):
 * for each system, every site's fabric, WAN access link, PUE, electricity price and cost model,
 * the measured WAN matrix among its regions, token efficiency, churn and failure handling —
 * each marked as set by the scenario or taken from a default, with the default's source.
 */
import type { Catalog } from '../../compute/catalog';
import type { RunSpec, Scenario } from '../../scenario/types';
import type { Sourced, SystemAssumptions, SiteAssumptions } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const YEAR_S = 365.25 * 86400;
const MONTH_S = YEAR_S / 12;
const KWH_J = 3.6e6;

function sourced<T>(value: T, set: boolean, source: string | undefined): Sourced<T> {
  return set ? { value, from: 'scenario' } : { value, from: 'default', ...(source ? { source } : {}) };
}

/** Raw site entries expanded like the resolver does (count > 1 → name-1, name-2, …). */
function rawSites(rawSystem: unknown): Obj[] {
  const sites = isObj(rawSystem) && Array.isArray(rawSystem.sites) ? rawSystem.sites : [];
  return sites.flatMap((s) => {
    const o = isObj(s) ? s : {};
    const n = typeof o.count === 'number' && o.count > 1 ? o.count : 1;
    return Array.from({ length: n }, () => o);
  });
}

function strategyText(r: RunSpec): string {
  const st = r.strategy;
  const parts: string[] = [];
  if (st.kind === 'diloco' && st.diloco) {
    const g = st.diloco.groups;
    parts.push(`DiLoCo${st.diloco.streaming ? ' (streaming)' : ''}, H = ${st.diloco.innerSteps} inner steps between outer synchronisations, ${g === 'site' ? 'one group per site' : g === 'node' ? 'one group per node' : `${g} groups`}`);
  } else if (st.kind === 'pipeline') parts.push(`pipeline parallel ×${st.pipelineParallel} (${st.schedule})`);
  else parts.push('synchronous data parallel');
  if (st.tensorParallel > 1) parts.push(`tensor parallel ×${st.tensorParallel}`);
  parts.push(st.zeroStage === 3 ? 'ZeRO-3 (FSDP)' : `ZeRO-${st.zeroStage}`);
  parts.push(`${st.allReduce} all-reduce`);
  if (st.compression.kind !== 'none') parts.push(`${st.compression.kind} compression (${st.compression.bytesPerParam} B per parameter)`);
  parts.push(st.recovery === 'elastic' ? 'elastic recovery (a group that loses a node discards its round)' : 'checkpoint-restart recovery');
  return parts.join('; ');
}

function systemAssumptions(role: 'run' | 'baseline', r: RunSpec, rawSystem: unknown, cat: Catalog): SystemAssumptions {
  const d = cat.defaults;
  const raws = rawSites(rawSystem);
  const sys = isObj(rawSystem) ? rawSystem : {};
  const rawStrategy = isObj(sys.strategy) ? sys.strategy : {};
  const rawWan = isObj(sys.wan) ? sys.wan : {};
  const rawFaults = isObj(sys.faults) ? sys.faults : {};

  const sites: SiteAssumptions[] = r.topology.sites.map((s, i) => {
    const raw = raws[i] ?? {};
    const sd = d.sites[s.kind];
    const src = sd.sources;
    const fabricId = typeof raw.fabric === 'string' ? raw.fabric : sd.fabric?.id ?? null;
    const fabric = fabricId ? d.scaleOutFabrics[fabricId] : null;
    const accessId = typeof raw.wan === 'string' ? raw.wan : raw.wan === undefined ? sd.access.id : null;
    const fabricSet = raw.fabric !== undefined || raw.oversubscription !== undefined;
    return {
      name: s.name, kind: s.kind, region: s.region,
      nodeGroups: s.nodes.map((n) => ({
        gpu: n.gpu.id, nodes: n.count, gpusPerNode: n.gpusPerNode,
        intraNodeBytesPerS: n.intraNode.bandwidthBytesPerS,
        nicBytesPerS: Number.isFinite(n.nicBytesPerS) ? n.nicBytesPerS : null,
        nodeMtbfS: n.nodeMtbfS, rentalUsdPerGpuH: n.rentalUsdPerGpuS * 3600, capexUsdPerGpu: n.capexUsdPerGpu,
      })),
      fabric: sourced({ id: fabricId, bytesPerS: fabric ? fabric.bandwidthBytesPerS * fabric.achievedFraction : null, oversubscription: s.fabric.oversubscription }, fabricSet, src.fabric),
      access: sourced({ id: accessId, upBytesPerS: s.wan.uplinkBytesPerS, downBytesPerS: s.wan.downlinkBytesPerS, latencyS: s.wan.latencyS }, raw.wan !== undefined, src.access),
      pue: sourced(s.pue, raw.pue !== undefined, src.pue),
      electricityUsdPerKWh: sourced(s.electricityUsdPerJ * KWH_J, raw.electricity !== undefined, src.electricityPrice),
      costModel: sourced(s.cost.model, raw.cost !== undefined, src.costModel),
      hostingUsdPerKWMonth: sourced(s.cost.hostingUsdPerWS * 1000 * MONTH_S, raw.hosting !== undefined, src.colocationPrice),
      depreciationYears: sourced(s.cost.depreciationS / YEAR_S, raw.depreciation !== undefined, src.depreciation),
    };
  });

  const regions = [...new Set(r.topology.sites.map((s) => s.region).filter((x): x is string => x !== null))];
  const pairs: { a: string; b: string; rttS: number; bytesPerS: number }[] = [];
  if (r.topology.wan.matrix) {
    for (let i = 0; i < regions.length; i++) for (let j = i + 1; j < regions.length; j++) {
      try {
        pairs.push({ a: regions[i], b: regions[j], rttS: cat.regions.rttS(regions[i], regions[j]), bytesPerS: cat.regions.bandwidthBytesPerS(regions[i], regions[j]) });
      } catch {
        // a region the matrix does not know: no measured pair
      }
    }
  }
  const te = r.strategy.tokenEfficiency;
  const f = r.faults;
  const churnSet = rawFaults.churn !== undefined && rawFaults.churn !== true;
  const churnDefaults = isObj(rawFaults.churn) && (rawFaults.churn.meanOnline === undefined || rawFaults.churn.meanOffline === undefined);
  return {
    role, label: r.label,
    strategy: {
      kind: r.strategy.kind, text: strategyText(r),
      tokenEfficiency: sourced(te.value, rawStrategy.tokenEfficiency !== undefined, te.source),
      recovery: r.strategy.recovery,
    },
    sites,
    wan: {
      matrix: r.topology.wan.matrix,
      matrixSource: cat.regions.sources.matrix ?? Object.values(cat.regions.sources)[0] ?? '',
      pairs,
      withinRegion: { rttS: cat.regions.withinRegion.rttS, bytesPerS: cat.regions.withinRegion.bandwidthBytesPerS },
      tcpWindowBytes: sourced(r.topology.wan.tcpWindowBytes, rawWan.tcpWindow !== undefined, d.tcp.sources.window),
      streams: sourced(r.topology.wan.streams, rawWan.streams !== undefined, d.tcp.sources.streamsPerTransfer),
      backboneLatencyS: r.topology.wan.backboneLatencyS,
    },
    faults: {
      failures: f.failures,
      repairS: sourced(f.repairS, rawFaults.repair !== undefined, 'the site kind’s repair time (src/data/defaults.yaml)'),
      restartS: sourced(f.restartS, rawFaults.restart !== undefined, d.faults.sources.jobRestart),
      checkpointIntervalS: f.checkpoint.intervalS,
      checkpointWriteS: f.checkpoint.writeS,
      churn: f.churn === null ? null : sourced(
        { kinds: f.churn.siteKinds, meanOnlineS: f.churn.meanOnlineS, meanOfflineS: f.churn.meanOfflineS, shape: f.churn.shape },
        churnSet && !churnDefaults,
        `${d.faults.sources['homeChurn.meanOnline'] ?? ''}; ${d.faults.sources['homeChurn.meanOffline'] ?? ''}`),
    },
  };
}

/** Assumptions of the run and, when there is one, the baseline. `tree` is the scenario as run. */
export function scenarioAssumptions(tree: unknown, s: Scenario, cat: Catalog): SystemAssumptions[] {
  const t = isObj(tree) ? tree : {};
  const out = [systemAssumptions('run', s.run, t.system, cat)];
  if (s.baseline) out.push(systemAssumptions('baseline', s.baseline, t.baseline, cat));
  return out;
}
