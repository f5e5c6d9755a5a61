/**
 * The scenario file format, as a zod schema of the raw YAML/JSON. Quantities are strings
 * with units, parsed to SI here; every problem is reported with its field path. The same
 * schema, exported as JSON Schema by `dtsim schema`, drives editor completion.
 */
import { z } from 'zod';
import { parseQuantity, parseCount, type QuantityKind, expectedText } from './units';
import { economySchema } from './economy';

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * A quantity string of `kind`, converted to SI; never negative. `positive` also rejects zero, for
 * rates and mean times where zero would stall the run or make events come without end.
 */
export function qty(kind: QuantityKind, opts: { positive?: boolean } = {}) {
  return z.string().meta({ description: `${expectedText(kind)}` }).or(z.number()).transform((v, ctx) => {
    const r = parseQuantity(v, kind);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: `expected ${r.expected}, got ${show(v)}` });
      return z.NEVER;
    }
    if (r.value < 0 || (opts.positive && r.value === 0)) {
      ctx.addIssue({ code: 'custom', message: `expected a ${opts.positive ? 'positive' : 'non-negative'} quantity, got ${show(v)}` });
      return z.NEVER;
    }
    return r.value;
  });
}

const positiveQty = (kind: QuantityKind) => qty(kind, { positive: true });

/** A plain count: a number or a numeric string such as "1e12". */
export const count = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const r = parseCount(v);
  if (!r.ok || r.value < 0) {
    ctx.addIssue({ code: 'custom', message: `expected a non-negative number like 1e12, got ${show(v)}` });
    return z.NEVER;
  }
  return r.value;
});

const posInt = z.number().int().positive();
const fraction = z.number().min(0).max(1);

export const modelSchema = z.union([
  z.string().meta({ description: 'a model preset name (see `dtsim catalog --models`)' }),
  z.strictObject({
    preset: z.string().optional(),
    params: count.optional().meta({ description: 'parameter count; a GPT-style shape is derived' }),
    layers: posInt.optional(),
    hidden: posInt.optional(),
    heads: posInt.optional(),
    kvHeads: posInt.optional(),
    ffnHidden: posInt.optional(),
    ffn: z.enum(['gelu', 'swiglu']).optional(),
    vocab: posInt.optional(),
    seqLength: posInt.optional(),
    tiedEmbeddings: z.boolean().optional(),
    positionEmbeddings: z.boolean().optional(),
  }),
]);

export const trainingSchema = z.strictObject({
  tokens: count.refine((v) => v > 0, 'expected a positive number of tokens').meta({ description: 'tokens to train on, e.g. 1e12' }),
  batchTokens: count.optional().meta({ description: 'tokens per optimizer step over all workers (DiLoCo: per inner step over all groups)' }),
  batchSequences: count.optional(),
  microBatch: posInt.default(1),
  precision: z.enum(['bf16', 'fp16', 'fp8', 'fp32']).default('bf16'),
  recompute: z.enum(['none', 'selective', 'full']).default('selective'),
  flashAttention: z.boolean().default(true),
  weightBytesPerParam: z.number().positive().default(2),
  gradBytesPerParam: z.number().positive().default(2),
  optimizerBytesPerParam: z.number().positive().default(12).meta({ description: 'Adam mixed precision: fp32 master + m + v = 12 (ZeRO paper)' }),
});

const linkRef = z.union([z.string(), z.strictObject({ bandwidth: positiveQty('dataRate'), latency: qty('time') })]);

export const nodeGroupSchema = z.strictObject({
  gpu: z.union([
    z.string(),
    // A GPU with its efficiency curve from a calibration profile (src/calibrate/apply.ts).
    z.strictObject({
      id: z.string().meta({ description: 'catalog or scenario GPU id' }),
      profile: z.string().meta({ description: 'calibration profile (dtsim calibrate), relative to this file or the working directory' }),
      plateau: z.number().gt(0).max(1.1).optional().meta({ description: "large-GEMM efficiency the profile's curve is scaled to (default: the GPU's built-in curve's)" }),
    }),
    z.record(z.string(), z.unknown()),
  ]).meta({ description: 'catalog id; {id, profile} for a measured efficiency curve; or an inline GPU entry in the gpus.yaml format (profile: instead of efficiency: declares it from a profile)' }),
  count: posInt.default(1),
  gpusPerNode: posInt.default(1),
  intraNode: linkRef.optional(),
  nic: positiveQty('dataRate').optional().meta({ description: 'node network interface per direction (all GPUs together)' }),
  rental: qty('usdPerTime').optional().meta({ description: 'rental price per GPU, e.g. "2.5 USD/h" (sites with cost: rental)' }),
  price: qty('usd').optional().meta({ description: 'all-in capital cost per GPU, server share included, e.g. "40000 USD" (sites with cost: owned)' }),
  mtbf: positiveQty('time').optional().meta({ description: 'mean time between failures of ONE GPU (the node fails gpusPerNode times as often)' }),
  slowdown: z.number().min(1).default(1),
});

const accessRef = z.union([z.string(), z.strictObject({ up: positiveQty('dataRate'), down: positiveQty('dataRate'), latency: qty('time') })]);

export const siteSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(['hyperscaler', 'tier2', 'cloud', 'home']),
  count: posInt.default(1).meta({ description: 'replicate this site; copies are named name-1, name-2, ...' }),
  region: z.string().optional().meta({ description: 'region in the measured WAN matrix (oregon, virginia, ..., or AWS codes)' }),
  nodes: z.array(nodeGroupSchema).min(1),
  fabric: z.string().optional().meta({ description: 'scale-out fabric preset (ib-ndr, roce-400, eth-100, ...)' }),
  fabricLatency: qty('time').optional(),
  oversubscription: z.number().min(1).optional(),
  wan: accessRef.optional().meta({ description: 'access link preset (cable, fiber, dia-1g, ...) or {up, down, latency}' }),
  pue: z.number().min(1).max(3).optional(),
  electricity: qty('usdPerEnergy').optional(),
  cost: z.enum(['rental', 'owned']).optional().meta({ description: 'rental: pay the GPU rental price, which covers power and hosting; owned: pay depreciation, hosting and electricity' }),
  hosting: qty('usdPerEnergy').optional().meta({ description: 'colocation price per kW of wall power, e.g. "184 USD/kW/month" (owned sites)' }),
  depreciation: positiveQty('time').optional().meta({ description: 'depreciation life of owned hardware, e.g. "5 years"' }),
});

export const wanSchema = z.strictObject({
  matrix: z.boolean().default(true).meta({ description: 'use the measured region matrix between sites that name a region' }),
  backboneLatency: qty('time').default(0),
  tcpWindow: z.union([positiveQty('bytes'), z.null()]).optional(),
  streams: posInt.optional(),
});

export const compressionSchema = z.union([
  z.enum(['none', 'fp16', 'int8', 'int4', 'topk', 'demo']),
  z.strictObject({ kind: z.enum(['none', 'fp16', 'int8', 'int4', 'topk', 'demo']), bytesPerParam: z.number().positive().optional(), flopPerParam: z.number().min(0).optional() }),
]);

export const strategySchema = z.strictObject({
  kind: z.enum(['data-parallel', 'pipeline', 'diloco']),
  tensorParallel: posInt.default(1),
  pipelineParallel: posInt.default(1),
  zero: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).default(1),
  allReduce: z.enum(['ring', 'hierarchical']).default('hierarchical'),
  overlap: z.boolean().default(true),
  buckets: posInt.default(4),
  schedule: z.enum(['1f1b', 'gpipe']).default('1f1b'),
  placement: z.enum(['pipeline-local', 'data-local']).default('pipeline-local'),
  heterogeneity: z.enum(['proportional', 'equal']).default('proportional'),
  compression: compressionSchema.default('none'),
  innerSteps: posInt.optional().meta({ description: 'DiLoCo H: inner steps between outer synchronisations' }),
  groups: z.union([z.enum(['site', 'node']), posInt]).optional(),
  streaming: z.boolean().default(false),
  tokenEfficiency: z.number().gt(0).max(1.5).optional().meta({ description: 'effective tokens per raw token; default from the method (see README)' }),
  recovery: z.enum(['checkpoint-restart', 'elastic']).optional(),
});

export const faultsSchema = z.strictObject({
  failures: z.boolean().default(true),
  repair: qty('time').optional(),
  restart: qty('time').optional(),
  churn: z.union([z.boolean(), z.strictObject({
    kinds: z.array(z.enum(['hyperscaler', 'tier2', 'cloud', 'home'])).default(['home']),
    meanOnline: positiveQty('time').optional(),
    meanOffline: positiveQty('time').optional(),
    shape: z.number().positive().default(1),
  })]).default(false),
  checkpoint: z.strictObject({
    interval: z.union([positiveQty('time'), z.literal('auto')]).default('auto'),
    write: qty('time').optional(),
    storageBandwidth: positiveQty('dataRate').optional(),
  }).prefault({}),
  stragglers: z.strictObject({ fraction, slowdown: z.number().min(1) }).optional(),
});

export const engineSchema = z.strictObject({
  fastForward: z.boolean().default(true),
  maxTime: positiveQty('time').optional(),
  maxEvents: z.number().int().positive().default(100_000_000).meta({ description: 'stop after this many events, reported as not finished (the largest shipped scenario needs 1.3e7; about 3e6 events per second)' }),
});

const siteKind = z.enum(['hyperscaler', 'tier2', 'cloud', 'home']);

/** One dated change; exactly one of link, outage, add, remove, withhold, price (checked by the resolver). */
export const timelineEventSchema = z.strictObject({
  at: qty('time').meta({ description: 'when, from the start of the run, e.g. "30 days"' }),
  every: positiveQty('time').optional().meta({ description: 'repeat at this interval' }),
  until: qty('time').optional().meta({ description: 'last repetition at or before this time' }),
  link: z.strictObject({
    site: z.string().optional().meta({ description: 'a site name (replicas: name-1, ...; the base name selects them all)' }),
    between: z.tuple([z.string(), z.string()]).optional().meta({ description: 'two WAN regions: the measured path between them' }),
    class: z.enum(['intra-node', 'nic', 'fabric', 'wan-access', 'wan-path']).optional(),
    bandwidth: positiveQty('dataRate').optional(),
    factor: z.number().min(0).optional().meta({ description: 'capacity × this factor of the original (0 = link down)' }),
    latency: qty('time').optional().meta({ description: 'new one-way latency (site access links or a region pair)' }),
  }).optional(),
  outage: z.strictObject({ site: z.string(), duration: positiveQty('time') }).optional(),
  add: z.strictObject({ site: z.string(), gpu: z.string(), count: posInt.default(1), gpusPerNode: posInt.default(1) }).optional(),
  remove: z.strictObject({ site: z.string(), gpu: z.string().optional(), count: posInt }).optional(),
  withhold: z.strictObject({ gpu: z.string(), kinds: z.array(siteKind).min(1).default(['cloud', 'hyperscaler']) }).optional(),
  price: z.strictObject({
    electricity: z.number().positive().optional().meta({ description: 'multiple of the base electricity price from now on' }),
    rental: z.number().positive().optional().meta({ description: 'multiple of the base rental price from now on' }),
    kinds: z.array(siteKind).min(1).optional(),
  }).optional(),
});

export const systemSchema = z.strictObject({
  label: z.string().optional(),
  sites: z.array(siteSchema).min(1),
  wan: wanSchema.prefault({}),
  strategy: strategySchema,
  faults: faultsSchema.prefault({}),
  timeline: z.array(timelineEventSchema).default([]).meta({ description: 'dated changes: link, outage, add, remove, withhold, price' }),
  engine: engineSchema.prefault({}),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().default(''),
  extends: z.string().optional().meta({ description: 'a scenario file this one overrides (path relative to this file)' }),
  seed: z.number().int().min(0).default(1),
  model: modelSchema,
  training: trainingSchema,
  gpus: z.array(z.record(z.string(), z.unknown())).default([]).meta({ description: 'custom GPU entries, gpus.yaml format' }),
  system: systemSchema,
  baseline: systemSchema.nullable().optional().meta({ description: 'a comparison system; null (or --no-baseline) for none' }),
  sweep: z.record(z.string(), z.unknown()).optional().meta({ description: 'a parameter sweep over this scenario, run by dtsim sweep (ignored by dtsim run); see README, Sweeps' }),
  output: z.strictObject({ timeseriesInterval: qty('time').default(3600) }).prefault({}),
  economy: economySchema.optional().meta({ description: 'a token economy coupled to the system run (see README, Token economy)' }),
});

export type RawScenario = z.output<typeof scenarioSchema>;
export type RawSystem = z.output<typeof systemSchema>;

/** JSON Schema of the scenario format (input side: what a file may contain). */
export function scenarioJsonSchema(): unknown {
  return z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' });
}
