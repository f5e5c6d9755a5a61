/**
 * The canonical presets (src/data/economy.yaml), uncoupled, differ in the directions the
 * literature explains: a bull market buys capacity; a token crash idles retail GPUs first and
 * shrinks capacity; hyperscalers withholding datacenter GPUs shift the fleet to home GPUs.
 * Medians over seeds (monteCarlo), so no single noise path decides.
 */
import { describe, it, expect } from 'vitest';
import { economySpecFrom, economyPresets } from '../../src/scenario/economy';
import { monteCarlo, runEconomy, type MonteCarloResult } from '../../src/economy/run';
import type { EconomySpec } from '../../src/economy/spec';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const specs: Record<string, EconomySpec> = {};
const mc: Record<string, MonteCarloResult> = {};
for (const p of ['base', 'bull', 'token-crash', 'hyperscalers-withhold']) {
  specs[p] = economySpecFrom({ preset: p });
}
const bands = (p: string) => (mc[p] ??= monteCarlo(specs[p], SEEDS));
const p50 = (p: string, k: string) => bands(p).final[k].p50;
const day50 = (p: string, col: string, d: number) => bands(p).daily[col].p50[d];

describe('economy presets', () => {
  it('ships the three canonical setups and a base', () => {
    expect(economyPresets()).toEqual(expect.arrayContaining(['base', 'bull', 'token-crash', 'hyperscalers-withhold']));
    expect(specs['token-crash'].shocks.some((s) => s.kind === 'sentiment' && s.factor < 1)).toBe(true);
    expect(specs['hyperscalers-withhold'].shocks.some((s) => s.kind === 'supply' && s.capFactor !== null && s.capFactor < 1)).toBe(true);
  });

  it('token crash: lower price and capacity than the bull market, and than base after the crash', () => {
    expect(p50('token-crash', 'priceUsd')).toBeLessThan(p50('bull', 'priceUsd'));
    expect(p50('token-crash', 'capacityH100eq')).toBeLessThan(p50('bull', 'capacityH100eq'));
    expect(p50('token-crash', 'capacityH100eqDays')).toBeLessThan(p50('bull', 'capacityH100eqDays'));
    expect(p50('token-crash', 'capacityH100eqDays')).toBeLessThan(p50('base', 'capacityH100eqDays'));
    expect(day50('token-crash', 'price_usd', 365)).toBeLessThan(0.5 * day50('base', 'price_usd', 365));
    expect(day50('token-crash', 'capacity_h100eq', 365)).toBeLessThan(0.75 * day50('base', 'capacity_h100eq', 365));
    // Before the crash (day 180) the two are the same run.
    expect(day50('token-crash', 'capacity_h100eq', 150)).toBeCloseTo(day50('base', 'capacity_h100eq', 150), 6);
  });

  it('token crash: home GPUs idle or exit first (fewer target active home GPUs; tier-2 GPUs do not idle)', () => {
    expect(day50('token-crash', 'gpus_rtx_4090_home', 300)).toBeLessThan(0.6 * day50('base', 'gpus_rtx_4090_home', 300));
    for (const seed of [1, 2, 3]) {
      const crash = runEconomy({ ...specs['token-crash'], days: 300 }, seed).summary.gpusByClass;
      const off = (id: string) => {
        const g = crash[id];
        return (g.idle + g.exited) / (g.active + g.idle + g.migrated + g.exited);
      };
      expect(off('rtx-4090@home')).toBeGreaterThan(0.3);
      expect(off('rtx-4090@home')).toBeGreaterThan(off('h100-sxm@tier2') + 0.25);
    }
  });

  it('bull market: higher price and more capacity than base', () => {
    expect(p50('bull', 'priceUsd')).toBeGreaterThan(p50('base', 'priceUsd'));
    expect(p50('bull', 'capacityH100eqDays')).toBeGreaterThan(1.5 * p50('base', 'capacityH100eqDays'));
    expect(p50('bull', 'capacityShare')).toBeGreaterThan(p50('base', 'capacityShare'));
  });

  it('hyperscalers withhold: home GPUs carry the network and datacenter arrivals shrink', () => {
    expect(p50('hyperscalers-withhold', 'homeShare')).toBeGreaterThan(0.5);
    expect(p50('hyperscalers-withhold', 'homeShare')).toBeGreaterThan(p50('base', 'homeShare') + 0.3);
    expect(p50('hyperscalers-withhold', 'homeShare')).toBeGreaterThan(p50('bull', 'homeShare') + 0.3);
    // Withheld supply changes the class mix of arrivals.
    const arrivals = (p: string) => {
      const out: Record<string, number> = {};
      for (const seed of [1, 2]) {
        for (const k of runEconomy(specs[p], seed).summary.cohorts) if (!k.initial) out[k.class] = (out[k.class] ?? 0) + k.delivered;
      }
      return out;
    };
    const base = arrivals('base');
    const hold = arrivals('hyperscalers-withhold');
    const dc = (a: Record<string, number>) => (a['h100-sxm@tier2'] ?? 0) + (a['b200@tier2'] ?? 0) + (a['h100-sxm@cloud'] ?? 0);
    const all = (a: Record<string, number>) => Object.values(a).reduce((x, y) => x + y, 0);
    expect(dc(hold)).toBeLessThan(0.5 * dc(base));
    expect((hold['rtx-4090@home'] ?? 0) / all(hold)).toBeGreaterThan((base['rtx-4090@home'] ?? 0) / all(base));
  });

  it('decentralized capacity stays a small share of the hyperscalers\' in every preset', () => {
    for (const p of Object.keys(specs)) {
      expect(p50(p, 'capacityShare')).toBeGreaterThan(0);
      expect(p50(p, 'capacityShare')).toBeLessThan(0.05);
    }
    // Hyperscaler capacity grows with their capex: ~4M H100-eq to tens of millions in five years.
    const rows = runEconomy(specs.base, 1).rows;
    expect(rows[0].hyperscaler_h100eq).toBeGreaterThan(3.9e6);
    expect(rows[1824].hyperscaler_h100eq).toBeGreaterThan(5 * rows[0].hyperscaler_h100eq);
  });

  it('Monte Carlo bands are ordered and deterministic', () => {
    const a = bands('base');
    for (const [k, v] of Object.entries(a.final)) {
      expect(v.p10, k).toBeLessThanOrEqual(v.p50);
      expect(v.p50, k).toBeLessThanOrEqual(v.p90);
    }
    const again = monteCarlo(specs.base, SEEDS);
    expect(again.final.priceUsd).toEqual(a.final.priceUsd);
    expect(SEEDS).toContain(a.medianSeed);
  });
});
