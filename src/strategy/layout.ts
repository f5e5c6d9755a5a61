/**
 * Who does what in one step: groups (one for synchronous training, several for DiLoCo),
 * their data-parallel members or pipeline replicas, batch shares and gradient sizes.
 * A pure function of the platform, the active nodes and the scenario.
 */
import type { Platform } from '../platform/platform';
import type { ModelShape } from '../workload/model';
import { paramCount } from '../workload/model';
import type { StrategySpec, TrainingSpec } from '../scenario/types';
import { microbatchTime, optimizerStepS, type MicrobatchTime } from '../compute/time';
import { memoryPerGpu, fitAdvice, formatGB, type ParallelLayout } from '../workload/memory';

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

/** Memory check for one node under the layout; throws with advice if it does not fit. */
/** `inflight`: micro-batches whose activations the busiest stage holds (1F1B: pp; GPipe: all of them). */
function checkMemory(inp: LayoutInput, node: number, dp: number, shardGroup: number, inflight: number): void {
  const { model, training, strategy } = inp;
  const n = inp.platform.nodes[node];
  const layout: ParallelLayout = {
    tensorParallel: strategy.tensorParallel, pipelineParallel: strategy.pipelineParallel, dataParallel: dp,
    zeroStage: strategy.zeroStage, shardGroup, microBatchSeqs: training.microBatchSeqs, recompute: training.recompute,
    flashAttention: training.flashAttention, sequenceParallel: strategy.tensorParallel > 1,
    inflightMicrobatches: inflight, weightBytesPerParam: training.weightBytesPerParam,
    gradBytesPerParam: training.gradBytesPerParam, optimizerBytesPerParam: training.optimizerBytesPerParam,
  };
  const need = memoryPerGpu(model, layout);
  if (need.totalBytes > n.gpu.memoryBytes) {
    const advice = fitAdvice(model, layout, n.gpu.memoryBytes);
    throw new InfeasibleLayout(
      `${model.name} needs ${formatGB(need.totalBytes)} per GPU on ${n.gpu.id} (${formatGB(n.gpu.memoryBytes)}): ` +
      `weights ${formatGB(need.weightsBytes)}, gradients ${formatGB(need.gradientsBytes)}, optimizer ${formatGB(need.optimizerBytes)}, ` +
      `activations ${formatGB(need.activationsBytes)}` + (advice.length ? `; would fit: ${advice.join('; ')}` : ''),
    );
  }
}

export function buildLayout(inp: LayoutInput, active: readonly number[]): Layout {
  const { platform, model, training, strategy } = inp;
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
  groupsNodes.forEach((nodes, gi) => {
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
        checkMemory(inp, node, dp, shardGroup, 1);
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
    if (dp < 1) throw new InfeasibleLayout(`pipelineParallel ${pp} needs ${pp} workers of ${tp} GPUs; group ${gi} has ${workers.length}`);
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
    for (const n of usedNodes) checkMemory(inp, n, dp, dp, inflight);
    used.push(...usedNodes);
    const stageParams = stageLayers.map((l) => (params * l) / model.layers);
    const paramsPerGpu = Math.max(...stageParams) / tp / (strategy.zeroStage >= 1 ? dp : 1);
    groups.push({
      index: gi, nodes: usedNodes, bySite: platform.bySite(usedNodes), tokensPerStep, members: [], replicas, microbatches,
      stageGradBytes: stageParams.map((p) => p * gradBytesPerParam), crossesWan,
      optimizerS: Math.max(...usedNodes.map((n) => optimizerStepS(paramsPerGpu, platform.nodes[n].gpu, training))),
    });
  });
  const tokensPerStep = groups.reduce((s, g) => s + g.tokensPerStep, 0);
  return { key: active.join(','), groups, tokensPerStep, nodes: used };
}
