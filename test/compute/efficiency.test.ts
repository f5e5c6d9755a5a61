import { describe, it, expect } from 'vitest';
import { checkCurve, efficiencyAt, type EfficiencyCurve } from '../../src/compute/efficiency';

const curve: EfficiencyCurve = {
  points: [[1e6, 0.1], [1e8, 0.5], [1e10, 0.9]],
  source: 'test',
};

describe('efficiencyAt', () => {
  it('returns the exact value at each point', () => {
    for (const [flop, eff] of curve.points) expect(efficiencyAt(curve, flop)).toBeCloseTo(eff, 12);
  });

  it('interpolates linearly in log FLOP', () => {
    // 1e7 is halfway between 1e6 and 1e8 in log space.
    expect(efficiencyAt(curve, 1e7)).toBeCloseTo(0.3, 12);
    expect(efficiencyAt(curve, 1e9)).toBeCloseTo(0.7, 12);
    // A quarter of the way from 1e8 to 1e10 in log space.
    expect(efficiencyAt(curve, 10 ** 8.5)).toBeCloseTo(0.6, 12);
  });

  it('clamps below the first and above the last point', () => {
    expect(efficiencyAt(curve, 1)).toBe(0.1);
    expect(efficiencyAt(curve, 0)).toBe(0.1);
    expect(efficiencyAt(curve, -5)).toBe(0.1);
    expect(efficiencyAt(curve, 1e15)).toBe(0.9);
    expect(efficiencyAt(curve, Infinity)).toBe(0.9);
  });

  it('handles a one-point curve as a constant', () => {
    const flat: EfficiencyCurve = { points: [[1e9, 0.7]], source: 'test' };
    expect(efficiencyAt(flat, 1)).toBe(0.7);
    expect(efficiencyAt(flat, 1e12)).toBe(0.7);
  });

  it('is monotone between points of a rising curve', () => {
    let prev = 0;
    for (let e = 5; e <= 11; e += 0.1) {
      const v = efficiencyAt(curve, 10 ** e);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
  });
});

describe('checkCurve', () => {
  it('accepts a good curve', () => {
    expect(checkCurve(curve)).toEqual([]);
  });

  it('rejects an empty curve', () => {
    expect(checkCurve({ points: [], source: 'x' })).toHaveLength(1);
  });

  it('rejects points not strictly ascending in FLOP', () => {
    const p = checkCurve({ points: [[1e6, 0.1], [1e6, 0.2]], source: 'x' });
    expect(p.join()).toMatch(/ascending/);
    expect(checkCurve({ points: [[1e8, 0.1], [1e6, 0.2]], source: 'x' }).join()).toMatch(/ascending/);
  });

  it('rejects efficiencies outside (0, 1.1]', () => {
    expect(checkCurve({ points: [[1e6, 0]], source: 'x' }).join()).toMatch(/efficiency/);
    expect(checkCurve({ points: [[1e6, -0.1]], source: 'x' }).join()).toMatch(/efficiency/);
    expect(checkCurve({ points: [[1e6, 1.2]], source: 'x' }).join()).toMatch(/efficiency/);
    expect(checkCurve({ points: [[1e6, 1.1]], source: 'x' })).toEqual([]);
  });

  it('rejects non-positive GEMM sizes', () => {
    expect(checkCurve({ points: [[0, 0.5]], source: 'x' }).join()).toMatch(/positive/);
  });
});
