/**
 * The scenario's optional `economy:` block: its zod schema (every field optional, no defaults:
 * defaults come from src/data/economy.yaml), presets, merging, and resolution to an EconomySpec
 * in SI with one-line field-path errors like the rest of the scenario.
 *
 *   economy: { preset: token-crash, market: { investorInflow: "1e6 USD/day" }, shocks: { crash: null } }
 *
 * Merge order: economy.yaml `defaults` ← the preset ← the scenario's block. Objects merge key by
 * key; lists are replaced; `null` removes a cohort class, a shock or an unlock (maps keyed by name).
 * `shocks` and `token.unlocks` may also be lists (which replace the maps).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseQuantity, parseCount, expectedText, type QuantityKind } from './units';
import type { GpuSpec } from '../compute/gpu';
import { loadCatalog, type SiteDefaults, type SiteKind } from '../compute/catalog';
import {
  DAY_S, YEAR_S, type CohortClassSpec, type EconomyShock, type EconomySpec, type EmissionSchedule, type UnlockSpec,
} from '../economy/spec';

const SITE_KINDS = ['hyperscaler', 'cloud', 'tier2', 'home'] as const;

// ---------- field helpers (own messages: "expected …, got …") ----------

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function num(what: string, ok: (v: number) => boolean) {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const r = parseCount(v);
    if (!r.ok || !ok(r.value)) {
      ctx.addIssue({ code: 'custom', message: `expected ${what}, got ${show(v)}` });
      return z.NEVER;
    }
    return r.value;
  });
}
const nonNeg = num('a non-negative number', (v) => v >= 0);
const positive = num('a positive number', (v) => v > 0);
const fraction = num('a fraction from 0 to 1', (v) => v >= 0 && v <= 1);
const belowOne = num('a fraction from 0 to below 1', (v) => v >= 0 && v < 1);
const posInt = num('a positive whole number', (v) => Number.isInteger(v) && v > 0);

function qty(kind: QuantityKind, positiveOnly = false) {
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    const r = parseQuantity(v, kind);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: `expected ${r.expected}, got ${show(v)}` });
      return z.NEVER;
    }
    if (r.value < 0 || (positiveOnly && r.value === 0)) {
      ctx.addIssue({ code: 'custom', message: `expected a ${positiveOnly ? 'positive' : 'non-negative'} quantity, got ${show(v)}` });
      return z.NEVER;
    }
    return r.value;
  }).meta({ description: expectedText(kind) });
}
const time = qty('time');
const usd = qty('usd');
const usdPerTime = qty('usdPerTime');
const siteKind = z.enum(SITE_KINDS);

// ---------- schema ----------

const emissionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('halving'), tokensPerDay: nonNeg.optional(), maxSupply: positive.optional(), blocksPerDay: posInt.optional() }),
  z.strictObject({ kind: z.literal('exp-decay'), total: nonNeg.optional(), halfLife: qty('time', true).optional() }),
  z.strictObject({
    kind: z.literal('baseline'), simpleTotal: nonNeg.optional(), baselineTotal: nonNeg.optional(), halfLife: qty('time', true).optional(),
    baselineH100eq: positive.optional(), growthPerYear: positive.optional(),
  }),
  z.strictObject({
    kind: z.literal('disinflation'), base: nonNeg.optional(), initialRatePerYear: nonNeg.optional(), disinflationPerEpoch: belowOne.optional(),
    epochsPerDay: posInt.optional(), cap: nonNeg.optional(),
  }),
  z.strictObject({ kind: z.literal('bme'), tokensPerDay: nonNeg.optional(), halfLife: z.union([qty('time', true), z.null()]).optional(), remintCapPerDay: nonNeg.optional() }),
]).meta({ description: 'emission schedule: halving (Bittensor), exp-decay (Filecoin simple), baseline (Filecoin hybrid), disinflation (io.net), bme (burn-and-mint)' });

const unlockSchema = z.strictObject({
  tokens: nonNeg.optional(), cliff: time.optional(), duration: time.optional(), sellFraction: fraction.optional(),
});
const namedUnlock = unlockSchema.extend({ label: z.string().optional() });

const cohortSchema = z.strictObject({
  gpu: z.string().optional().meta({ description: 'GPU catalog id (default: the class id before "@")' }),
  kind: siteKind.optional().meta({ description: 'site kind (default: the class id after "@")' }),
  region: z.union([z.string(), z.null()]).optional(),
  cost: z.enum(['owned', 'rental']).optional(),
  perf: positive.optional().meta({ description: 'H100-equivalents per GPU (default: dense BF16 peak ÷ H100 SXM)' }),
  capex: usd.optional().meta({ description: 'all-in cost per GPU (default: catalog price × the site kind\'s server overhead)' }),
  life: qty('time', true).optional(),
  residual: fraction.optional(),
  power: qty('power').optional().meta({ description: 'wall power per GPU (default: TDP × wall-power factor)' }),
  pue: num('a PUE of at least 1', (v) => v >= 1).optional(),
  electricity: qty('usdPerEnergy').optional(),
  hosting: qty('usdPerEnergy').optional().meta({ description: 'colocation per kW of wall power, e.g. "184 USD/kW/month"' }),
  bandwidth: usdPerTime.optional(),
  uptime: fraction.optional(),
  rental: usdPerTime.optional(),
  rentDecayPerYear: nonNeg.optional(),
  outsideUtilization: fraction.optional(),
  leadTime: time.optional(),
  supplyCapPerDay: nonNeg.optional(),
  hurdlePerYear: positive.optional(),
  initialGpus: nonNeg.optional(),
  initialH100eq: nonNeg.optional(),
  initialAgeMax: time.optional(),
  availableFrom: time.optional(),
});

const classDefaultsSchema = z.strictObject({
  uptime: fraction.optional(), bandwidth: usdPerTime.optional(), hurdlePerYear: positive.optional(), leadTime: time.optional(),
  supplyCapPerDay: nonNeg.optional(), outsideUtilization: fraction.optional(), residual: fraction.optional(),
  rentDecayPerYear: nonNeg.optional(), initialAgeMax: time.optional(), life: qty('time', true).optional(),
});

const selector = {
  classes: z.array(z.string()).optional().meta({ description: 'cohort class ids' }),
  gpus: z.array(z.string()).optional(),
  kinds: z.array(siteKind).optional(),
  regions: z.array(z.string()).optional(),
};

const shockSchema = z.strictObject({
  at: time.meta({ description: 'when, from day 0, e.g. "180 days"' }),
  until: time.optional().meta({ description: 'last day it applies (sentiment: when recovery starts)' }),
  label: z.string().optional(),
  sentiment: z.strictObject({ factor: positive, over: time.optional(), recover: time.optional() }).optional(),
  investorInflow: z.strictObject({ factor: nonNeg }).optional(),
  demand: z.strictObject({ factor: nonNeg }).optional(),
  hyperscalerCapex: z.strictObject({ factor: nonNeg }).optional(),
  supply: z.strictObject({
    ...selector,
    capFactor: nonNeg.optional(), supplyCapPerDay: nonNeg.optional(), leadTime: time.optional(),
    capexFactor: positive.optional(), rentFactor: positive.optional(),
  }).optional().meta({ description: 'hyperscalers withholding GPUs, export controls, fab disruption: supply cap, lead time, capex, rent of the selected classes' }),
  generation: z.strictObject({ classes: z.array(z.string()).min(1), rentDecayPerYear: nonNeg.optional() }).optional()
    .meta({ description: 'a new GPU generation: these classes can be ordered from `at`; the others\' rents decay faster' }),
});

export const economySchema = z.strictObject({
  preset: z.string().optional().meta({ description: 'base, bull, token-crash, hyperscalers-withhold (src/data/economy.yaml)' }),
  reserve: nonNeg.optional().meta({ description: 'nodes held for the GPUs operators buy, per day-0 GPU of each class (default 8); more cost memory and time' }),
  days: posInt.optional(),
  verificationOverhead: belowOne.optional(),
  token: z.strictObject({
    emission: emissionSchema.optional(),
    initialSupply: positive.optional(),
    initialPrice: qty('usd', true).optional(),
    operatorShare: fraction.optional(),
    otherSellFraction: fraction.optional(),
    vesting: z.strictObject({ fraction: fraction.optional(), duration: time.optional() }).optional(),
    unlocks: z.union([z.array(namedUnlock), z.record(z.string(), z.union([unlockSchema, z.null()]))]).optional(),
    takeRate: fraction.optional(),
    burnShare: fraction.optional(),
    slashRate: fraction.optional(),
  }).optional(),
  market: z.strictObject({
    priceRule: z.enum(['pool', 'anchor']).optional(),
    poolDepth: num('a fraction above 0 and at most 1', (v) => v > 0 && v <= 1).optional(),
    poolFee: belowOne.optional(),
    reanchor: z.union([time, z.null()]).optional(),
    investorInflow: usdPerTime.optional(),
    momentum: nonNeg.optional(),
    momentumWindow: qty('time', true).optional(),
    sentiment: z.strictObject({ volatility: nonNeg.optional(), reversion: qty('time', true).optional(), elasticity: nonNeg.optional() }).optional(),
    anchor: z.strictObject({
      psRatio: nonNeg.optional(), speculativeValuation: z.union([usd, z.null()]).optional(),
      speculativeGrowthPerYear: num('a growth rate above −1', (v) => v > -1).optional(), pull: fraction.optional(),
    }).optional(),
  }).optional(),
  demand: z.strictObject({
    h100eqHoursPerDay: nonNeg.optional(), growthPerYear: num('a growth rate above −1', (v) => v > -1).optional(),
    discount: belowOne.optional(), elasticity: nonNeg.optional(), referenceClass: z.union([z.string(), z.null()]).optional(),
    referenceRent: usdPerTime.optional(), referenceRentDecayPerYear: nonNeg.optional(),
  }).optional(),
  hyperscaler: z.strictObject({
    capexPerYear: usd.optional(), capexGrowthPerYear: num('a growth rate above −1', (v) => v > -1).optional(), gpuShare: fraction.optional(),
    initialH100eq: nonNeg.optional(), initialAgeMax: time.optional(), life: qty('time', true).optional(),
    generations: z.array(z.strictObject({ gpu: z.string(), from: time.optional(), price: usd.optional(), perf: positive.optional() })).min(1).optional(),
  }).optional(),
  decisions: z.strictObject({
    operatorSellFraction: fraction.optional(), investSpeed: nonNeg.optional(), seedGpus: nonNeg.optional(), maxGap: positive.optional(),
    expectationHalfLife: qty('time', true).optional(), switchRatePerDay: num('a fraction above 0 and at most 1', (v) => v > 0 && v <= 1).optional(), idleGrace: time.optional(), reenter: time.optional(), reenterMargin: nonNeg.optional(),
    exitAfterIdle: time.optional(), migrateRatePerDay: fraction.optional(), migrateMargin: nonNeg.optional(), vintage: qty('time', true).optional(),
    initialVintages: posInt.optional(),
    costTiers: z.array(z.strictObject({ weight: positive, electricityFactor: nonNeg })).min(1).optional(),
  }).optional(),
  classDefaults: z.strictObject(Object.fromEntries(SITE_KINDS.map((k) => [k, classDefaultsSchema.optional()])) as Record<SiteKind, z.ZodOptional<typeof classDefaultsSchema>>).optional(),
  cohorts: z.record(z.string(), z.union([cohortSchema, z.null()])).optional()
    .meta({ description: 'cohort classes by id "<gpu>@<siteKind>" (null removes one)' }),
  shocks: z.union([z.array(shockSchema), z.record(z.string(), z.union([shockSchema, z.null()]))]).optional()
    .meta({ description: 'dated shocks: a list, or a map by name that merges with the preset\'s (null removes one)' }),
});

export type RawEconomy = z.output<typeof economySchema>;

// ---------- data file ----------

const DATA_FILE = fileURLToPath(new URL('../data/economy.yaml', import.meta.url));

interface EconomyData {
  readonly defaults: RawEconomy;
  readonly presets: ReadonlyMap<string, RawEconomy>;
  readonly sources: Readonly<Record<string, string>>;
}

let cached: EconomyData | null = null;

/** economy.yaml, validated (a malformed file throws naming the file, the entry and the field). */
export function economyData(): EconomyData {
  if (cached) return cached;
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(DATA_FILE, 'utf8'));
  } catch (e) {
    throw new Error(`${DATA_FILE}: cannot read data file (${(e as Error).message})`);
  }
  const o = raw as { defaults?: unknown; presets?: Record<string, unknown>; sources?: Record<string, string> };
  const parse = (v: unknown, where: string): RawEconomy => {
    const r = economySchema.safeParse(v ?? {});
    if (!r.success) {
      const lines = r.error.issues.slice(0, 6).map((i) => `  ${where}.${i.path.map(String).join('.')}: ${i.message}`);
      throw new Error(`${DATA_FILE}: invalid data\n${lines.join('\n')}`);
    }
    return r.data;
  };
  const defaults = parse(o.defaults, 'defaults');
  const presets = new Map(Object.entries(o.presets ?? {}).map(([k, v]) => [k, parse(v, `presets.${k}`)]));
  cached = { defaults, presets, sources: o.sources ?? {} };
  return cached;
}

export function economyPresets(): string[] {
  return [...economyData().presets.keys()];
}

// ---------- merge ----------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Fields that replace each other: setting one drops the other from what is merged under. */
const EXCLUSIVE: Readonly<Record<string, string>> = { initialGpus: 'initialH100eq', initialH100eq: 'initialGpus' };

/** Objects merge; lists and scalars replace; a null value deletes the key; an object with another `kind` replaces. */
export function mergeEconomy(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  if ('kind' in over && 'kind' in base && over.kind !== base.kind) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    if (EXCLUSIVE[k] && !(EXCLUSIVE[k] in over)) delete out[EXCLUSIVE[k]];
    if (v === null) {
      delete out[k];
      continue;
    }
    out[k] = k in base ? mergeEconomy(base[k], v) : v;
  }
  return out;
}

// ---------- resolution ----------

export interface EconomyContext {
  /** Catalog and scenario GPUs. */
  readonly gpus: ReadonlyMap<string, GpuSpec>;
  /** Site-kind defaults (defaults.yaml `sites`). */
  readonly sites: Readonly<Record<SiteKind, SiteDefaults>>;
}

type Issue = (path: string, message: string) => void;

const H100_BF16 = 989.4e12;

/**
 * `raw` (the parsed `economy:` block) → EconomySpec, or null after reporting every problem with
 * its field path (`at` is the block's own path, 'economy' in a scenario).
 */
export function resolveEconomy(raw: RawEconomy, ctx: EconomyContext, issue: Issue, at = 'economy'): EconomySpec | null {
  const data = economyData();
  let before = 0;
  const count = { n: 0 };
  const report: Issue = (p, m) => {
    count.n++;
    issue(p, m);
  };
  before = count.n;
  let preset: RawEconomy = {};
  if (raw.preset !== undefined) {
    const p = data.presets.get(raw.preset);
    if (!p) report(`${at}.preset`, `unknown economy preset '${raw.preset}'; expected one of: ${[...data.presets.keys()].join(', ')}`);
    else preset = p;
  }
  const e = mergeEconomy(mergeEconomy(data.defaults, preset), { ...raw, preset: undefined }) as Required<RawEconomy>;
  const need = <T>(v: T | undefined, path: string): T => {
    if (v === undefined) throw new Error(`${DATA_FILE}: defaults lack ${path}`);
    return v;
  };
  const t = need(e.token, 'token');
  const m = need(e.market, 'market');
  const dm = need(e.demand, 'demand');
  const h = need(e.hyperscaler, 'hyperscaler');
  const dc = need(e.decisions, 'decisions');
  const days = need(e.days, 'days');
  const h100 = ctx.gpus.get('h100-sxm');
  const refPeak = h100 ? h100.peakFlopS.bf16 : H100_BF16;

  // Cohort classes.
  const cohorts: CohortClassSpec[] = [];
  const cd = e.classDefaults ?? {};
  for (const [id, c] of Object.entries(e.cohorts ?? {})) {
    if (c === null || c === undefined) continue;
    const p = `${at}.cohorts.${id}`;
    const cut = id.lastIndexOf('@');
    const gpuId = c.gpu ?? (cut > 0 ? id.slice(0, cut) : id);
    const kindText: string | undefined = c.kind ?? (cut > 0 ? id.slice(cut + 1) : undefined);
    if (kindText === undefined) {
      report(p, `expected an id '<gpu>@<siteKind>' or a kind field, got '${id}'`);
      continue;
    }
    if (!(SITE_KINDS as readonly string[]).includes(kindText)) {
      report(p, `unknown site kind '${kindText}'; expected one of: ${SITE_KINDS.join(', ')}`);
      continue;
    }
    const kind = kindText as SiteKind;
    const gpu = ctx.gpus.get(gpuId);
    if (!gpu) {
      report(c.gpu !== undefined ? `${p}.gpu` : p, `unknown GPU '${gpuId}'; expected one of: ${[...ctx.gpus.keys()].join(', ')}`);
      continue;
    }
    const site = ctx.sites[kind];
    const kd = cd[kind] ?? {};
    const costModel = c.cost ?? site.costModel;
    const perf = c.perf ?? gpu.peakFlopS.bf16 / refPeak;
    let capex = 0;
    if (costModel === 'owned') {
      if (c.capex !== undefined) capex = c.capex;
      else if (gpu.priceUsd !== null) capex = gpu.priceUsd * site.serverOverhead;
      else report(`${p}.capex`, `expected a capex: the catalog has no price for ${gpu.id}`);
    }
    const rent = c.rental ?? gpu.rentalUsdPerS;
    if (rent === null) {
      if (costModel === 'rental') report(`${p}.rental`, `expected a rental price: the catalog has none for ${gpu.id}`);
    }
    const own = raw.cohorts?.[id];
    if (own && own.initialGpus !== undefined && own.initialH100eq !== undefined) report(p, 'expected initialGpus or initialH100eq, not both');
    const pick = <T>(v: T | undefined, fallback: T | undefined, field: string): T => {
      if (v !== undefined) return v;
      if (fallback !== undefined) return fallback;
      report(`${p}.${field}`, `expected ${field}: classDefaults.${kind} has no default`);
      return 0 as T;
    };
    cohorts.push({
      id, gpu: gpu.id, siteKind: kind, region: c.region ?? null, costModel, perfH100eq: perf, capexUsd: capex,
      lifeS: c.life ?? kd.life ?? site.depreciationS,
      residualFraction: pick(c.residual, kd.residual, 'residual'),
      powerW: c.power ?? gpu.tdpW * site.wallPerTdp,
      pue: c.pue ?? site.pue,
      electricityUsdPerJ: c.electricity ?? site.electricityUsdPerJ,
      hostingUsdPerWS: c.hosting ?? site.colocationUsdPerWS ?? 0,
      bandwidthUsdPerS: pick(c.bandwidth, kd.bandwidth, 'bandwidth'),
      uptime: pick(c.uptime, kd.uptime, 'uptime'),
      rentUsdPerS: rent ?? 0,
      rentDecayPerS: pick(c.rentDecayPerYear, kd.rentDecayPerYear, 'rentDecayPerYear') / YEAR_S,
      outsideUtilization: rent === null ? 0 : pick(c.outsideUtilization, kd.outsideUtilization, 'outsideUtilization'),
      leadTimeS: pick(c.leadTime, kd.leadTime, 'leadTime'),
      supplyCapPerDay: pick(c.supplyCapPerDay, kd.supplyCapPerDay, 'supplyCapPerDay'),
      hurdlePerYear: pick(c.hurdlePerYear, kd.hurdlePerYear, 'hurdlePerYear'),
      initialGpus: c.initialGpus ?? (c.initialH100eq !== undefined ? c.initialH100eq / perf : 0),
      initialAgeMaxS: pick(c.initialAgeMax, kd.initialAgeMax, 'initialAgeMax'),
      availableFromDay: c.availableFrom !== undefined ? Math.round(c.availableFrom / DAY_S) : 0,
    });
  }
  if (cohorts.length === 0 && count.n === before) report(`${at}.cohorts`, 'expected at least one cohort class');
  const classIds = cohorts.map((c) => c.id);
  const classIndex = new Map(classIds.map((id, i) => [id, i]));
  const knownClasses = () => classIds.join(', ');

  // Token.
  const em = need(t.emission, 'token.emission');
  const emission = resolveEmission(em, `${at}.token.emission`, report);
  const initialSupply = need(t.initialSupply, 'token.initialSupply');
  const unlocksRaw = t.unlocks ?? {};
  const unlockEntries: [string, z.output<typeof namedUnlock>, string][] = Array.isArray(unlocksRaw)
    ? unlocksRaw.map((u, i) => [u.label ?? `unlock ${i + 1}`, u, `${at}.token.unlocks[${i}]`])
    : Object.entries(unlocksRaw).flatMap(([k, u]) => (u ? [[k, u, `${at}.token.unlocks.${k}`] as [string, z.output<typeof namedUnlock>, string]] : []));
  const unlocks: UnlockSpec[] = unlockEntries.map(([label, u, p]) => ({
    label,
    tokens: u.tokens ?? (report(`${p}.tokens`, 'expected the number of tokens'), 0),
    cliffS: u.cliff ?? 0,
    durationS: u.duration ?? 0,
    sellFraction: u.sellFraction ?? 0,
  }));
  const lockedTotal = unlocks.reduce((a, u) => a + u.tokens, 0);
  if (lockedTotal > initialSupply) {
    report(`${at}.token.unlocks`, `expected locked allocations of at most the initial supply (${fmt(initialSupply)} tokens), got ${fmt(lockedTotal)} tokens`);
  }
  if (emission && emission.kind === 'halving' && emission.maxSupply < initialSupply) {
    report(`${at}.token.emission.maxSupply`, `expected at least the initial supply (${fmt(initialSupply)} tokens), got ${fmt(emission.maxSupply)}`);
  }
  const vesting = t.vesting ?? {};
  const operatorShare = need(t.operatorShare, 'token.operatorShare');
  const initialPriceUsd = need(t.initialPrice, 'token.initialPrice');

  // Market.
  const sent = m.sentiment ?? {};
  const anchor = m.anchor ?? {};
  const freeCap = initialPriceUsd * Math.max(0, initialSupply - lockedTotal);

  // Demand.
  const firstH100 = cohorts.find((c) => c.gpu === 'h100-sxm')?.id ?? null;
  let referenceClass: string | null = firstH100;
  if (dm.referenceClass === null) referenceClass = null;
  else if (dm.referenceClass !== undefined && classIndex.has(dm.referenceClass)) referenceClass = dm.referenceClass;
  else if (dm.referenceClass !== undefined && raw.demand?.referenceClass !== undefined) {
    report(`${at}.demand.referenceClass`, `unknown cohort class '${dm.referenceClass}'; expected one of: ${knownClasses()}, or null`);
  }

  // Hyperscalers.
  const generations = need(h.generations, 'hyperscaler.generations').flatMap((g, i) => {
    const p = `${at}.hyperscaler.generations[${i}]`;
    const gpu = ctx.gpus.get(g.gpu);
    if (!gpu) {
      report(`${p}.gpu`, `unknown GPU '${g.gpu}'; expected one of: ${[...ctx.gpus.keys()].join(', ')}`);
      return [];
    }
    const price = g.price ?? (gpu.priceUsd !== null ? gpu.priceUsd * ctx.sites.hyperscaler.serverOverhead : null);
    if (price === null) {
      report(`${p}.price`, `expected a price: the catalog has none for ${gpu.id}`);
      return [];
    }
    return [{ gpu: gpu.id, fromDay: Math.round((g.from ?? 0) / DAY_S), usdPerGpu: price, perfH100eq: g.perf ?? gpu.peakFlopS.bf16 / refPeak }];
  });

  // Decisions.
  const tiers = need(dc.costTiers, 'decisions.costTiers');
  const wsum = tiers.reduce((a, x) => a + x.weight, 0);

  // Shocks.
  const shocksRaw = e.shocks ?? {};
  const shockEntries: [string, z.output<typeof shockSchema>, string][] = Array.isArray(shocksRaw)
    ? shocksRaw.map((s, i) => [s.label ?? `shock ${i + 1}`, s, `${at}.shocks[${i}]`])
    : Object.entries(shocksRaw).flatMap(([k, s]) => (s ? [[s.label ?? k, s, `${at}.shocks.${k}`] as [string, z.output<typeof shockSchema>, string]] : []));
  const availableFrom = new Map<string, number>();
  const shocks: EconomyShock[] = [];
  const KINDS = ['sentiment', 'investorInflow', 'demand', 'hyperscalerCapex', 'supply', 'generation'] as const;
  // Shocks the scenario wrote are checked strictly; those inherited from the defaults or the preset
  // drop the classes the scenario removed (and the shock, if nothing is left to select).
  const ownShocks = Array.isArray(raw.shocks) ? null : new Set(Object.keys(raw.shocks ?? {}));
  const isOwn = (p: string) => ownShocks === null || ownShocks.has(p.slice(`${at}.shocks.`.length));
  for (const [label, s0, p] of shockEntries) {
    let s = s0;
    if (!isOwn(p)) {
      if (s.supply?.classes) s = { ...s, supply: { ...s.supply, classes: s.supply.classes.filter((id) => classIndex.has(id)) } };
      if (s.generation) s = { ...s, generation: { ...s.generation, classes: s.generation.classes.filter((id) => classIndex.has(id)) } };
      if ((s.supply?.classes && s.supply.classes.length === 0) || (s.generation && s.generation.classes.length === 0)) continue;
      if (s.supply && cohorts.every((c) => (s.supply!.gpus && !s.supply!.gpus.includes(c.gpu)) || (s.supply!.kinds && !s.supply!.kinds.includes(c.siteKind))
        || (s.supply!.regions && (c.region === null || !s.supply!.regions.includes(c.region))))) continue;
    }
    const given = KINDS.filter((k) => s[k] !== undefined);
    if (given.length !== 1) {
      report(p, `expected exactly one of ${KINDS.join(', ')}, got ${given.length === 0 ? 'none' : given.join(' and ')}`);
      continue;
    }
    const atDay = Math.round(s.at / DAY_S);
    const untilDay = s.until !== undefined ? Math.round(s.until / DAY_S) : null;
    if (untilDay !== null && untilDay < atDay) report(`${p}.until`, `expected a time at or after at (${fmt(s.at / DAY_S)} days), got ${fmt(s.until! / DAY_S)} days`);
    const base = { atDay, untilDay, label };
    if (s.sentiment) {
      const over = Math.max(1, Math.round((s.sentiment.over ?? DAY_S) / DAY_S));
      shocks.push({ ...base, kind: 'sentiment', factor: s.sentiment.factor, overDays: over, recoverDays: Math.max(1, Math.round((s.sentiment.recover ?? over * DAY_S) / DAY_S)) });
    } else if (s.investorInflow) shocks.push({ ...base, kind: 'investor-inflow', factor: s.investorInflow.factor });
    else if (s.demand) shocks.push({ ...base, kind: 'demand', factor: s.demand.factor });
    else if (s.hyperscalerCapex) shocks.push({ ...base, kind: 'hyperscaler-capex', factor: s.hyperscalerCapex.factor });
    else if (s.supply) {
      const sp = s.supply;
      let ok = true;
      sp.classes?.forEach((id, j) => {
        if (!classIndex.has(id)) {
          report(`${p}.supply.classes[${j}]`, `unknown cohort class '${id}'; expected one of: ${knownClasses()}`);
          ok = false;
        }
      });
      sp.gpus?.forEach((id, j) => {
        if (!ctx.gpus.has(id)) {
          report(`${p}.supply.gpus[${j}]`, `unknown GPU '${id}'; expected one of: ${[...ctx.gpus.keys()].join(', ')}`);
          ok = false;
        }
      });
      if (!ok) continue;
      if (!sp.classes && !sp.gpus && !sp.kinds && !sp.regions) {
        report(`${p}.supply`, 'expected classes, gpus, kinds or regions to select cohort classes');
        continue;
      }
      if ([sp.capFactor, sp.supplyCapPerDay, sp.leadTime, sp.capexFactor, sp.rentFactor].every((v) => v === undefined)) {
        report(`${p}.supply`, 'expected capFactor, supplyCapPerDay, leadTime, capexFactor or rentFactor');
        continue;
      }
      const sel = cohorts.filter((c) => (!sp.classes || sp.classes.includes(c.id)) && (!sp.gpus || sp.gpus.includes(c.gpu))
        && (!sp.kinds || sp.kinds.includes(c.siteKind)) && (!sp.regions || (c.region !== null && sp.regions.includes(c.region))));
      if (sel.length === 0) {
        report(`${p}.supply`, `selects no cohort class; classes are: ${knownClasses()}`);
        continue;
      }
      shocks.push({
        ...base, kind: 'supply', classes: sel.map((c) => c.id),
        capFactor: sp.capFactor ?? null, supplyCapPerDay: sp.supplyCapPerDay ?? null, leadTimeS: sp.leadTime ?? null,
        capexFactor: sp.capexFactor ?? null, rentFactor: sp.rentFactor ?? null,
      });
    } else if (s.generation) {
      let ok = true;
      s.generation.classes.forEach((id, j) => {
        if (!classIndex.has(id)) {
          report(`${p}.generation.classes[${j}]`, `unknown cohort class '${id}'; expected one of: ${knownClasses()}`);
          ok = false;
        }
      });
      if (!ok) continue;
      for (const id of s.generation.classes) availableFrom.set(id, Math.max(availableFrom.get(id) ?? 0, atDay));
      shocks.push({ ...base, kind: 'generation', classes: s.generation.classes, rentDecayPerS: s.generation.rentDecayPerYear !== undefined ? s.generation.rentDecayPerYear / YEAR_S : null });
    }
  }
  const finalCohorts = cohorts.map((c) => (availableFrom.has(c.id) ? { ...c, availableFromDay: Math.max(c.availableFromDay, availableFrom.get(c.id)!) } : c));

  if (count.n > before || !emission) return null;
  const rent = dm.referenceRent ?? 0;
  return {
    days,
    preset: raw.preset ?? null,
    verificationOverhead: need(e.verificationOverhead, 'verificationOverhead'),
    cohorts: finalCohorts,
    token: {
      emission, initialSupply, initialPriceUsd, operatorShare,
      otherSellFraction: need(t.otherSellFraction, 'token.otherSellFraction'),
      vestingFraction: vesting.fraction ?? 0,
      vestingS: vesting.duration ?? 0,
      unlocks,
      takeRate: need(t.takeRate, 'token.takeRate'),
      burnShare: need(t.burnShare, 'token.burnShare'),
      slashRate: t.slashRate ?? 0,
    },
    market: {
      priceRule: need(m.priceRule, 'market.priceRule'),
      poolDepth: need(m.poolDepth, 'market.poolDepth'),
      poolFee: m.poolFee ?? 0,
      reanchorS: m.reanchor ?? null,
      investorUsdPerDay: need(m.investorInflow, 'market.investorInflow') * DAY_S,
      momentum: m.momentum ?? 0,
      momentumWindowDays: Math.max(1, Math.round((m.momentumWindow ?? 30 * DAY_S) / DAY_S)),
      sentimentVolatility: sent.volatility ?? 0,
      sentimentReversionS: sent.reversion ?? 90 * DAY_S,
      sentimentElasticity: sent.elasticity ?? 1,
      anchor: {
        psRatio: anchor.psRatio ?? 0,
        speculativeValuationUsd: anchor.speculativeValuation ?? freeCap,
        speculativeGrowthPerYear: anchor.speculativeGrowthPerYear ?? 0,
        pull: anchor.pull ?? 1,
      },
    },
    demand: {
      h100eqHoursPerDay: need(dm.h100eqHoursPerDay, 'demand.h100eqHoursPerDay'),
      growthPerYear: dm.growthPerYear ?? 0,
      discount: dm.discount ?? 0,
      elasticity: dm.elasticity ?? 0,
      referenceClass,
      referenceRentUsdPerS: rent,
      referenceRentDecayPerS: (dm.referenceRentDecayPerYear ?? 0) / YEAR_S,
    },
    hyperscaler: {
      capexUsdPerYear: need(h.capexPerYear, 'hyperscaler.capexPerYear'),
      capexGrowthPerYear: h.capexGrowthPerYear ?? 0,
      gpuShare: need(h.gpuShare, 'hyperscaler.gpuShare'),
      initialH100eq: need(h.initialH100eq, 'hyperscaler.initialH100eq'),
      initialAgeMaxS: h.initialAgeMax ?? 0,
      lifeS: need(h.life, 'hyperscaler.life'),
      generations,
    },
    decisions: {
      operatorSellFraction: need(dc.operatorSellFraction, 'decisions.operatorSellFraction'),
      investSpeed: need(dc.investSpeed, 'decisions.investSpeed'),
      seedGpus: dc.seedGpus ?? 0,
      maxGap: dc.maxGap ?? 3,
      expectationHalfLifeS: need(dc.expectationHalfLife, 'decisions.expectationHalfLife'),
      switchRatePerDay: dc.switchRatePerDay ?? 1,
      idleGraceS: need(dc.idleGrace, 'decisions.idleGrace'),
      reenterS: dc.reenter ?? DAY_S,
      reenterMargin: dc.reenterMargin ?? 0,
      exitAfterIdleS: need(dc.exitAfterIdle, 'decisions.exitAfterIdle'),
      migrateRatePerDay: dc.migrateRatePerDay ?? 0,
      migrateMargin: dc.migrateMargin ?? 0,
      vintageS: dc.vintage ?? 90 * DAY_S,
      costTiers: tiers.map((x) => ({ weight: x.weight / wsum, electricityFactor: x.electricityFactor })),
      initialVintages: dc.initialVintages ?? 1,
    },
    shocks,
  };
}

function resolveEmission(em: z.output<typeof emissionSchema>, p: string, report: Issue): EmissionSchedule | null {
  const req = <T>(v: T | undefined, field: string): T | null => {
    if (v === undefined) {
      report(`${p}.${field}`, `expected ${field} for an emission of kind ${em.kind}`);
      return null;
    }
    return v;
  };
  switch (em.kind) {
    case 'halving': {
      const a = req(em.tokensPerDay, 'tokensPerDay'), b = req(em.maxSupply, 'maxSupply');
      return a === null || b === null ? null : { kind: 'halving', tokensPerDay: a, maxSupply: b, blocksPerDay: em.blocksPerDay ?? 7200 };
    }
    case 'exp-decay': {
      const a = req(em.total, 'total'), b = req(em.halfLife, 'halfLife');
      return a === null || b === null ? null : { kind: 'exp-decay', total: a, halfLifeDays: b / DAY_S };
    }
    case 'baseline': {
      const a = req(em.simpleTotal, 'simpleTotal'), b = req(em.baselineTotal, 'baselineTotal'), c = req(em.halfLife, 'halfLife');
      const d = req(em.baselineH100eq, 'baselineH100eq'), g = req(em.growthPerYear, 'growthPerYear');
      return a === null || b === null || c === null || d === null || g === null ? null
        : { kind: 'baseline', simpleTotal: a, baselineTotal: b, halfLifeDays: c / DAY_S, baselineH100eq: d, growthPerDay: Math.log1p(g) / 365 };
    }
    case 'disinflation': {
      const a = req(em.base, 'base'), b = req(em.initialRatePerYear, 'initialRatePerYear'), c = req(em.disinflationPerEpoch, 'disinflationPerEpoch');
      return a === null || b === null || c === null ? null
        : { kind: 'disinflation', base: a, initialRatePerYear: b, disinflationPerEpoch: c, epochsPerDay: em.epochsPerDay ?? 24, cap: em.cap ?? Infinity };
    }
    case 'bme': {
      const a = req(em.tokensPerDay, 'tokensPerDay');
      return a === null ? null : { kind: 'bme', tokensPerDay: a, halfLifeDays: em.halfLife ? em.halfLife / DAY_S : null, remintCapPerDay: em.remintCapPerDay ?? 0 };
    }
  }
}

function fmt(v: number): string {
  return Number.isInteger(v) && Math.abs(v) < 1e6 ? String(v) : v.toPrecision(4).replace(/\.?0+(e|$)/, '$1');
}

// ---------- standalone use (tests, benchmarks, library) ----------

/** The problems of an economy block, one line each: `file: path: message`. */
export class EconomyError extends Error {
  constructor(readonly file: string, readonly issues: readonly { path: string; message: string }[]) {
    super(issues.map((i) => `${file}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'));
  }
}

/** The built-in GPU catalog and site-kind defaults. */
export function catalogContext(): EconomyContext {
  const c = loadCatalog();
  return { gpus: c.gpus, sites: c.defaults.sites };
}

/** Parses and resolves an `economy:` block on its own (with the built-in catalog unless `ctx` is given). */
export function economySpecFrom(block: unknown, ctx: EconomyContext = catalogContext(), file = 'economy'): EconomySpec {
  const parsed = economySchema.safeParse(block ?? {}, { reportInput: true });
  const issues: { path: string; message: string }[] = [];
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const path = ['economy', ...i.path].reduce<string>((a, k) => (typeof k === 'number' ? `${a}[${k}]` : a ? `${a}.${String(k)}` : String(k)), '');
      let message = i.message;
      if (i.code === 'invalid_type') message = `expected ${i.expected}, got ${show((i as { input?: unknown }).input)}`;
      if (i.code === 'unrecognized_keys') message = `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}`;
      if (i.code === 'invalid_value') message = `expected one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}, got ${show((i as { input?: unknown }).input)}`;
      issues.push({ path, message });
    }
    throw new EconomyError(file, issues);
  }
  const spec = resolveEconomy(parsed.data, ctx, (path, message) => issues.push({ path, message }));
  if (!spec) throw new EconomyError(file, issues);
  return spec;
}
