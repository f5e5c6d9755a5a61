/**
 * One day of the token economy, as ordered substeps (cadCAD's partial state update blocks:
 * every decision of a substep sees the same state):
 *
 *  1. environment: dated shocks (derived.ts), sentiment ln m = shock path + OU noise
 *  2. verified work per class → reward shares w_c = V_c / ΣV (sum to 1)
 *  3. emission E (emission.ts); operators' part op·E (unminted if nobody did verified work),
 *     slashing, the rest to validators/owners
 *  4. customers' demand and fiat revenue, protocol fee (buy-back and burn share)
 *  5. rewards by share, linear vesting of the locked part; revenue per GPU and P&L per cohort
 *  6. decisions: migrate to / back from the rental market, idle after a grace period of
 *     negative cash, re-enter, exit after a long idle spell, orders when expected ROI beats the
 *     hurdle (capped by supply, delivered after the lead time)
 *  7. market: operators sell (OpEx cover first), validators and unlocks sell, investors buy
 *     (sentiment × momentum), buy-back and burn, sentiment repricing; the anchor rule if chosen;
 *     liquidity re-anchoring
 *  8. tomorrow's fleet: retirements at end of life, deliveries; metrics row
 */
import type { RandomStream } from '../engine/rng';
import { emissionForDay } from './emission';
import { buyTokens, sellTokens, tokensToLowerPrice, usdToRaisePrice, type Pool } from './pool';
import { DAY_S, DAYS_PER_YEAR, type EconomySpec } from './spec';
import { classDerived, columnOf, dayEnv, fiatRevenue, hyperscalerInitialRetired } from './derived';
import { bookValue, circulatingTokens, cloneState, lockedTokens, vestingDays, type CohortState, type EconomyState } from './state';

export interface DayInput {
  /**
   * Verified work the training run measured per cohort class id during this day, in
   * H100-equivalent GPU-seconds (useful model FLOP ÷ H100 dense BF16 peak), before the
   * verification overhead (applied here). Absent for an uncoupled run: then
   * active × perf × uptime × 86,400 s. A class missing from a given record did no verified work.
   */
  readonly verifiedH100eqS?: Readonly<Record<string, number>>;
}

/** One day's flat numeric columns for economy.csv (see ECONOMY_COLUMNS and economyColumns()). */
export type EconomyRow = Readonly<Record<string, number>>;

export interface DayResult {
  readonly state: EconomyState;
  readonly row: EconomyRow;
  /**
   * GPUs of each cohort class that should be online in the training run from tomorrow (active:
   * not idle, not migrated, not exited or retired; tomorrow's arrivals included), rounded to
   * whole GPUs.
   */
  readonly targetActiveGpus: Record<string, number>;
  /** Today's reward shares per class id (sum to 1 when any verified work was done, else all 0). */
  readonly rewardShares: Record<string, number>;
  /** Operator reward tokens earned today per class id (locked and immediate parts together, after slashing). */
  readonly rewardTokens: Record<string, number>;
}

/** Fixed columns of an EconomyRow, in order; then `gpus_<class>` per cohort class (economyColumns). */
export const ECONOMY_COLUMNS = [
  'day', 'price_usd', 'market_cap_usd', 'circulating_tokens', 'minted_tokens', 'burned_tokens', 'locked_tokens',
  'pool_tokens', 'pool_usd', 'emission_tokens', 'emission_value_usd', 'operator_reward_usd', 'required_subsidy_usd',
  'subsidy_coverage', 'absorption_ratio', 'investor_buy_usd', 'investor_sell_usd', 'operator_sell_usd', 'other_sell_usd',
  'unlock_sell_usd', 'buyback_usd', 'fiat_revenue_usd', 'demand_h100eq_hours', 'utilization', 'sentiment',
  'capacity_h100eq', 'verified_h100eq_s', 'hyperscaler_h100eq', 'capacity_share', 'home_share', 'gpus_active',
  'gpus_idle', 'gpus_migrated', 'gpus_exited', 'gpus_retired', 'gpus_on_order', 'gpus_arrived', 'idle_fraction',
  'exit_fraction',
] as const;

/** Column name of a class's active GPUs: 'gpus_' + the class id with every other character than [a-z0-9] as '_'. */
export function classColumn(classId: string): string {
  return columnOf(classId);
}

export function economyColumns(spec: EconomySpec): string[] {
  return [...ECONOMY_COLUMNS, ...spec.cohorts.map((c) => classColumn(c.id))];
}

/** The day `state.day` of the economy. Pure: `state` is not modified; `rng` advances. */
export function economyDay(spec: EconomySpec, state: EconomyState, input: DayInput, rng: RandomStream): DayResult {
  return advanceDay(spec, cloneState(state), input, rng);
}

/** As economyDay, but updates `s` in place (runEconomy owns its state; no copy per day). */
export function advanceDay(spec: EconomySpec, s: EconomyState, input: DayInput, rng: RandomStream): DayResult {
  const d = s.day;
  const D = classDerived(spec);
  const env = dayEnv(spec, d);
  const n = spec.cohorts.length;
  const t = spec.token;
  const m = spec.market;
  const dec = spec.decisions;
  const P = s.priceUsd;

  // 1. Sentiment: deterministic shock path + mean-reverting noise.
  const prevLn = s.sentimentLn;
  const tau = Math.max(1, m.sentimentReversionS / DAY_S);
  s.sentimentNoise = s.sentimentNoise * (1 - 1 / tau) + m.sentimentVolatility * rng.normal();
  s.sentimentLn = env.sentimentLn + s.sentimentNoise;
  const sentiment = Math.exp(s.sentimentLn);

  // 2. Capacity and verified work.
  const activeC = D.scratch.activeC.fill(0);
  for (const k of s.cohorts) activeC[k.cls] += k.active;
  let capacity = 0;
  let homeCapacity = 0;
  const verified = D.scratch.verified.fill(0);
  let totalVerified = 0;
  const given = input.verifiedH100eqS;
  for (let i = 0; i < n; i++) {
    const np = activeC[i] * D.nameplate[i];
    capacity += np;
    if (spec.cohorts[i].siteKind === 'home') homeCapacity += np;
    const v = given ? Math.max(0, given[spec.cohorts[i].id] ?? 0) * (1 - spec.verificationOverhead) : np * DAY_S;
    verified[i] = Number.isFinite(v) ? v : 0;
    totalVerified += verified[i];
  }
  const shares = D.scratch.shares.fill(0);
  if (totalVerified > 0) for (let i = 0; i < n; i++) shares[i] = verified[i] / totalVerified;

  // 3. Emission.
  const issuance = s.supply.initial + s.supply.minted - s.supply.burned;
  const em = emissionForDay(t.emission, d, { issuance, minted: s.supply.minted, capacityH100eq: capacity, burnedYesterday: s.burnedYesterday }, s.emission);
  s.emission = em.state;
  const opTokens = totalVerified > 0 ? t.operatorShare * em.tokens : 0;
  const otherTokens = (1 - t.operatorShare) * em.tokens;
  const slashed = opTokens * t.slashRate;
  const rewards = opTokens - slashed;
  const minted = opTokens + otherTokens;
  s.supply.minted += minted;
  s.supply.float += otherTokens;
  let burnedToday = slashed;

  // 4. Customers.
  const fiat = fiatRevenue(spec, env, d, capacity);

  // 5. Rewards, vesting, revenue per GPU.
  const vf = t.vestingFraction;
  const vDays = vestingDays(spec);
  const received = D.scratch.received;
  const fiatC = D.scratch.fiatC;
  const est = D.scratch.est;
  // What one more H100-eq would earn per day if `extra` H100-eq joined: the operators' emission
  // (as if someone worked) and fiat revenue at the utilization the extra capacity would see.
  const potential = t.operatorShare * em.tokens * (1 - t.slashRate) * P;
  const valuePerH100eq = (extra: number): number => {
    const c = capacity + extra;
    return c > 0 ? (potential + fiat.operatorsUsdPerH100eqDay * Math.min(c, fiat.demandHours / 24)) / c : 0;
  };
  const alpha = 1 - 2 ** (-1 / Math.max(1e-9, dec.expectationHalfLifeS / DAY_S));
  for (let i = 0; i < n; i++) {
    const cs = s.classes[i];
    const earned = rewards * shares[i];
    fiatC[i] = fiat.operatorsUsd * shares[i];
    let release = 0;
    if (vDays > 0) {
      const slot = d % (vDays + 1);
      cs.vestRate = Math.max(0, cs.vestRate - cs.vestDrops[slot]);
      cs.vestDrops[slot] = 0;
      release = Math.min(cs.lockedTokens, cs.vestRate);
      const lock = vf * earned;
      cs.lockedTokens += lock - release;
      cs.vestRate += lock / vDays;
      cs.vestDrops[slot] += lock / vDays; // slot d ≡ d + vDays + 1: the rate drops after vDays days of release
    }
    received[i] = (vDays > 0 ? (1 - vf) * earned : earned) + release;
    cs.heldTokens += received[i];
    // Revenue per active GPU-day (rewards accrued at today's price, + fiat); for a class with no
    // active GPU, what a first batch (seedGpus) would earn.
    est[i] = activeC[i] > 0 ? (earned * P + fiatC[i]) / activeC[i]
      : valuePerH100eq(Math.max(1, dec.seedGpus) * D.nameplate[i]) * D.nameplate[i];
    cs.revExp += alpha * (est[i] - cs.revExp);
  }

  // 6. Cohort P&L and decisions.
  const opexC = D.scratch.opexC.fill(0);
  let required = 0;
  const graceDays = dec.idleGraceS / DAY_S;
  const reenterDays = dec.reenterS / DAY_S;
  const exitDays = dec.exitAfterIdleS / DAY_S;
  for (const k of s.cohorts) {
    if (k.active + k.idle + k.migrated <= 0) continue;
    const i = k.cls;
    const c = spec.cohorts[i];
    const rental = c.costModel === 'rental';
    const opex = D.ownedOpexPerGpuDay[i][k.tier] + (rental ? env.rentPerDay[i] : 0);
    const r = est[i];
    const outside = rental ? 0 : env.rentPerDay[i] * c.outsideUtilization;
    if (k.active > 0) {
      k.cashUsd += k.active * (r - opex);
      opexC[i] += k.active * opex;
      const capexPer = k.delivered > 0 ? k.capexUsd / k.delivered : 0;
      required += k.active * (rental ? opex * (1 + c.hurdlePerYear) : capexPer / D.lifeDays[i] + (c.hurdlePerYear * capexPer) / DAYS_PER_YEAR + opex);
    }
    if (k.migrated > 0) k.cashUsd += k.migrated * (outside - opex);
    if (k.paybackDay === null && k.capexUsd > 0 && k.cashUsd >= k.capexUsd) k.paybackDay = d;

    // Migration to and from the outside rental market (owned GPUs only).
    if (!rental && c.outsideUtilization > 0) {
      if (k.active > 0 && outside > r * (1 + dec.migrateMargin) && outside > opex) {
        const move = k.active * dec.migrateRatePerDay;
        k.active -= move;
        k.migrated += move;
      } else if (k.migrated > 0 && r > outside * (1 + dec.migrateMargin) && r > opex) {
        const back = k.migrated * dec.migrateRatePerDay;
        k.migrated -= back;
        k.active += back;
      } else if (k.migrated > 0 && outside < opex && r < opex) {
        k.idle += k.migrated;
        k.migrated = 0;
      }
    }
    // Idle after the grace period of negative cash (a share of the cohort per day); rented GPUs
    // are released instead.
    if (k.active > 0) {
      k.negDays = r < opex ? k.negDays + 1 : 0;
      if (k.negDays > graceDays) {
        const x = k.active * dec.switchRatePerDay;
        if (rental) k.exited += x;
        else k.idle += x;
        k.active -= x;
      }
    }
    if (k.idle > 0) {
      // Coming back would dilute: what the idle GPUs would earn if they all rejoined.
      const back = valuePerH100eq(k.idle * D.nameplate[i]) * D.nameplate[i];
      k.posDays = back > opex * (1 + dec.reenterMargin) ? k.posDays + 1 : 0;
      k.idleDays += 1;
      if (k.posDays >= reenterDays) {
        const x = k.idle * dec.switchRatePerDay;
        k.idle -= x;
        k.active += x;
        k.idleDays = 0;
        k.negDays = 0;
      } else if (k.idleDays >= exitDays) {
        k.exited += k.idle;
        k.idle = 0;
        k.idleDays = 0;
      }
    }
  }

  // Orders: expected ROI (owned) or margin over rent (rented) against the hurdle.
  const installed = D.scratch.installed.fill(0);
  for (const k of s.cohorts) installed[k.cls] += k.active + k.idle;
  let onOrder = 0;
  for (let i = 0; i < n; i++) {
    const c = spec.cohorts[i];
    const cs = s.classes[i];
    let pipeline = 0;
    for (const o of cs.orders) pipeline += o.gpus;
    if (env.available[i] && env.capPerDay[i] > 0 && c.hurdlePerYear > 0) {
      let opex = 0;
      dec.costTiers.forEach((tier, ti) => { opex += tier.weight * D.ownedOpexPerGpuDay[i][ti]; });
      if (c.costModel === 'rental') opex += env.rentPerDay[i];
      const capex = c.capexUsd * env.capexFactor[i];
      const ret = c.costModel === 'rental' || capex <= 0
        ? (opex > 0 ? (cs.revExp - opex) / opex : 0)
        : (DAYS_PER_YEAR * (cs.revExp - opex)) / capex - (1 - c.residualFraction) / (D.lifeDays[i] / DAYS_PER_YEAR);
      const gap = (ret - c.hurdlePerYear) / c.hurdlePerYear;
      if (gap > 0) {
        const q = Math.min(env.capPerDay[i], dec.investSpeed * (installed[i] + pipeline + dec.seedGpus) * Math.min(dec.maxGap, gap));
        if (q > 0) {
          cs.orders.push({ arriveDay: d + Math.max(1, Math.round(env.leadDays[i])), gpus: q, capexPerGpu: capex });
          pipeline += q;
        }
      }
    }
    onOrder += pipeline;
  }

  // 7. Market.
  let pool: Pool = s.pool;
  const fee = m.poolFee;
  let opSellTok = 0;
  for (let i = 0; i < n; i++) {
    const cs = s.classes[i];
    const need = P > 0 ? Math.max(0, opexC[i] - fiatC[i]) / P : 0;
    const want = need + dec.operatorSellFraction * Math.max(0, received[i] - need);
    const sell = Math.min(cs.heldTokens, want);
    cs.heldTokens -= sell;
    opSellTok += sell;
  }
  let r1 = sellTokens(pool, opSellTok, fee);
  pool = r1.pool;
  const operatorSellUsd = r1.usdOut;

  const otherSellTok = Math.min(s.supply.float, otherTokens * t.otherSellFraction);
  s.supply.float -= otherSellTok;
  r1 = sellTokens(pool, otherSellTok, fee);
  pool = r1.pool;
  const otherSellUsd = r1.usdOut;

  let unlockSellTok = 0;
  for (const u of t.unlocks) {
    const cliff = u.cliffS / DAY_S;
    const dur = Math.max(1, Math.round(u.durationS / DAY_S));
    if (d < cliff || d >= cliff + dur) continue;
    const x = Math.min(s.supply.lockedUnlocks, u.tokens / dur);
    s.supply.lockedUnlocks -= x;
    s.supply.unlockedTeam += x;
    const sell = x * u.sellFraction;
    s.supply.float += x - sell;
    unlockSellTok += sell;
  }
  r1 = sellTokens(pool, unlockSellTok, fee);
  pool = r1.pool;
  const unlockSellUsd = r1.usdOut;

  const hist = s.priceHistory;
  const ret = hist.length > 0 && hist[0] > 0 ? Math.log(P / hist[0]) : 0;
  // Base buying × shock factor × sentiment × momentum (clamped to [0, 3]); sentiment changes also
  // reprice at once (below).
  const investorBase = m.investorUsdPerDay * env.investorFactor * sentiment * Math.min(3, Math.max(0, 1 + m.momentum * ret));
  let r2 = buyTokens(pool, investorBase, fee);
  pool = r2.pool;
  s.supply.float += r2.tokensOut;
  let investorBuyUsd = investorBase;
  let investorSellUsd = 0;

  const buybackUsd = spec.token.emission.kind === 'bme' ? fiat.feeUsd : fiat.feeUsd * t.burnShare;
  r2 = buyTokens(pool, buybackUsd, fee);
  pool = r2.pool;
  s.supply.burned += slashed + r2.tokensOut;
  burnedToday += r2.tokensOut;

  if (m.priceRule === 'pool') {
    const ratio = Math.exp(m.sentimentElasticity * (s.sentimentLn - prevLn));
    if (ratio < 1) {
      const tok = Math.min(s.supply.float, tokensToLowerPrice(pool, ratio));
      s.supply.float -= tok;
      r1 = sellTokens(pool, tok, fee);
      pool = r1.pool;
      investorSellUsd += r1.usdOut;
    } else if (ratio > 1) {
      const usd = usdToRaisePrice(pool, ratio);
      r2 = buyTokens(pool, usd, fee);
      pool = r2.pool;
      s.supply.float += r2.tokensOut;
      investorBuyUsd += usd;
    }
  } else {
    const supplyNow = circulatingTokens(s) + pool.tokens;
    const a = m.anchor;
    const valuation = Math.max(a.psRatio * DAYS_PER_YEAR * fiat.grossUsd,
      a.speculativeValuationUsd * (1 + a.speculativeGrowthPerYear) ** (d / DAYS_PER_YEAR) * sentiment);
    const pFund = supplyNow > 0 ? valuation / supplyNow : pool.usd / pool.tokens;
    const pNow = pool.usd / pool.tokens;
    const target = pNow ** (1 - a.pull) * pFund ** a.pull;
    pool = { tokens: pool.tokens, usd: pool.tokens * target };
  }

  // Liquidity providers re-size the pool to poolDepth × market cap at the current price.
  if (m.reanchorS !== null && m.reanchorS > 0 && (d + 1) % Math.max(1, Math.round(m.reanchorS / DAY_S)) === 0) {
    const price = pool.usd / pool.tokens;
    const targetTokens = m.poolDepth * (circulatingTokens(s) + pool.tokens);
    let dx = targetTokens - pool.tokens;
    if (dx > 0) dx = Math.min(dx, s.supply.float);
    else dx = Math.max(dx, -0.5 * pool.tokens);
    s.supply.float -= dx;
    pool = { tokens: pool.tokens + dx, usd: (pool.tokens + dx) * price };
  }
  s.pool = pool;
  s.priceUsd = pool.usd / pool.tokens;
  s.peakPriceUsd = Math.max(s.peakPriceUsd, s.priceUsd);
  hist.push(s.priceUsd);
  while (hist.length > m.momentumWindowDays + 1) hist.shift();
  s.burnedYesterday = burnedToday;

  // 8. Tomorrow's fleet: retirements, then deliveries into the current vintage.
  const tomorrow = d + 1;
  for (const k of s.cohorts) {
    const live = k.active + k.idle + k.migrated;
    if (live <= 0) continue;
    const life = D.lifeDays[k.cls];
    if (tomorrow - k.vintageDay >= life) {
      const capexPer = k.delivered > 0 ? k.capexUsd / k.delivered : 0;
      if (spec.cohorts[k.cls].costModel === 'owned') k.cashUsd += live * bookValue(capexPer, spec.cohorts[k.cls].residualFraction, life, life);
      k.retired += live;
      k.active = 0;
      k.idle = 0;
      k.migrated = 0;
    }
  }
  // Cohorts with nothing left move to `closed` (they never change again).
  let dead = 0;
  for (const k of s.cohorts) if (k.active + k.idle + k.migrated <= 0) dead++;
  if (dead > 0) {
    const gone = s.cohorts.filter((k) => k.active + k.idle + k.migrated <= 0);
    for (const k of gone) {
      s.closedExited += k.exited;
      s.closedRetired += k.retired;
    }
    s.closed = s.closed.concat(gone);
    s.cohorts = s.cohorts.filter((k) => k.active + k.idle + k.migrated > 0);
  }
  let arrived = 0;
  const vDaysWindow = Math.max(1, Math.round(dec.vintageS / DAY_S));
  const vintage = Math.floor(tomorrow / vDaysWindow) * vDaysWindow;
  for (let i = 0; i < n; i++) {
    const cs = s.classes[i];
    if (!cs.orders.some((o) => o.arriveDay <= tomorrow)) continue;
    const keep = [];
    for (const o of cs.orders) {
      if (o.arriveDay > tomorrow) {
        keep.push(o);
        continue;
      }
      arrived += o.gpus;
      onOrder -= o.gpus;
      dec.costTiers.forEach((tier, ti) => {
        const g = o.gpus * tier.weight;
        if (g <= 0) return;
        let k = findCohort(s.cohorts, i, vintage, ti);
        if (!k) {
          k = {
            cls: i, classId: spec.cohorts[i].id, vintageDay: vintage, tier: ti, initial: false,
            active: 0, idle: 0, migrated: 0, exited: 0, retired: 0, delivered: 0,
            capexUsd: 0, cashUsd: 0, negDays: 0, posDays: 0, idleDays: 0, paybackDay: null,
          };
          s.cohorts.push(k);
        }
        k.active += g;
        k.delivered += g;
        k.capexUsd += g * o.capexPerGpu;
      });
    }
    cs.orders = keep;
  }

  // Hyperscalers.
  const lifeH = Math.round(spec.hyperscaler.lifeS / DAY_S);
  const retiredAdd = d - lifeH >= 0 ? dayEnv(spec, d - lifeH).hyperAdd : 0;
  const c0 = spec.hyperscaler.initialH100eq;
  s.hyperscalerH100eq += env.hyperAdd - retiredAdd - c0 * (hyperscalerInitialRetired(spec, d + 1) - hyperscalerInitialRetired(spec, d));
  s.hyperscalerH100eq = Math.max(0, s.hyperscalerH100eq);

  // Metrics.
  let gActive = 0, gIdle = 0, gMig = 0, gExit = 0, gRet = 0;
  const target: Record<string, number> = {};
  const activeNext = D.scratch.activeNext.fill(0);
  for (const k of s.cohorts) {
    gActive += k.active; gIdle += k.idle; gMig += k.migrated; gExit += k.exited; gRet += k.retired;
    activeNext[k.cls] += k.active;
  }
  gExit += s.closedExited;
  gRet += s.closedRetired;
  const rewardShares: Record<string, number> = {};
  const rewardTokens: Record<string, number> = {};
  spec.cohorts.forEach((c, i) => {
    target[c.id] = Math.round(activeNext[i]);
    rewardShares[c.id] = shares[i];
    rewardTokens[c.id] = rewards * shares[i];
  });
  const circ = circulatingTokens(s);
  const price = s.priceUsd;
  const investorNet = investorBuyUsd - investorSellUsd;
  const sells = operatorSellUsd + otherSellUsd + unlockSellUsd;
  const requiredSubsidy = Math.max(0, required - fiat.operatorsUsd);
  const operatorRewardUsd = rewards * P;
  const emissionValueUsd = minted * P;

  const T = s.totals;
  T.investorBuyUsd += investorBuyUsd;
  T.investorSellUsd += investorSellUsd;
  T.operatorSellUsd += operatorSellUsd;
  T.otherSellUsd += otherSellUsd;
  T.unlockSellUsd += unlockSellUsd;
  T.buybackUsd += buybackUsd;
  T.fiatRevenueUsd += fiat.grossUsd;
  T.emissionValueUsd += emissionValueUsd;
  T.operatorRewardUsd += operatorRewardUsd;
  T.requiredSubsidyUsd += requiredSubsidy;
  T.capacityH100eqDays += capacity;
  T.hyperscalerH100eqDays += s.hyperscalerH100eq;

  const row: Record<string, number> = {
    day: d,
    price_usd: price,
    market_cap_usd: price * (circ + pool.tokens),
    circulating_tokens: circ,
    minted_tokens: s.supply.minted,
    burned_tokens: s.supply.burned,
    locked_tokens: lockedTokens(s),
    pool_tokens: pool.tokens,
    pool_usd: pool.usd,
    emission_tokens: minted,
    emission_value_usd: emissionValueUsd,
    operator_reward_usd: operatorRewardUsd,
    required_subsidy_usd: requiredSubsidy,
    subsidy_coverage: requiredSubsidy > 0 ? operatorRewardUsd / requiredSubsidy : 0,
    absorption_ratio: Math.max(0, investorNet) / Math.max(1, sells),
    investor_buy_usd: investorBuyUsd,
    investor_sell_usd: investorSellUsd,
    operator_sell_usd: operatorSellUsd,
    other_sell_usd: otherSellUsd,
    unlock_sell_usd: unlockSellUsd,
    buyback_usd: buybackUsd,
    fiat_revenue_usd: fiat.grossUsd,
    demand_h100eq_hours: fiat.demandHours,
    utilization: fiat.utilization,
    sentiment,
    capacity_h100eq: capacity,
    verified_h100eq_s: totalVerified,
    hyperscaler_h100eq: s.hyperscalerH100eq,
    capacity_share: s.hyperscalerH100eq > 0 ? capacity / s.hyperscalerH100eq : 0,
    home_share: capacity > 0 ? homeCapacity / capacity : 0,
    gpus_active: gActive,
    gpus_idle: gIdle,
    gpus_migrated: gMig,
    gpus_exited: gExit,
    gpus_retired: gRet,
    gpus_on_order: Math.max(0, onOrder),
    gpus_arrived: arrived,
    idle_fraction: gActive + gIdle > 0 ? gIdle / (gActive + gIdle) : 0,
    exit_fraction: gActive + gIdle + gMig + gExit > 0 ? (gMig + gExit) / (gActive + gIdle + gMig + gExit) : 0,
  };
  for (let i = 0; i < n; i++) row[D.columns[i]] = activeNext[i];
  s.day = d + 1;
  return { state: s, row, targetActiveGpus: target, rewardShares, rewardTokens };
}

function findCohort(cohorts: CohortState[], cls: number, vintage: number, tier: number): CohortState | undefined {
  for (let j = cohorts.length - 1; j >= 0; j--) {
    const k = cohorts[j];
    if (k.cls === cls && k.vintageDay === vintage && k.tier === tier && !k.initial) return k;
    if (k.vintageDay < vintage && !k.initial) break;
  }
  return undefined;
}
