/**
 * Who does what in one step: groups (one for synchronous training, several for DiLoCo),
 * their data-parallel members or pipeline replicas, batch shares and gradient sizes.
 * A pure function of the platform, the active nodes and the scenario.
 */
import type { Platform } from '../platform/platform';
import type { ModelShape } from '../workload/model';
import { paramCount } from '../workload/model';
import type { StrategySpec } from './spec';
import type { TrainingSpec } from '../workload/spec';
import { microbatchTime, optimizerStepS, type MicrobatchTime } from '../compute/time';
import { memoryPerGpu, fitAdvice, formatGB, type FitCheck, type FitOption, type FitSearch, type MemoryBreakdown, type ParallelLayout } from '../workload/memory';
import { tensorParallelValid, type Recompute } from '../workload/flops';

export interface MemberPlan {
  readonly node: number;
  readonly tokens: number;
  readonly forwardS: number;
  readonly backwardS: number;
  readonly optimizerS: number;
  readonly hardwareFlop: number;
}

export interface WorkerPlan {
  readonly node: number;
  readonly stage: number;
  readonly mb: MicrobatchTime;
}

export interface GroupPlan {
  readonly index: number;
  readonly nodes: readonly number[];
  /** The group's nodes split by site, for hierarchical collectives. */
  readonly bySite: readonly (readonly number[])[];
  readonly tokensPerStep: number;
  /** Data-parallel members (pipelineParallel = 1). */
  readonly members: readonly MemberPlan[];
  /** Pipeline replicas, replicas[d][s] (pipelineParallel > 1). */
  readonly replicas: readonly (readonly WorkerPlan[])[];
  readonly microbatches: number;
  /** Gradient bytes each data-parallel member all-reduces (per stage when pipelined). */
  readonly stageGradBytes: readonly number[];
  readonly crossesWan: boolean;
  readonly optimizerS: number;
}

export interface Layout {
  readonly key: string;
  readonly groups: readonly GroupPlan[];
  readonly tokensPerStep: number;
  /** Nodes doing work in this layout. */
  readonly nodes: readonly number[];
}

export class InfeasibleLayout extends Error {}

export interface LayoutInput {
  readonly platform: Platform;
  readonly model: ModelShape;
  readonly training: TrainingSpec;
  readonly strategy: StrategySpec;
  /** The scenario field this system comes from ('system' or 'baseline'), for advice naming fields; default 'system'. */
  readonly field?: string;
}

/** The memory need of one node's busiest GPU under a layout. */
export interface NodeMemory {
  readonly node: number;
  readonly need: MemoryBreakdown;
  readonly capacityBytes: number;
}

/** A layout and whether it can run, as values (buildLayout throws at the boundary). */
export interface LayoutCheck {
  /** null when `problem` prevents forming it. */
  readonly layout: Layout | null;
  /** A problem other than memory that prevents the layout (too few workers for the pipeline). */
  readonly problem: string | null;
  /** The node whose GPUs are fullest (largest need ÷ capacity) and its need. */
  readonly tightest: NodeMemory | null;
  /** No problem, and every node's need fits its GPU memory. */
  readonly fits: boolean;
}

/** Splits active nodes into groups; synchronous strategies use one group. */
function groupNodes(inp: LayoutInput, active: readonly number[]): number[][] {
  const d = inp.strategy.diloco;
  if (!d) return [active.slice()];
  if (d.groups === 'node') return active.map((n) => [n]);
  if (d.groups === 'site') return inp.platform.bySite(active);
  const k = Math.min(d.groups, active.length);
  return Array.from({ length: k }, (_, g) => active.slice(Math.floor((g * active.length) / k), Math.floor(((g + 1) * active.length) / k)));
}

/**
 * The memory layout one node's GPUs run under (sequence parallelism is on whenever tensor
 * parallelism is). `inflight`: micro-batches whose activations the busiest stage holds
 * (1F1B: pp; GPipe: all of them).
 */
function parallelLayout(inp: LayoutInput, dp: number, shardGroup: number, inflight: number): ParallelLayout {
  const { training, strategy } = inp;
  return {
    tensorParallel: strategy.tensorParallel, pipelineParallel: strategy.pipelineParallel, dataParallel: dp,
    zeroStage: strategy.zeroStage, shardGroup, microBatchSeqs: training.microBatchSeqs, recompute: training.recompute,
    flashAttention: training.flashAttention, sequenceParallel: strategy.tensorParallel > 1,
    inflightMicrobatches: inflight, weightBytesPerParam: training.weightBytesPerParam,
    gradBytesPerParam: training.gradBytesPerParam, optimizerBytesPerParam: training.optimizerBytesPerParam,
  };
}

/**
 * Lays out the active nodes and checks every node's memory: THE check of a layout, used both
 * to accept a scenario and to judge every change the advice offers. Never throws for an
 * infeasible layout; buildLayout does.
 */
export function checkLayout(inp: LayoutInput, active: readonly number[]): LayoutCheck {
  const { platform, model, training, strategy } = inp;
  // Memory depends on the node only through its GPU's capacity: one evaluation per (dp, shard group, in flight).
  const needs = new Map<string, MemoryBreakdown>();
  let tightest: NodeMemory | null = null;
  const checkMemory = (node: number, dp: number, shardGroup: number, inflight: number): void => {
    const key = `${dp}|${shardGroup}|${inflight}`;
    let need = needs.get(key);
    if (!need) {
      need = memoryPerGpu(model, parallelLayout(inp, dp, shardGroup, inflight));
      needs.set(key, need);
    }
    const capacityBytes = platform.nodes[node].gpu.memoryBytes;
    if (tightest === null || need.totalBytes / capacityBytes > tightest.need.totalBytes / tightest.capacityBytes) {
      tightest = { node, need, capacityBytes };
    }
  };
  const groupsNodes = groupNodes(inp, active).filter((g) => g.length > 0);
  const tp = strategy.tensorParallel, pp = strategy.pipelineParallel;
  const params = paramCount(model);
  const mbTokens = training.microBatchSeqs * model.seqLength;
  const wanBytesPerParam = strategy.compression.kind === 'none' ? training.gradBytesPerParam : strategy.compression.bytesPerParam;

  // Compute speed of a group (tokens/s) for proportional batch shares.
  const mbCache = new Map<string, MicrobatchTime>();
  const mbFor = (node: number, layers: number, head: boolean): MicrobatchTime => {
    const n = platform.nodes[node];
    const key = `${n.gpu.id}|${n.spec.intraNode.bandwidthBytesPerS}|${n.slowdown}|${layers}|${head}`;
    let mb = mbCache.get(key);
    if (!mb) {
      mb = microbatchTime(model, training, n.gpu, n.spec.intraNode, tp, { layers, head }, n.slowdown);
      mbCache.set(key, mb);
    }
    return mb;
  };
  const nodeSpeed = (node: number) => {
    const mb = mbFor(node, model.layers, true);
    return ((platform.nodes[node].gpus / tp) * mbTokens) / (mb.forwardS + mb.backwardS);
  };
  const groupSpeed = groupsNodes.map((g) => g.reduce((s, n) => s + nodeSpeed(n), 0));
  const totalSpeed = groupSpeed.reduce((a, b) => a + b, 0);
  const shares = groupsNodes.map((_, i) =>
    strategy.heterogeneity === 'proportional' ? groupSpeed[i] / totalSpeed : 1 / groupsNodes.length);

  const groups: GroupPlan[] = [];
  const used: number[] = [];
  let problem: string | null = null;
  groupsNodes.forEach((nodes, gi) => {
    if (problem !== null) return;
    const bySite = platform.bySite(nodes);
    const crossesWan = bySite.length > 1;
    let tokensPerStep = training.globalBatchTokens * shares[gi];
    const gradBytesPerParam = crossesWan ? wanBytesPerParam : training.gradBytesPerParam;
    if (pp === 1) {
      const gpus = nodes.reduce((s, n) => s + platform.nodes[n].gpus, 0);
      const dp = gpus / tp;
      const shardGroup = dp;
      const speeds = nodes.map(nodeSpeed);
      const sum = speeds.reduce((a, b) => a + b, 0);
      const members = nodes.map((node, i) => {
        checkMemory(node, dp, shardGroup, 1);
        const share = strategy.heterogeneity === 'proportional' ? speeds[i] / sum : 1 / nodes.length;
        const tokens = tokensPerStep * share;
        const workers = platform.nodes[node].gpus / tp;
        const mbs = tokens / workers / mbTokens; // micro-batches per tensor-parallel worker
        const mb = mbFor(node, model.layers, true);
        const paramsPerGpu = params / tp / (strategy.zeroStage >= 1 ? dp : 1);
        return {
          node, tokens, forwardS: mbs * mb.forwardS, backwardS: mbs * mb.backwardS,
          optimizerS: optimizerStepS(paramsPerGpu, platform.nodes[node].gpu, training),
          hardwareFlop: mbs * workers * mb.hardwareFlop,
        };
      });
      used.push(...nodes);
      groups.push({
        index: gi, nodes, bySite, tokensPerStep, members, replicas: [], microbatches: 0,
        stageGradBytes: [params * gradBytesPerParam], crossesWan,
        optimizerS: Math.max(...members.map((m) => m.optimizerS)),
      });
      return;
    }
    // Pipelined: workers of tp GPUs; each replica takes pp consecutive workers
    // (pipeline-local) or stage s of replica d is worker s·dp + d (data-local).
    const workers: number[] = [];
    for (const n of nodes) for (let w = 0; w < platform.nodes[n].gpus / tp; w++) workers.push(n);
    const dp = Math.floor(workers.length / pp);
    if (dp < 1) {
      problem = `pipelineParallel ${pp} needs ${pp} workers of ${tp} GPUs; group ${gi} has ${workers.length}`;
      return;
    }
    const base = Math.floor(model.layers / pp), extra = model.layers % pp;
    const stageLayers = Array.from({ length: pp }, (_, s) => base + (s < extra ? 1 : 0));
    const microbatches = Math.max(1, Math.round(tokensPerStep / (dp * mbTokens)));
    tokensPerStep = microbatches * dp * mbTokens;
    const replicas: WorkerPlan[][] = [];
    for (let d = 0; d < dp; d++) {
      const stages: WorkerPlan[] = [];
      for (let s = 0; s < pp; s++) {
        const node = workers[strategy.placement === 'pipeline-local' ? d * pp + s : s * dp + d];
        stages.push({ node, stage: s, mb: mbFor(node, stageLayers[s], s === pp - 1) });
      }
      replicas.push(stages);
    }
    const usedNodes = [...new Set(replicas.flat().map((w) => w.node))];
    const inflight = strategy.schedule === 'gpipe' ? microbatches : Math.min(pp, microbatches);
    for (const n of usedNodes) checkMemory(n, dp, dp, inflight);
    used.push(...usedNodes);
    const stageParams = stageLayers.map((l) => (params * l) / model.layers);
    const paramsPerGpu = Math.max(...stageParams) / tp / (strategy.zeroStage >= 1 ? dp : 1);
    groups.push({
      index: gi, nodes: usedNodes, bySite: platform.bySite(usedNodes), tokensPerStep, members: [], replicas, microbatches,
      stageGradBytes: stageParams.map((p) => p * gradBytesPerParam), crossesWan,
      optimizerS: Math.max(...usedNodes.map((n) => optimizerStepS(paramsPerGpu, platform.nodes[n].gpu, training))),
    });
  });
  if (problem !== null) return { layout: null, problem, tightest: null, fits: false };
  const tokensPerStep = groups.reduce((s, g) => s + g.tokensPerStep, 0);
  const t = tightest as NodeMemory | null;
  return {
    layout: { key: active.join(','), groups, tokensPerStep, nodes: used }, problem: null, tightest: t,
    fits: t === null || t.need.totalBytes <= t.capacityBytes,
  };
}

/** The layout of the active nodes; InfeasibleLayout (one line, with changes that fit) if it cannot run. */
export function buildLayout(inp: LayoutInput, active: readonly number[]): Layout {
  const c = checkLayout(inp, active);
  if (c.problem !== null) throw new InfeasibleLayout(c.problem);
  if (!c.fits) throw new InfeasibleLayout(memoryMessage(inp, active, c.tightest!));
  return c.layout!;
}

/** A layout in which groups that cannot run sit out: their nodes stay online, idle. */
export interface PartialLayout {
  /** null when no group can run. */
  readonly layout: Layout | null;
  /** Active nodes left out of the layout, in node order. */
  readonly sittingOut: readonly number[];
}

/**
 * DiLoCo groups train independently between outer syncs, so a group that cannot be laid out
 * (a home rig whose partner left cannot hold the model alone) sits out and the others train on.
 * A synchronous job is one group: it runs whole or not at all. Groups are re-formed without the
 * nodes that sat out until every remaining group fits.
 */
export function layoutWithoutInfeasibleGroups(inp: LayoutInput, active: readonly number[]): PartialLayout {
  const d = inp.strategy.diloco;
  let nodes = active.slice();
  for (;;) {
    const c = checkLayout(inp, nodes);
    if (c.problem === null && c.fits) {
      const inLayout = new Set(c.layout!.nodes);
      return { layout: c.layout, sittingOut: active.filter((n) => !inLayout.has(n)) };
    }
    if (!d) return { layout: null, sittingOut: active };
    // Each group checked alone, as one group of its own nodes.
    const alone: LayoutInput = { ...inp, strategy: { ...inp.strategy, diloco: { ...d, groups: 1 } } };
    const drop = new Set(groupNodes(inp, nodes).filter((g) => {
      const gc = checkLayout(alone, g);
      return g.length > 0 && (gc.problem !== null || !gc.fits);
    }).flat());
    // Nothing to drop means the groups fit alone but not together: no partial layout helps.
    if (drop.size === 0) return { layout: null, sittingOut: active };
    nodes = nodes.filter((n) => !drop.has(n));
    if (nodes.length === 0) return { layout: null, sittingOut: active };
  }
}

// ---------------------------------------------------------------------------------------------
// Advice: changes to the scenario's strategy and training fields, each valid for this strategy
// and these nodes (the rules of src/scenario/resolve.ts), each judged by checkLayout.

/** What the advice search keeps of a candidate's check. */
export interface CandidateCheck extends FitCheck {
  readonly tightest: NodeMemory | null;
}

const RECOMPUTE: readonly Recompute[] = ['none', 'selective', 'full'];

/** Candidate changes by category, mildest first, each valid for the scenario's strategy and nodes. */
export function candidateChanges(inp: LayoutInput, active: readonly number[]): FitOption<LayoutInput>[][] {
  const { platform, model, training, strategy } = inp;
  const sf = `${inp.field ?? 'system'}.strategy`;
  const withStrategy = (x: LayoutInput, s: Partial<StrategySpec>): LayoutInput => ({ ...x, strategy: { ...x.strategy, ...s } });
  const withTraining = (x: LayoutInput, t: Partial<TrainingSpec>): LayoutInput => ({ ...x, training: { ...x.training, ...t } });

  const zero: FitOption<LayoutInput>[] = ([1, 2, 3] as const)
    .filter((z) => z > strategy.zeroStage)
    .map((z) => ({ sets: [`${sf}.zero=${z}`], apply: (x) => withStrategy(x, { zeroStage: z }) }));

  // Tensor parallel stays inside a node: it must divide every node's GPU count (and the model's heads, kvHeads, ffnHidden).
  const gpusPerNode = platform.nodes.map((n) => n.gpus);
  const maxTp = gpusPerNode.reduce((a, b) => Math.min(a, b), Infinity);
  const tensor: FitOption<LayoutInput>[] = [];
  for (let t = strategy.tensorParallel + 1; t <= maxTp; t++) {
    if (gpusPerNode.every((g) => g % t === 0) && tensorParallelValid(model, t)) {
      tensor.push({ sets: [`${sf}.tensorParallel=${t}`], apply: (x) => withStrategy(x, { tensorParallel: t }) });
    }
  }

  // Pipeline parallel: kind pipeline only (a data-parallel scenario switches kind); never DiLoCo.
  const pipe: FitOption<LayoutInput>[] = [];
  if (strategy.kind !== 'diloco') {
    const gpus = active.reduce((s, n) => s + platform.nodes[n].gpus, 0);
    for (let p = 2; p <= Math.min(model.layers, gpus); p *= 2) {
      if (p <= strategy.pipelineParallel) continue;
      const sets = strategy.kind === 'pipeline' ? [`${sf}.pipelineParallel=${p}`] : [`${sf}.kind=pipeline`, `${sf}.pipelineParallel=${p}`];
      pipe.push({ sets, apply: (x) => withStrategy(x, { kind: 'pipeline', pipelineParallel: p }) });
    }
  }

  // GPipe holds every micro-batch of the step in flight; 1F1B at most pipelineParallel.
  const schedule: FitOption<LayoutInput>[] = strategy.kind === 'pipeline' && strategy.schedule === 'gpipe'
    ? [{ sets: [`${sf}.schedule=1f1b`], apply: (x) => withStrategy(x, { schedule: '1f1b' }) }] : [];

  const recompute: FitOption<LayoutInput>[] = RECOMPUTE
    .filter((r) => RECOMPUTE.indexOf(r) > RECOMPUTE.indexOf(training.recompute))
    .map((r) => ({ sets: [`training.recompute=${r}`], apply: (x) => withTraining(x, { recompute: r }) }));

  const flash: FitOption<LayoutInput>[] = training.flashAttention ? []
    : [{ sets: ['training.flashAttention=true'], apply: (x) => withTraining(x, { flashAttention: true }) }];

  const micro: FitOption<LayoutInput>[] = [];
  for (let b = Math.floor(training.microBatchSeqs / 2); b >= 1; b = b > 1 ? Math.max(1, Math.floor(b / 2)) : 0) {
    micro.push({ sets: [`training.microBatch=${b}`], apply: (x) => withTraining(x, { microBatchSeqs: b }) });
  }

  // DiLoCo: fewer, larger groups give ZeRO more GPUs to shard over.
  const groups: FitOption<LayoutInput>[] = [];
  const d = strategy.diloco;
  if (d) {
    const now = groupNodes(inp, active).filter((g) => g.length > 0).length;
    const counts = new Set<number>();
    const sites = platform.bySite(active).length;
    if (d.groups === 'node' && sites < now) {
      counts.add(sites);
      groups.push({ sets: [`${sf}.groups=site`], apply: (x) => withStrategy(x, { diloco: { ...d, groups: 'site' } }) });
    }
    for (let k = Math.floor(now / 2); k >= 1; k = k > 1 ? Math.floor(k / 2) : 0) {
      if (counts.has(k)) continue;
      counts.add(k);
      groups.push({ sets: [`${sf}.groups=${k}`], apply: (x) => withStrategy(x, { diloco: { ...d, groups: k } }) });
    }
  }
  return [zero, tensor, pipe, schedule, recompute, flash, micro, groups].filter((c) => c.length > 0);
}

/** Changes that make the layout fit, each with the need checkLayout computes for it. */
export function memoryAdvice(inp: LayoutInput, active: readonly number[]): FitSearch<LayoutInput, CandidateCheck> {
  return fitAdvice(inp, candidateChanges(inp, active), (x): CandidateCheck => {
    const c = checkLayout(x, active);
    const needBytes = c.problem === null && c.tightest ? c.tightest.need.totalBytes : Infinity;
    return { needBytes, fits: c.fits, tightest: c.tightest };
  });
}

function memoryMessage(inp: LayoutInput, active: readonly number[], t: NodeMemory): string {
  const { model, platform } = inp;
  const gpu = platform.nodes[t.node].gpu.id;
  const need = t.need;
  const at = (c: CandidateCheck) => {
    const g = c.tightest ? platform.nodes[c.tightest.node].gpu.id : gpu;
    return `${formatGB(c.needBytes)}${g === gpu ? '' : ` on ${g}`}`;
  };
  let text = `${model.name} needs ${formatGB(need.totalBytes)} per GPU on ${gpu} (${formatGB(t.capacityBytes)}): ` +
    `weights ${formatGB(need.weightsBytes)}, gradients ${formatGB(need.gradientsBytes)}, optimizer ${formatGB(need.optimizerBytes)}, ` +
    `activations ${formatGB(need.activationsBytes)}` + (need.workspaceBytes > 0 ? `, workspace ${formatGB(need.workspaceBytes)}` : '');
  const cats = candidateChanges(inp, active);
  const advice = memoryAdvice(inp, active);
  if (advice.fits.length > 0) {
    return `${text}; would fit: ${advice.fits.map((a) => `${a.sets.join(' + ')} (${at(a.check)})`).join('; ')}`;
  }
  const fields = [...new Set(cats.flat().flatMap((o) => o.sets.map((s) => s.slice(0, s.indexOf('=')))))];
  text += '; nothing fits: ';
  text += fields.length === 0 ? 'no strategy or training field can be changed to lower it'
    : `no change to ${fields.join(', ')}, alone or combined, fits in ${formatGB(t.capacityBytes)}`;
  if (advice.least) text += ` (the least is ${at(advice.least.check)}, with ${advice.least.sets.join(' + ')})`;
  return `${text}; it needs GPUs with more memory, or more GPUs to shard the model over`;
}
