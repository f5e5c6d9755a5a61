/**
 * Emission schedules, as pure functions of the day and what the schedule depends on
 * (issuance for Bittensor's halvings, delivered capacity for Filecoin's baseline minting,
 * yesterday's burn for burn-and-mint). Each replays its protocol's published rule; the
 * replays are tested in test/economy/emission.test.ts.
 *
 * Sources (also in src/data/sources.md):
 * - Bittensor: opentensor/subtensor, pallets/subtensor/src/coinbase/block_emission.rs
 *   (`get_block_emission_for_issuance`: base / 2^floor(log2(1 / (1 − issuance / (2 · 10.5e15 rao)))),
 *   DefaultBlockEmission = 1e9 rao = 1 TAO per 12 s block; https://docs.taostats.io/docs/halving.
 * - io.net: https://docs.iog.net/docs/token-emission-schedule (epoch 1 = 500M × 8 % / 8,760 =
 *   4,566.21 IO; rate × (1 − 0.0013886952395979300 %) per hourly epoch; 300M over 20 years).
 * - Filecoin: CELtd/filecoin-mecha-twin mechafil/minting.py (cum_simple_minting, network_time,
 *   cum_baseline_reward; λ = ln2 / (6·365) per day; 330M simple, 770M baseline) and
 *   https://spec.filecoin.io/#section-systems.filecoin_token.
 * - Burn-and-mint: Render's BME (https://medium.com/render-token/update-render-burn-mint-equilibrium-emissions-are-live-0dd50a266b1d),
 *   Helium net emissions (helium/HIP, modification of net emissions: re-mint of burned HNT up to a cap).
 */
import type { EmissionSchedule } from './spec';

/** What a schedule may read besides the day. */
export interface EmissionInputs {
  /** Tokens in existence that count as issued (initial + minted − burned). */
  readonly issuance: number;
  /** Tokens minted by this schedule so far in the simulated window. */
  readonly minted: number;
  /** Effective capacity delivered today, H100-equivalents (baseline minting). */
  readonly capacityH100eq: number;
  /** Tokens burned yesterday (burn-and-mint re-minting). */
  readonly burnedYesterday: number;
}

/** Carried state of schedules that need it (Filecoin baseline: cumulative capped capacity and θ). */
export interface EmissionState {
  readonly cumCapped: number;
  readonly theta: number;
}

export const EMISSION_STATE_0: EmissionState = { cumCapped: 0, theta: 0 };

/**
 * Bittensor block emission for an issuance (tokens; the chain works in rao = 1e-9 TAO):
 * base / 2^k with k = floor(log2(1 / (1 − issuance / maxSupply))), 0 at or above maxSupply.
 * k is found by comparing with the thresholds maxSupply·(1 − 2^−(k+1)) so that floating-point
 * log2 never misplaces a boundary.
 */
export function halvingBlockEmission(perBlock: number, maxSupply: number, issuance: number): number {
  if (issuance >= maxSupply) return 0;
  let k = 0;
  while (k < 64 && issuance >= maxSupply * (1 - 2 ** -(k + 1))) k++;
  return perBlock / 2 ** k;
}

/** Tokens a halving schedule mints over `blocks` blocks from `issuance`, each block checking issuance before it mints. */
export function halvingEmission(perBlock: number, maxSupply: number, issuance: number, blocks: number): number {
  let total = 0;
  let left = blocks;
  let iss = issuance;
  while (left > 0) {
    const e = halvingBlockEmission(perBlock, maxSupply, iss);
    if (e <= 0) break;
    let k = 0;
    while (iss >= maxSupply * (1 - 2 ** -(k + 1))) k++;
    const next = maxSupply * (1 - 2 ** -(k + 1));
    // Blocks at this rate: until issuance reaches the next threshold (the crossing block mints at the old rate).
    const n = Math.min(left, Math.max(1, Math.ceil((next - iss) / e - 1e-9)));
    total += n * e;
    iss += n * e;
    left -= n;
  }
  return total;
}

/** Filecoin simple minting: tokens minted by the end of day `t` (t days since launch), total·(1 − e^{−λt}). */
export function expDecayCumulative(total: number, halfLifeDays: number, t: number): number {
  return total * (1 - Math.exp((-Math.LN2 / halfLifeDays) * t));
}

/** mechaFIL `network_time`: θ = ln(1 + g·cumCapped / b0) / g (days). */
export function networkTime(cumCapped: number, b0: number, g: number): number {
  return Math.log1p((g * cumCapped) / b0) / g;
}

/** io.net per-epoch emission of epoch n ≥ 1: base·r_1·(1 − δ)^(n−1), r_1 = rate / 8,760. */
export function disinflationEpoch(base: number, initialRatePerYear: number, disinflationPerEpoch: number, n: number): number {
  return (base * initialRatePerYear / 8760) * (1 - disinflationPerEpoch) ** (n - 1);
}

/** Sum of epochs first..first+count−1 in closed form (geometric series). */
function disinflationSum(base: number, rate: number, delta: number, first: number, count: number): number {
  const q = 1 - delta;
  const a = disinflationEpoch(base, rate, delta, first);
  return delta === 0 ? a * count : (a * (1 - q ** count)) / delta;
}

/**
 * Tokens minted on day `day` (0-based; day d covers [d, d+1) days since the schedule started)
 * and the schedule's state after it. Never negative; never mints past the schedule's cap.
 */
export function emissionForDay(s: EmissionSchedule, day: number, inp: EmissionInputs, st: EmissionState): { tokens: number; state: EmissionState } {
  switch (s.kind) {
    case 'halving':
      return { tokens: halvingEmission(s.tokensPerDay / s.blocksPerDay, s.maxSupply, inp.issuance, s.blocksPerDay), state: st };
    case 'exp-decay': {
      const t = expDecayCumulative(s.total, s.halfLifeDays, day + 1) - expDecayCumulative(s.total, s.halfLifeDays, day);
      return { tokens: Math.max(0, t), state: st };
    }
    case 'baseline': {
      const simple = expDecayCumulative(s.simpleTotal, s.halfLifeDays, day + 1) - expDecayCumulative(s.simpleTotal, s.halfLifeDays, day);
      const b = s.baselineH100eq * Math.exp(s.growthPerDay * day);
      const cumCapped = st.cumCapped + Math.min(b, Math.max(0, inp.capacityH100eq));
      const theta = networkTime(cumCapped, s.baselineH100eq, s.growthPerDay);
      const lambda = Math.LN2 / s.halfLifeDays;
      const base = s.baselineTotal * (Math.exp(-lambda * st.theta) - Math.exp(-lambda * theta));
      return { tokens: Math.max(0, simple) + Math.max(0, base), state: { cumCapped, theta } };
    }
    case 'disinflation': {
      const t = disinflationSum(s.base, s.initialRatePerYear, s.disinflationPerEpoch, day * s.epochsPerDay + 1, s.epochsPerDay);
      return { tokens: Math.max(0, Math.min(t, s.cap - inp.minted)), state: st };
    }
    case 'bme': {
      const sched = s.halfLifeDays === null ? s.tokensPerDay : s.tokensPerDay * 2 ** (-day / s.halfLifeDays);
      return { tokens: sched + Math.min(s.remintCapPerDay, Math.max(0, inp.burnedYesterday)), state: st };
    }
  }
}
