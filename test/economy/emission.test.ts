/**
 * Exact replays of published emission schedules.
 */
import { describe, it, expect } from 'vitest';
import {
  disinflationEpoch, emissionForDay, EMISSION_STATE_0, expDecayCumulative, halvingBlockEmission, halvingEmission, networkTime,
  type EmissionState,
} from '../../src/economy/emission';
import type { EmissionSchedule } from '../../src/economy/spec';

const inputs = (issuance = 0, minted = 0, capacityH100eq = 0, burnedYesterday = 0) => ({ issuance, minted, capacityH100eq, burnedYesterday });

describe('Bittensor halving (opentensor/subtensor pallets/subtensor/src/coinbase/block_emission.rs)', () => {
  // get_block_emission_for_issuance: residual = log2(1 / (1 − issuance / (2 × 10_500_000_000_000_000 rao))),
  // emission = DefaultBlockEmission (1e9 rao = 1 TAO, pallets/subtensor/src/lib.rs) / 2^floor(residual),
  // 0 at or above TotalSupply (21M TAO). One block every 12 s: 7,200 per day (docs.taostats.io/docs/halving).
  const subtensor = (issuance: number) => issuance >= 21e6 ? 0 : 1 / 2 ** Math.floor(Math.log2(1 / (1 - issuance / (2 * 10.5e6))));
  const bittensor: EmissionSchedule = { kind: 'halving', tokensPerDay: 7200, maxSupply: 21e6, blocksPerDay: 7200 };

  it('emits 1 TAO per block and 7,200 TAO per day below 10.5M issued', () => {
    for (const iss of [0, 1, 5e6, 10e6, 10.5e6 - 7200]) {
      expect(halvingBlockEmission(1, 21e6, iss)).toBe(1);
      expect(emissionForDay(bittensor, 0, inputs(iss), EMISSION_STATE_0).tokens).toBe(7200);
    }
  });

  it('matches the chain formula at and around every threshold', () => {
    const points = [10.5e6, 10.5e6 - 1e-3, 15.75e6, 15.75e6 - 1, 18.375e6, 19.6875e6, 20.9e6, 21e6, 22e6];
    for (let i = 0; i < 200; i++) points.push((i / 200) * 21e6);
    for (const iss of points) expect(halvingBlockEmission(1, 21e6, iss)).toBe(subtensor(iss));
    expect(halvingBlockEmission(1, 21e6, 10.5e6)).toBe(0.5); // 3,600 TAO/day after the first halving
    expect(halvingBlockEmission(1, 21e6, 15.75e6)).toBe(0.25);
  });

  it('halves within the day issuance crosses 10.5M, block by block', () => {
    // 1,000.5 TAO below the threshold: 1,001 blocks at 1 TAO (the crossing block mints at the old
    // rate, issuance is checked before each block), then 6,199 blocks at 0.5.
    expect(halvingEmission(1, 21e6, 10.5e6 - 1000.5, 7200)).toBeCloseTo(1001 + 6199 * 0.5, 9);
    // Block-by-block replay of the chain for the same day.
    let iss = 10.5e6 - 1000.5;
    let total = 0;
    for (let b = 0; b < 7200; b++) {
      const e = subtensor(iss);
      iss += e;
      total += e;
    }
    expect(halvingEmission(1, 21e6, 10.5e6 - 1000.5, 7200)).toBeCloseTo(total, 9);
  });

  it('replays days from 10M issued: 7,200/day, the halving on day 69, then 3,600/day', () => {
    let iss = 10e6;
    const days: number[] = [];
    for (let d = 0; d < 80; d++) {
      const e = emissionForDay(bittensor, d, inputs(iss), EMISSION_STATE_0).tokens;
      days.push(e);
      iss += e;
    }
    // 69 full days mint 496,800; day 69 mints the last 3,200 at 1 TAO and 4,000 blocks at 0.5.
    expect(days.slice(0, 69).every((e) => e === 7200)).toBe(true);
    expect(days[69]).toBe(3200 + 4000 * 0.5);
    expect(days.slice(70).every((e) => e === 3600)).toBe(true);
  });
});

describe('io.net disinflation (docs.iog.net/docs/token-emission-schedule)', () => {
  const base = 500e6;
  const rate = 0.08;
  const delta = 0.0013886952395979300 / 100;
  it('replays the first six hourly epochs of the published table', () => {
    // "First 6 Hours Emission Example": 4,566.21; 4,566.15; 4,566.08; 4,566.02; 4,565.96; 4,565.89;
    // total supply 500,027,396.31 after epoch 6.
    const table = [4566.21, 4566.15, 4566.08, 4566.02, 4565.96, 4565.89];
    let supply = base;
    table.forEach((v, i) => {
      const e = disinflationEpoch(base, rate, delta, i + 1);
      expect(Math.round(e * 100) / 100).toBe(v);
      supply += e;
    });
    expect(Math.round(supply * 100) / 100).toBe(500_027_396.31);
    // Epoch 1 = 500M × 8 % / 8,760 exactly.
    expect(disinflationEpoch(base, rate, delta, 1)).toBeCloseTo((500e6 * 0.08) / 8760, 9);
  });

  it('day 0 is the sum of the first 24 epochs; 175,319 epochs emit ~300M', () => {
    const io: EmissionSchedule = { kind: 'disinflation', base, initialRatePerYear: rate, disinflationPerEpoch: delta, epochsPerDay: 24, cap: 300e6 };
    let sum24 = 0;
    for (let n = 1; n <= 24; n++) sum24 += disinflationEpoch(base, rate, delta, n);
    expect(emissionForDay(io, 0, inputs(), EMISSION_STATE_0).tokens).toBeCloseTo(sum24, 6);
    let day1 = 0;
    for (let n = 25; n <= 48; n++) day1 += disinflationEpoch(base, rate, delta, n);
    expect(emissionForDay(io, 1, inputs(), EMISSION_STATE_0).tokens).toBeCloseTo(day1, 6);
    let all = 0;
    for (let n = 1; n <= 175_319; n++) all += disinflationEpoch(base, rate, delta, n);
    expect(all / 300e6).toBeGreaterThan(0.995);
    expect(all / 300e6).toBeLessThan(1.005);
    // The cap stops emission.
    expect(emissionForDay(io, 100, inputs(0, 300e6), EMISSION_STATE_0).tokens).toBe(0);
  });
});

describe('Filecoin minting (mechaFIL mechafil/minting.py; spec.filecoin.io filecoin_token)', () => {
  // cum_simple_minting(day) = SIMPLE_ALLOC·(1 − exp(−LAMBDA·day)), SIMPLE_ALLOC = 0.3 × 0.55 × 2e9 = 330M,
  // LAMBDA = ln2 / (6 × 365) per day.
  const LAMBDA = Math.log(2) / (6 * 365);
  const cumSimple = (day: number) => 330e6 * (1 - Math.exp(-LAMBDA * day));
  const simple: EmissionSchedule = { kind: 'exp-decay', total: 330e6, halfLifeDays: 6 * 365 };

  it('simple minting: the daily emissions add up to 330M·(1 − e^{−λt}) on every day', () => {
    let cum = 0;
    for (let d = 0; d < 6 * 365; d++) {
      cum += emissionForDay(simple, d, inputs(), EMISSION_STATE_0).tokens;
      expect(cum).toBeCloseTo(cumSimple(d + 1), 3);
    }
    // Half of the simple allocation after one half-life.
    expect(cum).toBeCloseTo(165e6, 3);
    expect(expDecayCumulative(330e6, 6 * 365, 6 * 365)).toBeCloseTo(165e6, 6);
  });

  it('baseline minting: θ and the cumulative baseline reward follow network_time and cum_baseline_reward', () => {
    const g = Math.log(2) / 365; // GROWTH_RATE
    const b0 = 1000; // baseline in H100-eq (mechaFIL: 2.77 EiB of storage)
    const hybrid: EmissionSchedule = { kind: 'baseline', simpleTotal: 330e6, baselineTotal: 770e6, halfLifeDays: 6 * 365, baselineH100eq: b0, growthPerDay: g };
    // Capacity above the baseline every day: capped power = b(t), θ ≈ t.
    let st: EmissionState = EMISSION_STATE_0;
    let cumCapped = 0;
    let cumBaseline = 0;
    for (let d = 0; d < 1000; d++) {
      const b = b0 * Math.exp(g * d);
      const r = emissionForDay(hybrid, d, inputs(0, 0, 10 * b), st);
      st = r.state;
      cumCapped += b;
      const theta = (1 / g) * Math.log((g * cumCapped) / b0 + 1); // mechaFIL network_time
      expect(st.theta).toBeCloseTo(theta, 9);
      expect(networkTime(cumCapped, b0, g)).toBeCloseTo(theta, 9);
      cumBaseline += r.tokens - (cumSimple(d + 1) - cumSimple(d));
      expect(cumBaseline).toBeCloseTo(770e6 * (1 - Math.exp(-LAMBDA * theta)), 2); // cum_baseline_reward
      expect(Math.abs(st.theta - (d + 1))).toBeLessThan(1);
    }
    // Under-delivery (half the baseline) mints less of the baseline part.
    let low: EmissionState = EMISSION_STATE_0;
    let mintedLow = 0;
    for (let d = 0; d < 1000; d++) {
      const r = emissionForDay(hybrid, d, inputs(0, 0, 0.5 * b0 * Math.exp(g * d)), low);
      low = r.state;
      mintedLow += r.tokens - (cumSimple(d + 1) - cumSimple(d));
    }
    expect(mintedLow).toBeLessThan(0.75 * cumBaseline);
    expect(low.theta).toBeLessThan(st.theta);
  });
});

describe('burn-and-mint', () => {
  it('mints the schedule plus yesterday\'s burn up to the re-mint cap (Helium net emissions)', () => {
    const bme: EmissionSchedule = { kind: 'bme', tokensPerDay: 6251, halfLifeDays: null, remintCapPerDay: 1000 };
    expect(emissionForDay(bme, 3, inputs(0, 0, 0, 400), EMISSION_STATE_0).tokens).toBe(6651);
    expect(emissionForDay(bme, 3, inputs(0, 0, 0, 5000), EMISSION_STATE_0).tokens).toBe(7251);
    const halving: EmissionSchedule = { kind: 'bme', tokensPerDay: 1000, halfLifeDays: 365, remintCapPerDay: 0 };
    expect(emissionForDay(halving, 365, inputs(), EMISSION_STATE_0).tokens).toBeCloseTo(500, 9);
  });
});
