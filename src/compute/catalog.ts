/**
 * The GPU catalog and hardware/network/cost defaults, loaded from src/data/*.yaml.
 *
 * The YAML holds unit strings with a source for every number; this module validates it with
 * zod, converts quantities to SI (s, B, B/s, FLOP/s, W, USD, USD/s, USD/J) and caches the result.
 * A malformed file throws an Error naming the file, the entry and the field.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseQuantity, type QuantityKind } from '../scenario/units';
import { checkCurve, type EfficiencyCurve } from './efficiency';
import { missingSources, type GpuSpec } from './gpu';

// ---------- public types ----------

export type Sources = Readonly<Record<string, string>>;

/** A link preset; bandwidth PER DIRECTION, latency one-way. */
export interface LinkPreset {
  readonly id: string;
  readonly bandwidthBytesPerS: number;
  readonly latencyS: number;
  /** Share of line rate collectives reach (NCCL busBw / line rate). */
  readonly achievedFraction: number;
  readonly sources: Sources;
}

/** A site's link to the wide-area network. */
export interface AccessLink {
  readonly id: string;
  readonly upBytesPerS: number;
  readonly downBytesPerS: number;
  /** One-way, to the nearest exchange (half the idle RTT to a nearby server). */
  readonly latencyS: number;
  /** Monthly data cap; null = uncapped. */
  readonly monthlyCapBytes: number | null;
  readonly sources: Sources;
}

export type SiteKind = 'hyperscaler' | 'cloud' | 'tier2' | 'home';
export const SITE_KINDS: readonly SiteKind[] = ['hyperscaler', 'cloud', 'tier2', 'home'];

export interface SiteDefaults {
  readonly kind: SiteKind;
  readonly pue: number;
  readonly electricityUsdPerJ: number;
  readonly access: AccessLink;
  /** Scale-out network inside the site; null = a single machine. */
  readonly fabric: LinkPreset | null;
  readonly nicsPerNode: number | null;
  /** Leaf-to-spine oversubscription ratio (1 = full bisection); null = no fabric. */
  readonly oversubscription: number | null;
  /** Multiplies each GPU's mtbfS at this kind of site. */
  readonly mtbfMultiplier: number;
  /** Time to repair or replace a failed node. */
  readonly repairS: number;
  /** Colocation charge per watt of provisioned IT power per second (USD/(W s)); null = not applicable. */
  readonly colocationUsdPerWS: number | null;
  /** Wall power per watt of GPU TDP (host, fans, PSU), before PUE. */
  readonly wallPerTdp: number;
  readonly depreciationS: number;
  /** rental: the GPU's hourly price covers power, hosting and hardware; owned: each is paid apart. */
  readonly costModel: 'rental' | 'owned';
  /** All-in capital cost per GPU (server, network share) ÷ the GPU's own price. */
  readonly serverOverhead: number;
  readonly sources: Sources;
}

export interface Defaults {
  readonly efficiencyCurves: Readonly<Record<string, EfficiencyCurve>>;
  readonly intraNodeLinks: Readonly<Record<string, LinkPreset>>;
  readonly scaleOutFabrics: Readonly<Record<string, LinkPreset>>;
  /** Home broadband tiers (dsl, cable, fiber, ...) and datacenter uplinks. */
  readonly accessLinks: Readonly<Record<string, AccessLink>>;
  readonly sites: Readonly<Record<SiteKind, SiteDefaults>>;
  /** Per-transfer cap: streamsPerTransfer * windowBytes / RTT. */
  readonly tcp: { readonly windowBytes: number; readonly streamsPerTransfer: number; readonly mssBytes: number; readonly sources: Sources };
  readonly faults: {
    /** Share of failures not caused by the GPU (already inside GpuSpec.mtbfS). */
    readonly nonGpuFailureShare: number;
    /** Detect, reload checkpoint, re-init; excludes repair. */
    readonly jobRestartS: number;
    readonly homeChurn: { readonly meanOnlineS: number; readonly meanOfflineS: number; readonly meanLifetimeS: number };
    readonly sources: Sources;
  };
  readonly checkpoint: { readonly bytesPerParam: number; readonly weightsBytesPerParam: number; readonly sources: Sources };
}

export interface RegionMatrix {
  /** Region ids (oregon, virginia, ...); AWS codes (us-west-2, ...) are accepted as aliases. */
  readonly regions: readonly string[];
  /** Round-trip time; a === b gives the within-region default. */
  rttS(a: string, b: string): number;
  bandwidthBytesPerS(a: string, b: string): number;
  readonly withinRegion: { readonly rttS: number; readonly bandwidthBytesPerS: number };
  /** Named RTT tiers (same-metro, transatlantic, ...), seconds. */
  readonly rttTiersS: Readonly<Record<string, number>>;
  /** AWS region code of each region id (oregon: us-west-2, ...), accepted as an alias. */
  readonly awsCodes: Readonly<Record<string, string>>;
  /** Sources of the matrix, the within-region default and the RTT tiers. */
  readonly sources: Sources;
}

export interface Catalog {
  readonly gpus: ReadonlyMap<string, GpuSpec>;
  readonly defaults: Defaults;
  readonly regions: RegionMatrix;
}

// ---------- zod helpers ----------

function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

/** A unit string of `kind`, converted to SI; must be > 0 unless `allowZero`. */
function qty(kind: QuantityKind, opts: { nullable?: boolean; allowZero?: boolean } = {}) {
  return z.unknown().transform((v, ctx): number | null => {
    if (opts.nullable && (v === null || v === undefined)) return null;
    const r = parseQuantity(v, kind);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: `expected ${r.expected}${opts.nullable ? ' or null' : ''}, got ${show(v)}` });
      return z.NEVER;
    }
    if (r.value < 0 || (r.value === 0 && !opts.allowZero)) {
      ctx.addIssue({ code: 'custom', message: `expected a positive quantity, got ${show(v)}` });
      return z.NEVER;
    }
    return r.value;
  });
}
const req = (kind: QuantityKind, allowZero = false) => qty(kind, { allowZero }) as unknown as z.ZodType<number>;
// .optional(): zod 4 rejects a missing key whose transform can return null unless marked optional.
const opt = (kind: QuantityKind) => (qty(kind, { nullable: true }) as unknown as z.ZodType<number | null>).optional();

const positive = z.number().positive();
const sourcesSchema = z.record(z.string(), z.string().min(1));
const curveSchema = z.strictObject({
  points: z.array(z.tuple([z.number(), z.number()])),
  source: z.string().min(1),
}).transform((c, ctx) => {
  for (const p of checkCurve(c)) ctx.addIssue({ code: 'custom', message: p, path: ['points'] });
  return c as EfficiencyCurve;
});

/** Either a name looked up in `table`, or an inline object validated by `schema`. */
function refOr<T>(what: string, table: Readonly<Record<string, T>>, schema: z.ZodType<T>) {
  return z.unknown().transform((v, ctx): T => {
    if (typeof v === 'string') {
      if (Object.hasOwn(table, v)) return table[v];
      ctx.addIssue({ code: 'custom', message: `unknown ${what} '${v}'; expected one of: ${Object.keys(table).join(', ')}` });
      return z.NEVER;
    }
    const r = schema.safeParse(v);
    if (r.success) return r.data;
    for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path: i.path as PropertyKey[] });
    return z.NEVER;
  });
}

function fail(where: string, error: z.ZodError): never {
  const lines = error.issues.slice(0, 6).map((i) => {
    const path = i.path.map(String).join('.');
    return `  field '${path || '(top)'}': ${i.message}`;
  });
  const more = error.issues.length > 6 ? `\n  ... and ${error.issues.length - 6} more` : '';
  throw new Error(`${where}: invalid data\n${lines.join('\n')}${more}`);
}

function parseWith<T>(schema: z.ZodType<T>, raw: unknown, where: string): T {
  const r = schema.safeParse(raw);
  if (!r.success) fail(where, r.error);
  return r.data;
}

// ---------- files ----------

const FILES = {
  gpus: fileURLToPath(new URL('../data/gpus.yaml', import.meta.url)),
  defaults: fileURLToPath(new URL('../data/defaults.yaml', import.meta.url)),
  regions: fileURLToPath(new URL('../data/wan-regions.yaml', import.meta.url)),
};

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read data file (${(e as Error).message})`);
  }
  try {
    return parseYaml(text);
  } catch (e) {
    throw new Error(`${file}: not valid YAML (${(e as Error).message})`);
  }
}

// ---------- defaults.yaml ----------

const linkSchema = z.strictObject({
  bandwidth: req('dataRate'), latency: req('time', true),
  achievedFraction: z.number().gt(0).lte(1), sources: sourcesSchema,
});
const accessSchema = z.strictObject({
  up: req('dataRate'), down: req('dataRate'), latency: req('time', true),
  monthlyCap: opt('bytes'), sources: sourcesSchema,
});
const siteSchema = z.strictObject({
  pue: z.number().gte(1).lte(3),
  electricityPrice: req('usdPerEnergy', true),
  access: z.string(),
  fabric: z.string().nullable(),
  nicsPerNode: positive.int().nullable(),
  oversubscription: z.number().gte(1).nullable(),
  mtbfMultiplier: positive,
  repairTime: req('time', true),
  colocationPrice: opt('usdPerEnergy'),
  wallPerTdp: z.number().gte(1),
  depreciation: req('time'),
  costModel: z.enum(['rental', 'owned']),
  serverOverhead: z.number().gte(1),
  sources: sourcesSchema,
});
const defaultsSchema = z.strictObject({
  efficiencyCurves: z.record(z.string(), curveSchema),
  intraNodeLinks: z.record(z.string(), linkSchema),
  scaleOutFabrics: z.record(z.string(), linkSchema),
  accessLinks: z.record(z.string(), accessSchema),
  sites: z.strictObject({ hyperscaler: siteSchema, cloud: siteSchema, tier2: siteSchema, home: siteSchema }),
  tcp: z.strictObject({ window: req('bytes'), streamsPerTransfer: positive.int(), mss: req('bytes'), sources: sourcesSchema }),
  faults: z.strictObject({
    nonGpuFailureShare: z.number().gte(0).lt(1),
    jobRestart: req('time', true),
    homeChurn: z.strictObject({ meanOnline: req('time'), meanOffline: req('time'), meanLifetime: req('time') }),
    sources: sourcesSchema,
  }),
  checkpoint: z.strictObject({ bytesPerParam: positive, weightsBytesPerParam: positive, sources: sourcesSchema }),
});

function toLinks(raw: Record<string, z.infer<typeof linkSchema>>): Record<string, LinkPreset> {
  return Object.fromEntries(Object.entries(raw).map(([id, l]) => [id, {
    id, bandwidthBytesPerS: l.bandwidth, latencyS: l.latency, achievedFraction: l.achievedFraction, sources: l.sources,
  }]));
}

function buildDefaults(raw: unknown, file: string): Defaults {
  const d = parseWith(defaultsSchema, raw, file);
  const intraNodeLinks = toLinks(d.intraNodeLinks);
  const scaleOutFabrics = toLinks(d.scaleOutFabrics);
  const accessLinks: Record<string, AccessLink> = Object.fromEntries(Object.entries(d.accessLinks).map(([id, a]) => [id, {
    id, upBytesPerS: a.up, downBytesPerS: a.down, latencyS: a.latency, monthlyCapBytes: a.monthlyCap ?? null, sources: a.sources,
  }]));
  const lookup = <T>(table: Record<string, T>, name: string, path: string): T => {
    if (Object.hasOwn(table, name)) return table[name];
    throw new Error(`${file}: invalid data\n  field '${path}': unknown name '${name}'; expected one of: ${Object.keys(table).join(', ')}`);
  };
  const sites = Object.fromEntries(SITE_KINDS.map((kind) => {
    const s = d.sites[kind];
    const site: SiteDefaults = {
      kind, pue: s.pue, electricityUsdPerJ: s.electricityPrice,
      access: lookup(accessLinks, s.access, `sites.${kind}.access`),
      fabric: s.fabric === null ? null : lookup(scaleOutFabrics, s.fabric, `sites.${kind}.fabric`),
      nicsPerNode: s.nicsPerNode, oversubscription: s.oversubscription, mtbfMultiplier: s.mtbfMultiplier,
      repairS: s.repairTime, colocationUsdPerWS: s.colocationPrice ?? null, wallPerTdp: s.wallPerTdp,
      depreciationS: s.depreciation, costModel: s.costModel, serverOverhead: s.serverOverhead, sources: s.sources,
    };
    return [kind, site];
  })) as Record<SiteKind, SiteDefaults>;
  const f = d.faults;
  return {
    efficiencyCurves: d.efficiencyCurves, intraNodeLinks, scaleOutFabrics, accessLinks, sites,
    tcp: { windowBytes: d.tcp.window, streamsPerTransfer: d.tcp.streamsPerTransfer, mssBytes: d.tcp.mss, sources: d.tcp.sources },
    faults: {
      nonGpuFailureShare: f.nonGpuFailureShare, jobRestartS: f.jobRestart,
      homeChurn: { meanOnlineS: f.homeChurn.meanOnline, meanOfflineS: f.homeChurn.meanOffline, meanLifetimeS: f.homeChurn.meanLifetime },
      sources: f.sources,
    },
    checkpoint: d.checkpoint,
  };
}

// ---------- gpus.yaml ----------

type IntraNode = GpuSpec['intraNode'];

function gpuSchema(defaults: Defaults) {
  const presets: Record<string, IntraNode> = Object.fromEntries(Object.values(defaults.intraNodeLinks).map((l) => [
    l.id, { kind: l.id, bandwidthBytesPerS: l.bandwidthBytesPerS, latencyS: l.latencyS },
  ]));
  const inlineLink = z.strictObject({ kind: z.string().min(1), bandwidth: req('dataRate'), latency: req('time', true) })
    .transform((l): IntraNode => ({ kind: l.kind, bandwidthBytesPerS: l.bandwidth, latencyS: l.latency }));
  return z.strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lower-case id like "h100-sxm"'),
    name: z.string().min(1),
    vendor: z.string().min(1),
    year: z.number().int().gte(1990).lte(2100),
    peak: z.strictObject({ bf16: req('flopRate'), fp16: req('flopRate'), fp8: opt('flopRate'), fp32: req('flopRate') }),
    memory: req('bytes'),
    memoryBandwidth: req('dataRate'),
    tdp: req('power'),
    intraNode: refOr('intra-node link preset', presets, inlineLink),
    price: opt('usd'),
    rental: opt('usdPerTime'),
    mtbf: req('time'),
    efficiency: refOr('efficiency curve', defaults.efficiencyCurves, curveSchema),
    sources: sourcesSchema.optional(),
  });
}

const schemaCache = new WeakMap<Defaults, ReturnType<typeof gpuSchema>>();

/** `where` gains " gpu '<id>'" when the entry has an id, else `noId` (e.g. ": gpus[3]"). */
function buildGpuWith(raw: unknown, where: string, defaults: Defaults, noId = ''): GpuSpec {
  let schema = schemaCache.get(defaults);
  if (!schema) schemaCache.set(defaults, (schema = gpuSchema(defaults)));
  const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
  const g = parseWith(schema, raw, id ? `${where}: gpu '${id}'` : `${where}${noId}`);
  return {
    id: g.id, name: g.name, vendor: g.vendor, year: g.year,
    peakFlopS: { bf16: g.peak.bf16, fp16: g.peak.fp16, fp8: g.peak.fp8 ?? null, fp32: g.peak.fp32 },
    memoryBytes: g.memory, memoryBandwidthBytesPerS: g.memoryBandwidth, tdpW: g.tdp,
    intraNode: g.intraNode, priceUsd: g.price ?? null, rentalUsdPerS: g.rental ?? null,
    mtbfS: g.mtbf, efficiency: g.efficiency, sources: g.sources ?? {},
  };
}

/**
 * Validate one raw GPU entry (same shape as a gpus.yaml entry; fp8, price, rental and sources
 * may be omitted) and return it in SI. Scenarios use this for custom GPUs. Throws an Error
 * naming `where`, the field path and what was expected.
 */
export function buildGpu(raw: unknown, where: string): GpuSpec {
  return buildGpuWith(raw, where, loadCatalog().defaults);
}

function buildGpus(raw: unknown, file: string, defaults: Defaults): Map<string, GpuSpec> {
  const top = parseWith(z.strictObject({ gpus: z.array(z.unknown()).min(1) }), raw, file);
  const gpus = new Map<string, GpuSpec>();
  top.gpus.forEach((entry, i) => {
    const gpu = buildGpuWith(entry, file, defaults, `: gpus[${i}]`);
    const where = `${file}: gpu '${gpu.id}'`;
    if (gpus.has(gpu.id)) throw new Error(`${where}: duplicate id`);
    const missing = missingSources(gpu);
    if (missing.length) throw new Error(`${where}: invalid data\n  field 'sources': no source for ${missing.join(', ')}`);
    gpus.set(gpu.id, gpu);
  });
  return gpus;
}

// ---------- wan-regions.yaml ----------

const regionsSchema = z.strictObject({
  source: z.string().min(1),
  regions: z.array(z.strictObject({ id: z.string().min(1), aws: z.string().min(1) })).min(1),
  withinRegion: z.strictObject({ rtt: req('time'), bandwidth: req('dataRate'), source: z.string().min(1) }),
  pairs: z.array(z.tuple([z.string(), z.string(), req('time'), req('dataRate')])),
  rttTiers: z.strictObject({ source: z.string().min(1), tiers: z.record(z.string(), req('time')) }),
});

function buildRegions(raw: unknown, file: string): RegionMatrix {
  const r = parseWith(regionsSchema, raw, file);
  const ids = r.regions.map((x) => x.id);
  const alias = new Map<string, string>();
  for (const x of r.regions) alias.set(x.id, x.id).set(x.aws, x.id);
  const bad = (msg: string): never => { throw new Error(`${file}: invalid data\n  field 'pairs': ${msg}`); };
  const pairs = new Map<string, { rttS: number; bandwidthBytesPerS: number }>();
  for (const [a, b, rtt, bw] of r.pairs) {
    for (const x of [a, b]) if (!ids.includes(x)) bad(`unknown region '${x}'; expected one of: ${ids.join(', ')}`);
    if (a === b) bad(`pair ${a}-${b}: same region (use withinRegion)`);
    if (pairs.has(`${a}|${b}`)) bad(`pair ${a}-${b} listed twice`);
    pairs.set(`${a}|${b}`, { rttS: rtt, bandwidthBytesPerS: bw }).set(`${b}|${a}`, { rttS: rtt, bandwidthBytesPerS: bw });
  }
  for (const a of ids) for (const b of ids) if (a < b && !pairs.has(`${a}|${b}`)) bad(`missing pair ${a}-${b}`);
  const within = { rttS: r.withinRegion.rtt, bandwidthBytesPerS: r.withinRegion.bandwidth };
  const resolve = (name: string): string => {
    const id = alias.get(name);
    if (id === undefined) throw new Error(`unknown region '${name}'; known: ${ids.join(', ')}`);
    return id;
  };
  const get = (a: string, b: string) => {
    const x = resolve(a), y = resolve(b);
    return x === y ? within : pairs.get(`${x}|${y}`)!;
  };
  return {
    regions: ids,
    rttS: (a, b) => get(a, b).rttS,
    bandwidthBytesPerS: (a, b) => get(a, b).bandwidthBytesPerS,
    withinRegion: within,
    rttTiersS: r.rttTiers.tiers,
    awsCodes: Object.fromEntries(r.regions.map((x) => [x.id, x.aws])),
    sources: { matrix: r.source, withinRegion: r.withinRegion.source, rttTiers: r.rttTiers.source },
  };
}

// ---------- entry points ----------

let cached: Catalog | null = null;

/** Read and validate the three data files once; later calls return the same object. */
export function loadCatalog(): Catalog {
  if (cached) return cached;
  const defaults = buildDefaults(readYaml(FILES.defaults), FILES.defaults);
  const gpus = buildGpus(readYaml(FILES.gpus), FILES.gpus, defaults);
  const regions = buildRegions(readYaml(FILES.regions), FILES.regions);
  cached = { gpus, defaults, regions };
  return cached;
}

/** The catalog GPU `id`; unknown ids throw an Error listing the known ones. */
export function getGpu(id: string): GpuSpec {
  const { gpus } = loadCatalog();
  const gpu = gpus.get(id);
  if (!gpu) throw new Error(`unknown GPU '${id}'; known: ${[...gpus.keys()].join(', ')}`);
  return gpu;
}

/** Builders over already-parsed YAML (file name passed in), for tests and tools. */
export const _internal = { buildDefaults, buildGpus, buildRegions, buildGpuWith };

// ---------- text table ----------

const num = (v: number | null, digits: number): string => (v === null ? '-' : v.toFixed(digits));

/** Fixed-width table for `dtsim catalog`, with a footer on conventions. */
export function formatCatalog(cat: Catalog): string {
  const head = ['id', 'name', 'year', 'BF16 TF/s', 'FP8 TF/s', 'mem GB', 'mem BW GB/s', 'intra GB/s/dir', 'link', 'TDP W', 'price USD', 'USD/h'];
  const right = [false, false, true, true, true, true, true, true, false, true, true, true];
  const rows = [...cat.gpus.values()].map((g) => [
    g.id, g.name, String(g.year),
    num(g.peakFlopS.bf16 / 1e12, 1), num(g.peakFlopS.fp8 === null ? null : g.peakFlopS.fp8 / 1e12, 1),
    num(g.memoryBytes / 1e9, 0), num(g.memoryBandwidthBytesPerS / 1e9, 0),
    num(g.intraNode.bandwidthBytesPerS / 1e9, 1), g.intraNode.kind,
    num(g.tdpW, 0), num(g.priceUsd, 0), num(g.rentalUsdPerS === null ? null : g.rentalUsdPerS * 3600, 2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'TFLOP/s are dense (no 2:4 sparsity). GeForce cards list the FP16/BF16/FP8 rate with FP32 accumulate',
    '(half the FP16-accumulate figure), as mixed-precision training uses. FP8 "-" = no FP8 tensor cores (runs BF16).',
    'V100 and T4 have no BF16: their BF16 column is the FP16 rate. Intra-node bandwidth is per direction.',
    'Price is the GPU alone; USD/h is a dated rental reference. Sources: src/data/gpus.yaml (keys in',
    'src/data/sources.md). A custom GPU (scenario gpus:) may name an efficiency curve:',
    ...curveLines(Object.keys(cat.defaults.efficiencyCurves)),
    '',
    CATALOG_HINT,
  ].join('\n');
}

/** Names joined by ", " in lines of at most 100 characters, the last ending with ".". */
function curveLines(names: readonly string[]): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const n of names) {
    if (cur && cur.length + n.length + 2 > 100) {
      lines.push(`${cur},`);
      cur = n;
    } else cur = cur ? `${cur}, ${n}` : n;
  }
  return [...lines, `${cur}.`];
}

/** The last line of the GPU listing: what else `dtsim catalog` can show. */
export const CATALOG_HINT =
  'More: dtsim catalog --models (presets), --links, --sites (site-kind defaults), --regions (WAN); --json for JSON.';
