/**
 * Bad economy input gets the scenario's one-line errors: `file: field.path: expected …, got …`.
 */
import { describe, it, expect } from 'vitest';
import { ScenarioError, scenarioFromTree } from '../../src/scenario/load';
import { EconomyError, economySpecFrom } from '../../src/scenario/economy';
import { tree } from '../sim/fixtures';

function errorOf(economy: unknown, file = 'x.yaml'): ScenarioError {
  try {
    scenarioFromTree(tree({ economy }), file);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

function linesOf(economy: unknown): string[] {
  return errorOf(economy).message.split('\n');
}

describe('economy errors name the file, the field and what was expected', () => {
  it('a negative emission', () => {
    const lines = linesOf({ token: { emission: { kind: 'halving', tokensPerDay: -5 } } });
    expect(lines).toEqual(['x.yaml: economy.token.emission.tokensPerDay: expected a non-negative number, got -5']);
    expect(linesOf({ token: { emission: { kind: 'exp-decay', total: -1, halfLife: '6 years' } } }))
      .toEqual(['x.yaml: economy.token.emission.total: expected a non-negative number, got -1']);
  });

  it('a vesting (unlock) schedule holding more tokens than the supply', () => {
    const e = errorOf({ token: { initialSupply: 1e6, unlocks: { team: { tokens: 2e6, cliff: '365 days', duration: '730 days' } } } });
    expect(e.issues.map((i) => i.path)).toContain('economy.token.unlocks');
    expect(e.message).toMatch(/^x\.yaml: economy\.token\.unlocks: expected locked allocations of at most the initial supply \(.+ tokens\), got .+ tokens$/m);
  });

  it('an unknown GPU class in a supply cap, and an unknown GPU', () => {
    const e = errorOf({ shocks: { cut: { at: '90 days', supply: { classes: ['h900@tier2'], capFactor: 0.1 } } } });
    expect(e.message).toMatch(/^x\.yaml: economy\.shocks\.cut\.supply\.classes\[0\]: unknown cohort class 'h900@tier2'; expected one of: .*h100-sxm@tier2.*$/);
    const g = errorOf({ shocks: [{ at: '90 days', supply: { gpus: ['h900'], capFactor: 0.1 } }] });
    expect(g.message).toMatch(/^x\.yaml: economy\.shocks\[0\]\.supply\.gpus\[0\]: unknown GPU 'h900'; expected one of: .*rtx-4090/);
    const none = errorOf({ shocks: [{ at: '90 days', supply: { gpus: ['mi300x'], capFactor: 0.1 } }] });
    expect(none.message).toMatch(/economy\.shocks\[0\]\.supply: selects no cohort class/);
  });

  it('an unknown site kind, in a class id or a kind field', () => {
    expect(linesOf({ cohorts: { 'h100-sxm@garage': { initialGpus: 10 } } }))
      .toEqual(["x.yaml: economy.cohorts.h100-sxm@garage: unknown site kind 'garage'; expected one of: hyperscaler, cloud, tier2, home"]);
    expect(linesOf({ cohorts: { mine: { gpu: 'h100-sxm', kind: 'garage' } } }))
      .toEqual(['x.yaml: economy.cohorts.mine.kind: expected one of "hyperscaler", "cloud", "tier2", "home", got "garage"']);
    expect(errorOf({ cohorts: { 'h900@home': {} } }).message).toMatch(/economy\.cohorts\.h900@home: unknown GPU 'h900'/);
  });

  it('unknown presets, fields and units; a shock with two kinds; several problems at once', () => {
    expect(errorOf({ preset: 'moon' }).message).toMatch(/^x\.yaml: economy\.preset: unknown economy preset 'moon'; expected one of: .*token-crash/);
    expect(errorOf({ tokn: {} }).message).toMatch(/^x\.yaml: economy: unknown field 'tokn'$/);
    expect(errorOf({ market: { investorInflow: '5 USD' } }).message)
      .toMatch(/^x\.yaml: economy\.market\.investorInflow: expected a price per unit of time like .*, got "5 USD"$/);
    expect(errorOf({ shocks: { s: { at: '1 day', sentiment: { factor: 0.5 }, demand: { factor: 2 } } } }).message)
      .toMatch(/economy\.shocks\.s: expected exactly one of .*, got sentiment and demand/);
    const many = errorOf({ token: { operatorShare: 1.5, emission: { kind: 'halving', tokensPerDay: -1 } }, market: { poolDepth: 0 } });
    expect(many.issues.map((i) => i.path).sort()).toEqual(['economy.market.poolDepth', 'economy.token.emission.tokensPerDay', 'economy.token.operatorShare']);
    expect(many.message.split('\n')).toHaveLength(3);
  });

  it('the standalone resolver reports the same lines', () => {
    try {
      economySpecFrom({ token: { emission: { kind: 'halving', tokensPerDay: -5 } } }, undefined, 'e.yaml');
      throw new Error('expected an EconomyError');
    } catch (e) {
      expect(e).toBeInstanceOf(EconomyError);
      expect((e as Error).message).toBe('e.yaml: economy.token.emission.tokensPerDay: expected a non-negative number, got -5');
    }
  });

  it('overrides merge over a preset: objects key by key, null removes, a list of shocks replaces', () => {
    const spec = economySpecFrom({ preset: 'token-crash', market: { investorInflow: '1e6 USD/day' }, shocks: { crash: null } });
    expect(spec.market.investorUsdPerDay).toBeCloseTo(1e6, 3);
    expect(spec.market.poolDepth).toBe(0.03);
    expect(spec.shocks.map((s) => s.label).sort()).toEqual(['blackwell', 'inflows-dry-up', 'panic']);
    const listed = economySpecFrom({ preset: 'token-crash', shocks: [{ at: '10 days', demand: { factor: 3 } }] });
    expect(listed.shocks).toHaveLength(1);
    expect(listed.shocks[0]).toMatchObject({ kind: 'demand', atDay: 10, factor: 3 });
    // Removing classes keeps the inherited shocks valid: they drop what is gone.
    const fewer = economySpecFrom({ preset: 'hyperscalers-withhold', cohorts: { 'b200@tier2': null, 'h100-sxm@cloud': null } });
    expect(fewer.shocks.map((s) => s.label)).not.toContain('blackwell');
    expect(fewer.shocks.map((s) => s.label)).not.toContain('withhold-cloud-rentals');
    expect(fewer.shocks.find((s) => s.label === 'withhold-datacenter-gpus')).toMatchObject({ classes: ['h100-sxm@tier2'] });
    // ... but the scenario's own shocks are checked strictly.
    expect(() => economySpecFrom({ cohorts: { 'b200@tier2': null }, shocks: { mine: { at: '1 day', generation: { classes: ['b200@tier2'] } } } }))
      .toThrow(/economy\.shocks\.mine\.generation\.classes\[0\]: unknown cohort class 'b200@tier2'/);
    const io = economySpecFrom({ token: { emission: { kind: 'disinflation', base: 500e6, initialRatePerYear: 0.08, disinflationPerEpoch: 1.3886952395979300e-5, cap: 300e6 }, initialSupply: 500e6 } });
    expect(io.token.emission).toEqual({ kind: 'disinflation', base: 500e6, initialRatePerYear: 0.08, disinflationPerEpoch: 1.3886952395979300e-5, epochsPerDay: 24, cap: 300e6 });
  });

  it('defaults come from the catalog: capex = price × server overhead, power = TDP × wall factor, perf = BF16 peak ÷ H100', () => {
    const spec = economySpecFrom({});
    const h100 = spec.cohorts.find((c) => c.id === 'h100-sxm@tier2')!;
    expect(h100.capexUsd).toBeCloseTo(30000 * 1.4, 6);
    expect(h100.powerW).toBeCloseTo(700 * 1.82, 6);
    expect(h100.perfH100eq).toBe(1);
    expect(h100.initialGpus).toBeCloseTo(6000, 6);
    const r4090 = spec.cohorts.find((c) => c.id === 'rtx-4090@home')!;
    expect(r4090.perfH100eq).toBeCloseTo(165.2 / 989.4, 9);
    expect(r4090.pue).toBe(1);
    expect(r4090.initialGpus * r4090.perfH100eq).toBeCloseTo(10000, 6);
    const cloud = spec.cohorts.find((c) => c.id === 'h100-sxm@cloud')!;
    expect(cloud.costModel).toBe('rental');
    expect(cloud.capexUsd).toBe(0);
    expect(spec.cohorts.find((c) => c.id === 'b200@tier2')!.availableFromDay).toBe(365);
  });
});
