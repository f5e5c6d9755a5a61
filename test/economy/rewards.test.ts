/**
 * Rewards follow verified contribution: the operators' share of each day's emission is split
 * across cohort classes in proportion to the verified H100-eq seconds the run reports.
 */
import { describe, it, expect } from 'vitest';
import { economySpecFrom } from '../../src/scenario/economy';
import { advanceDay, economyDay } from '../../src/economy/day';
import { initialState } from '../../src/economy/state';
import { streamFor } from '../../src/engine/rng';

/** Two identical H100 classes of 1,000 GPUs each, nothing else. */
const twins = () => economySpecFrom({
  cohorts: {
    'a100-80gb@tier2': null, 'rtx-4090@home': null, 'h100-sxm@cloud': null, 'b200@tier2': null,
    'h100-sxm@tier2': { initialGpus: 1000 },
    'h100-twin': { gpu: 'h100-sxm', kind: 'tier2', initialGpus: 1000 },
  },
  shocks: { blackwell: null },
});

describe('rewards follow verified work', () => {
  it('a class doing half the verified work earns half', () => {
    const spec = twins();
    const s = initialState(spec);
    const r = economyDay(spec, s, { verifiedH100eqS: { 'h100-sxm@tier2': 4e7, 'h100-twin': 2e7 } }, streamFor(1, 'economy'));
    expect(r.rewardShares['h100-sxm@tier2']).toBeCloseTo(2 / 3, 12);
    expect(r.rewardShares['h100-twin']).toBeCloseTo(1 / 3, 12);
    expect(r.rewardTokens['h100-twin'] * 2).toBeCloseTo(r.rewardTokens['h100-sxm@tier2'], 9);
    // All of the operators' emission is paid out, less slashing.
    const t = spec.token;
    expect(r.rewardTokens['h100-sxm@tier2'] + r.rewardTokens['h100-twin'])
      .toBeCloseTo(r.row.emission_tokens * t.operatorShare * (1 - t.slashRate), 6);
  });

  it('the verification overhead does not change shares; a class absent from the report earns nothing', () => {
    const spec = twins();
    const r = economyDay(spec, initialState(spec), { verifiedH100eqS: { 'h100-sxm@tier2': 5e7 } }, streamFor(1, 'economy'));
    expect(r.rewardShares['h100-sxm@tier2']).toBe(1);
    expect(r.rewardShares['h100-twin']).toBe(0);
    expect(r.rewardTokens['h100-twin']).toBe(0);
    expect(r.row.verified_h100eq_s).toBeCloseTo(5e7 * (1 - spec.verificationOverhead), 3);
  });

  it('no verified work at all: the operators\' emission is not minted', () => {
    const spec = twins();
    const r = economyDay(spec, initialState(spec), { verifiedH100eqS: {} }, streamFor(1, 'economy'));
    expect(Object.values(r.rewardShares).every((v) => v === 0)).toBe(true);
    expect(r.row.emission_tokens).toBeCloseTo(7200 * (1 - spec.token.operatorShare), 6);
  });

  it('over a month, a straggling class (half the verified work) earns half and builds less cash', () => {
    const spec = twins();
    const s = initialState(spec);
    const rng = streamFor(2, 'economy');
    let full = 0;
    let half = 0;
    for (let d = 0; d < 30; d++) {
      const nameplate = (id: string) => s.cohorts.filter((k) => k.classId === id).reduce((a, k) => a + k.active, 0) * 86400 * 0.98;
      const r = advanceDay(spec, s, { verifiedH100eqS: { 'h100-sxm@tier2': nameplate('h100-sxm@tier2'), 'h100-twin': 0.5 * nameplate('h100-twin') } }, rng);
      full += r.rewardTokens['h100-sxm@tier2'];
      half += r.rewardTokens['h100-twin'];
    }
    expect(half / full).toBeCloseTo(0.5, 6);
    const cash = (id: string) => s.cohorts.filter((k) => k.classId === id).reduce((a, k) => a + k.cashUsd, 0);
    expect(cash('h100-twin')).toBeLessThan(cash('h100-sxm@tier2'));
  });

  it('uncoupled, every active GPU delivers perf × uptime × 86,400 s and shares follow capacity', () => {
    const spec = economySpecFrom({ preset: 'base' });
    const r = economyDay(spec, initialState(spec), {}, streamFor(3, 'economy'));
    const cap: Record<string, number> = {};
    let total = 0;
    for (const c of spec.cohorts) {
      cap[c.id] = c.initialGpus * c.perfH100eq * c.uptime;
      total += cap[c.id];
    }
    for (const c of spec.cohorts) expect(r.rewardShares[c.id]).toBeCloseTo(cap[c.id] / total, 9);
    expect(Object.values(r.rewardShares).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
