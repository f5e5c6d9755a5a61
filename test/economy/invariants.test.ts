/**
 * Invariants asserted on every day of five-year runs, across presets, emission schedules, price
 * rules and seeds, uncoupled and with reported (noisy) verified work:
 *   circulating + locked + pool + burned = initial supply + minted   (state.ts)
 *   reward shares sum to 1 whenever verified work was done
 *   no NaN or infinity in any row or balance; no negative balance or GPU count.
 */
import { describe, it, expect } from 'vitest';
import { economySpecFrom } from '../../src/scenario/economy';
import { advanceDay, economyDay, economyColumns, type DayInput } from '../../src/economy/day';
import { circulatingTokens, conservationResidual, initialState, lockedTokens, type EconomyState } from '../../src/economy/state';
import { runEconomy } from '../../src/economy/run';
import { streamFor } from '../../src/engine/rng';
import type { EconomySpec } from '../../src/economy/spec';

const SCHEDULES: Record<string, unknown> = {
  'exp-decay': { kind: 'exp-decay', total: 11e6, halfLife: '4 years' },
  baseline: { kind: 'baseline', simpleTotal: 3e6, baselineTotal: 7e6, halfLife: '6 years', baselineH100eq: 20000, growthPerYear: 1 },
  disinflation: { kind: 'disinflation', base: 10e6, initialRatePerYear: 0.08, disinflationPerEpoch: 1.3886952395979300e-5, cap: 6e6 },
  bme: { kind: 'bme', tokensPerDay: 5000, halfLife: '4 years', remintCapPerDay: 2000 },
};

function checkDay(spec: EconomySpec, s: EconomyState, row: Record<string, number>, shares: Record<string, number>, where: string): void {
  const scale = s.supply.initial + s.supply.minted;
  const residual = conservationResidual(s);
  if (!(Math.abs(residual) <= 1e-9 * scale)) throw new Error(`${where}: tokens not conserved, residual ${residual}`);
  const sum = Object.values(shares).reduce((a, b) => a + b, 0);
  if (row.verified_h100eq_s > 0 ? Math.abs(sum - 1) > 1e-12 : sum !== 0) throw new Error(`${where}: reward shares sum to ${sum}`);
  for (const [k, v] of Object.entries(row)) if (!Number.isFinite(v)) throw new Error(`${where}: row ${k} = ${v}`);
  const neg = (name: string, v: number) => {
    if (!Number.isFinite(v) || v < -1e-9 * Math.max(1, scale)) throw new Error(`${where}: ${name} = ${v}`);
  };
  neg('float', s.supply.float);
  neg('lockedUnlocks', s.supply.lockedUnlocks);
  neg('burned', s.supply.burned);
  neg('minted', s.supply.minted);
  neg('circulating', circulatingTokens(s));
  neg('locked', lockedTokens(s));
  if (!(s.pool.tokens > 0 && s.pool.usd > 0 && s.priceUsd > 0)) throw new Error(`${where}: pool ${JSON.stringify(s.pool)}`);
  s.classes.forEach((c, i) => {
    neg(`held[${i}]`, c.heldTokens);
    neg(`lockedRewards[${i}]`, c.lockedTokens);
    for (const o of c.orders) neg(`order[${i}]`, o.gpus);
  });
  for (const k of s.cohorts) {
    for (const f of ['active', 'idle', 'migrated', 'exited', 'retired', 'delivered', 'capexUsd'] as const) neg(`${k.classId}.${f}`, k[f]);
    if (!Number.isFinite(k.cashUsd)) throw new Error(`${where}: cash ${k.cashUsd}`);
  }
  if (!(s.hyperscalerH100eq >= 0)) throw new Error(`${where}: hyperscaler ${s.hyperscalerH100eq}`);
  if ('day' in row && !economyColumns(spec).every((c) => c in row)) throw new Error(`${where}: missing columns`);
}

function runChecked(spec: EconomySpec, seed: number, label: string, coupled: boolean): void {
  const s = initialState(spec);
  const rng = streamFor(seed, 'economy');
  const noise = streamFor(seed, 'work');
  checkDay(spec, s, { verified_h100eq_s: 0 }, {}, `${label} day 0 initial`);
  for (let d = 0; d < spec.days; d++) {
    let input: DayInput = {};
    if (coupled) {
      // A training run that verifies 30–60 % of nameplate work, and nothing at all one day in fifty.
      const v: Record<string, number> = {};
      const off = noise.uniform() < 0.02;
      for (const k of s.cohorts) {
        const c = spec.cohorts[k.cls];
        v[c.id] = (v[c.id] ?? 0) + (off ? 0 : k.active * c.perfH100eq * 86400 * (0.3 + 0.3 * noise.uniform()));
      }
      input = { verifiedH100eqS: v };
    }
    const r = advanceDay(spec, s, input, rng);
    checkDay(spec, s, r.row as Record<string, number>, r.rewardShares, `${label} seed ${seed} day ${d}`);
  }
}

describe('economy invariants on every day of 5-year runs', () => {
  for (const preset of ['base', 'bull', 'token-crash', 'hyperscalers-withhold']) {
    for (const priceRule of ['pool', 'anchor']) {
      it(`${preset}, halving, ${priceRule} price`, () => {
        const spec = economySpecFrom({ preset, market: { priceRule } });
        expect(spec.days).toBe(1825);
        for (const seed of [1, 2]) runChecked(spec, seed, `${preset}/${priceRule}`, false);
        runChecked(spec, 3, `${preset}/${priceRule} coupled`, true);
      });
    }
  }
  for (const [name, emission] of Object.entries(SCHEDULES)) {
    for (const priceRule of ['pool', 'anchor']) {
      it(`${name} emission, ${priceRule} price`, () => {
        const spec = economySpecFrom({ preset: 'token-crash', token: { emission }, market: { priceRule } });
        for (const seed of [4, 5]) runChecked(spec, seed, `${name}/${priceRule}`, false);
        runChecked(spec, 6, `${name}/${priceRule} coupled`, true);
      });
    }
  }

  it('economyDay is pure: it never mutates its input state; same seed, same rows', () => {
    const spec = economySpecFrom({ preset: 'token-crash' });
    let s = initialState(spec);
    const rng = streamFor(9, 'economy');
    for (let d = 0; d < 400; d++) {
      const before = JSON.stringify(s);
      const r = economyDay(spec, s, {}, rng);
      expect(JSON.stringify(s)).toBe(before);
      expect(r.state).not.toBe(s);
      s = r.state;
    }
    const a = runEconomy(spec, 11).rows;
    const b = runEconomy(spec, 11).rows;
    expect(b).toEqual(a);
    expect(runEconomy(spec, 12).rows).not.toEqual(a);
    // economyDay and the in-place runner agree.
    const inPlace = initialState(spec);
    const rngA = streamFor(13, 'economy');
    const rngB = streamFor(13, 'economy');
    let pure = initialState(spec);
    for (let d = 0; d < 200; d++) {
      const x = advanceDay(spec, inPlace, {}, rngA).row;
      const y = economyDay(spec, pure, {}, rngB);
      pure = y.state;
      expect(y.row).toEqual(x);
    }
  });
});
