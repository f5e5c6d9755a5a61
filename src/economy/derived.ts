/**
 * Figures derived once per spec (cached): OpEx per GPU-day by class and cost tier, and the
 * environment of each day after the dated shocks (sentiment path, supply caps, lead times,
 * prices, availability), plus the hyperscalers' capacity path. All pure functions of the spec.
 */
import { emissionForDay, EMISSION_STATE_0 } from './emission';
import { DAY_S, DAYS_PER_YEAR, type EconomySpec } from './spec';

export interface ClassDerived {
  readonly lifeDays: Float64Array;
  /** Power, hosting and bandwidth per GPU-day, by class then tier (rented classes: bandwidth only; rent is per day). */
  readonly ownedOpexPerGpuDay: Float64Array[];
  /** Revenue per GPU-day an operator would expect on day 0 (seeds the adaptive expectation). */
  readonly initialRevenuePerGpuDay: Float64Array;
  readonly nameplate: Float64Array;
  /** Index of the class whose rental price sets the network's price, or −1. */
  readonly referenceClass: number;
  /** Row column of each class's active GPUs. */
  readonly columns: readonly string[];
  /** Per-day work arrays (one day at a time; contents are meaningless between calls). */
  readonly scratch: Readonly<Record<'activeC' | 'verified' | 'shares' | 'opexC' | 'installed' | 'activeNext' | 'received' | 'fiatC' | 'est', Float64Array>>;
}

export interface DayEnv {
  readonly sentimentLn: number;
  readonly investorFactor: number;
  readonly demandFactor: number;
  readonly hyperCapexFactor: number;
  readonly capPerDay: Float64Array;
  readonly leadDays: Float64Array;
  readonly capexFactor: Float64Array;
  /** Rental price of each class that day, USD per GPU-day (after decay and shocks). */
  readonly rentPerDay: Float64Array;
  readonly available: Uint8Array;
  /** Hyperscaler H100-equivalents added that day (new purchases). */
  readonly hyperAdd: number;
}

/** Column name of a class's active GPUs in an EconomyRow. */
export function columnOf(classId: string): string {
  return `gpus_${classId.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
}

const classCache = new WeakMap<EconomySpec, ClassDerived>();
const envCache = new WeakMap<EconomySpec, DayEnv[]>();

export function classDerived(spec: EconomySpec): ClassDerived {
  const hit = classCache.get(spec);
  if (hit) return hit;
  const n = spec.cohorts.length;
  const lifeDays = new Float64Array(n);
  const nameplate = new Float64Array(n);
  const ownedOpexPerGpuDay: Float64Array[] = [];
  spec.cohorts.forEach((c, i) => {
    lifeDays[i] = c.lifeS / DAY_S;
    nameplate[i] = c.perfH100eq * c.uptime * (1 - spec.verificationOverhead);
    const tiers = new Float64Array(spec.decisions.costTiers.length);
    spec.decisions.costTiers.forEach((t, ti) => {
      const bw = c.bandwidthUsdPerS * DAY_S;
      tiers[ti] = c.costModel === 'rental' ? bw
        : c.powerW * c.pue * DAY_S * c.electricityUsdPerJ * t.electricityFactor + c.hostingUsdPerWS * c.powerW * DAY_S + bw;
    });
    ownedOpexPerGpuDay.push(tiers);
  });
  const ref = spec.demand.referenceClass === null ? -1 : spec.cohorts.findIndex((c) => c.id === spec.demand.referenceClass);

  // Day-0 expectation: the day-0 operator emission at the initial price plus fiat revenue, per
  // nameplate H100-eq, times each class's nameplate.
  const t = spec.token;
  let cap = 0;
  spec.cohorts.forEach((c, i) => { cap += c.initialGpus * nameplate[i]; });
  const e0 = emissionForDay(t.emission, 0, { issuance: t.initialSupply, minted: 0, capacityH100eq: cap, burnedYesterday: 0 }, EMISSION_STATE_0).tokens;
  const env0 = dayEnv(spec, 0);
  const fiat0 = fiatRevenue(spec, env0, 0, cap).operatorsUsd;
  const perH100eq = cap > 0 ? (t.operatorShare * e0 * t.initialPriceUsd + fiat0) / cap : 0;
  const initialRevenuePerGpuDay = new Float64Array(n);
  for (let i = 0; i < n; i++) initialRevenuePerGpuDay[i] = perH100eq * nameplate[i];

  const columns = spec.cohorts.map((c) => columnOf(c.id));
  const scratch = Object.fromEntries(['activeC', 'verified', 'shares', 'opexC', 'installed', 'activeNext', 'received', 'fiatC', 'est']
    .map((k) => [k, new Float64Array(n)])) as unknown as ClassDerived['scratch'];
  const d: ClassDerived = { lifeDays, ownedOpexPerGpuDay, initialRevenuePerGpuDay, nameplate, referenceClass: ref, columns, scratch };
  classCache.set(spec, d);
  return d;
}

/** The network's price per H100-eq-second and the customers' fiat spend for a day. */
export function fiatRevenue(spec: EconomySpec, env: DayEnv, day: number, capacityH100eq: number): {
  grossUsd: number; operatorsUsd: number; feeUsd: number; demandHours: number; utilization: number;
  /** What operators keep per H100-eq-day sold (after the fee; 0 under burn-and-mint). */
  operatorsUsdPerH100eqDay: number;
} {
  const dm = spec.demand;
  const ref = referenceIndex(spec);
  const cloudPerS = ref >= 0 && spec.cohorts[ref].perfH100eq > 0
    ? env.rentPerDay[ref] / DAY_S / spec.cohorts[ref].perfH100eq
    : dm.referenceRentUsdPerS * Math.exp(-dm.referenceRentDecayPerS * day * DAY_S);
  const pNet = (1 - dm.discount) * cloudPerS;
  const demandHours = dm.h100eqHoursPerDay * (1 + dm.growthPerYear) ** (day / DAYS_PER_YEAR) * env.demandFactor
    * (1 - dm.discount) ** -dm.elasticity;
  const sellable = Math.max(0, capacityH100eq) * 24;
  const utilization = sellable > 0 ? Math.min(1, demandHours / sellable) : 0;
  const grossUsd = utilization * sellable * 3600 * pNet;
  const bme = spec.token.emission.kind === 'bme';
  const feeUsd = bme ? grossUsd : spec.token.takeRate * grossUsd;
  const keep = bme ? 0 : 1 - spec.token.takeRate;
  return { grossUsd, operatorsUsd: grossUsd - feeUsd, feeUsd, demandHours, utilization, operatorsUsdPerH100eqDay: keep * pNet * DAY_S };
}

const refCache = new WeakMap<EconomySpec, number>();
function referenceIndex(spec: EconomySpec): number {
  let r = refCache.get(spec);
  if (r === undefined) {
    r = spec.demand.referenceClass === null ? -1 : spec.cohorts.findIndex((c) => c.id === spec.demand.referenceClass);
    refCache.set(spec, r);
  }
  return r;
}

/** The environment of `day` after every shock (cached per spec). */
export function dayEnv(spec: EconomySpec, day: number): DayEnv {
  let arr = envCache.get(spec);
  if (!arr) {
    arr = [];
    envCache.set(spec, arr);
  }
  let e = arr[day];
  if (!e) {
    e = computeEnv(spec, day);
    arr[day] = e;
  }
  return e;
}

const active = (s: { atDay: number; untilDay: number | null }, day: number) => day >= s.atDay && (s.untilDay === null || day <= s.untilDay);

function computeEnv(spec: EconomySpec, day: number): DayEnv {
  const n = spec.cohorts.length;
  let sentimentLn = 0;
  let investorFactor = 1;
  let demandFactor = 1;
  let hyperCapexFactor = 1;
  const capPerDay = new Float64Array(n);
  const leadDays = new Float64Array(n);
  const capexFactor = new Float64Array(n).fill(1);
  const rentFactor = new Float64Array(n).fill(1);
  const available = new Uint8Array(n);
  spec.cohorts.forEach((c, i) => {
    capPerDay[i] = c.supplyCapPerDay;
    leadDays[i] = c.leadTimeS / DAY_S;
    available[i] = day >= c.availableFromDay ? 1 : 0;
  });
  const index = new Map(spec.cohorts.map((c, i) => [c.id, i]));
  // Rent decay: piecewise, each generation shock switches the other classes to its decay rate.
  const decayRate = spec.cohorts.map((c) => c.rentDecayPerS * DAY_S);
  const rentLn = new Float64Array(n);
  const gens = spec.shocks.filter((s) => s.kind === 'generation' && s.rentDecayPerS !== null).sort((a, b) => a.atDay - b.atDay);
  for (let i = 0; i < n; i++) {
    let from = 0;
    let rate = decayRate[i];
    for (const g of gens) {
      if (g.kind !== 'generation' || g.atDay >= day) break;
      if (g.classes.includes(spec.cohorts[i].id)) continue;
      rentLn[i] -= rate * (g.atDay - from);
      from = g.atDay;
      rate = (g.rentDecayPerS ?? 0) * DAY_S;
    }
    rentLn[i] -= rate * (day - from);
  }
  for (const s of spec.shocks) {
    if (s.kind === 'sentiment') {
      if (day < s.atDay) continue;
      const ramp = Math.min(1, (day - s.atDay + 1) / Math.max(1, s.overDays));
      const back = s.untilDay === null || day <= s.untilDay ? 0 : Math.min(1, (day - s.untilDay) / Math.max(1, s.recoverDays));
      sentimentLn += Math.log(s.factor) * ramp * (1 - back);
      continue;
    }
    if (!active(s, day)) continue;
    switch (s.kind) {
      case 'investor-inflow': investorFactor *= s.factor; break;
      case 'demand': demandFactor *= s.factor; break;
      case 'hyperscaler-capex': hyperCapexFactor *= s.factor; break;
      case 'supply':
        for (const id of s.classes) {
          const i = index.get(id);
          if (i === undefined) continue;
          if (s.supplyCapPerDay !== null) capPerDay[i] = s.supplyCapPerDay;
          if (s.capFactor !== null) capPerDay[i] *= s.capFactor;
          if (s.leadTimeS !== null) leadDays[i] = s.leadTimeS / DAY_S;
          if (s.capexFactor !== null) capexFactor[i] *= s.capexFactor;
          if (s.rentFactor !== null) rentFactor[i] *= s.rentFactor;
        }
        break;
      case 'generation': break;
    }
  }
  const rentPerDay = new Float64Array(n);
  spec.cohorts.forEach((c, i) => { rentPerDay[i] = c.rentUsdPerS * DAY_S * Math.exp(rentLn[i]) * rentFactor[i]; });

  // Hyperscalers: the day's GPU budget buys the newest generation available.
  const h = spec.hyperscaler;
  let gen = h.generations[0];
  for (const g of h.generations) if (g.fromDay <= day && (gen === undefined || g.fromDay >= gen.fromDay)) gen = g;
  const budget = (h.capexUsdPerYear * (1 + h.capexGrowthPerYear) ** (day / DAYS_PER_YEAR) / DAYS_PER_YEAR) * h.gpuShare * hyperCapexFactor;
  const hyperAdd = gen && gen.usdPerGpu > 0 ? (budget / gen.usdPerGpu) * gen.perfH100eq : 0;

  return { sentimentLn, investorFactor, demandFactor, hyperCapexFactor, capPerDay, leadDays, capexFactor, rentPerDay, available, hyperAdd };
}

/** Share of the hyperscalers' day-0 fleet retired by `day` (ages spread evenly over [0, initialAgeMax]). */
export function hyperscalerInitialRetired(spec: EconomySpec, day: number): number {
  const h = spec.hyperscaler;
  const lifeDays = h.lifeS / DAY_S;
  const ageMax = h.initialAgeMaxS / DAY_S;
  if (ageMax <= 0) return day >= lifeDays ? 1 : 0;
  return Math.min(1, Math.max(0, (day - (lifeDays - ageMax)) / ageMax));
}
