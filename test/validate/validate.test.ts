import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/load';
import { VALIDATION_CASES, VALIDATION_SCENARIO_DIR } from '../../src/validate/cases';
import {
  formatValidation, runValidation, summarizeValidation, validationPasses, MAX_ERROR_LIMIT_PCT, MEDIAN_ERROR_LIMIT_PCT, type ValidationRow,
} from '../../src/validate/validate';

describe('validation cases', () => {
  it('have unique ids and scenario files that load', () => {
    const ids = VALIDATION_CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const files = new Set(VALIDATION_CASES.flatMap((c) => (typeof c.scenario === 'string' ? [c.scenario] : [])));
    for (const f of files) {
      const path = join(VALIDATION_SCENARIO_DIR, f);
      expect(existsSync(path), f).toBe(true);
      expect(() => loadScenario(path), f).not.toThrow();
    }
    for (const c of VALIDATION_CASES) expect(c.published, c.id).toBeGreaterThan(0);
  });
});

describe('runValidation', () => {
  // Two cheap scenarios: a data-parallel Megatron row and a DiLoCo run with three figures.
  const rows = runValidation({ only: ['megatron-1.7b', 'intellect1-usa/'] });

  it('returns one finite row per published figure', () => {
    expect(rows.map((r) => r.case)).toEqual(['megatron-1.7b', 'intellect1-usa/cu', 'intellect1-usa/mfu', 'intellect1-usa/allreduce']);
    for (const r of rows) {
      expect(r.error, r.case).toBeUndefined();
      expect(Number.isFinite(r.predicted), r.case).toBe(true);
      expect(r.predicted, r.case).toBeGreaterThan(0);
      expect(r.errorPct).toBeCloseTo(((r.predicted - r.published) / r.published) * 100, 9);
    }
  });

  it('formats every row and the error summary', () => {
    const text = formatValidation(rows);
    for (const r of rows) expect(text).toContain(r.case);
    expect(text).toMatch(/median \|error\|/);
    expect(text).toMatch(/max \|error\|/);
    expect(text).toContain(`limit ${MEDIAN_ERROR_LIMIT_PCT}%`);
    expect(text).toContain(`limit ${MAX_ERROR_LIMIT_PCT}%`);
  });
});

describe('summarizeValidation', () => {
  const row = (c: string, errorPct: number): ValidationRow => ({
    case: c, group: 'g', metric: 'm', published: 100, predicted: 100 + errorPct, errorPct, source: 's', tag: 'V', scenario: 'x',
  });

  it('takes the median and maximum of |error|', () => {
    const s = summarizeValidation([row('a', -4), row('b', 2), row('c', 30), row('d', -8)]);
    expect(s.medianAbsErrorPct).toBeCloseTo(6);
    expect(s.maxAbsErrorPct).toBeCloseTo(30);
    expect(s.worst).toBe('c');
    expect(s.passed).toBe(false);
    expect(validationPasses([row('a', -4), row('b', 2)])).toBe(true);
    expect(validationPasses([row('a', -4), row('b', 26)])).toBe(false);
  });

  it('fails on a row without a prediction', () => {
    const bad: ValidationRow = { ...row('x', 0), predicted: NaN, errorPct: NaN, error: 'boom' };
    const s = summarizeValidation([row('a', 1), bad]);
    expect(s.failed).toEqual(['x']);
    expect(s.passed).toBe(false);
    expect(formatValidation([row('a', 1), bad])).toContain('failed: x: boom');
  });
});
