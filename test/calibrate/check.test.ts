import { describe, it, expect } from 'vitest';
import { checkResult, reference, UNIT_ROUNDOFF } from '../../src/calibrate/check';
import { flatten, randomMatrix, transpose } from '../../src/calibrate/kernels';

/** Plain triple loops: float64 exact-ish, and float32 sequential accumulation (what a GPU kernel does). */
function naive64(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
    c[i * n + j] = s;
  }
  return c;
}
function naive32(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s = Math.fround(s + Math.fround(a[i * k + p] * b[p * n + j]));
    c[i * n + j] = s;
  }
  return c;
}

describe('float64 reference', () => {
  const [m, n, k] = [13, 9, 37];
  const a = randomMatrix(m * k, 1), b = randomMatrix(k * n, 2);

  it('matches a triple loop in full', () => {
    const ref = reference(a, b, m, n, k);
    expect(ref.sampled).toBe(false);
    expect(ref.rows.length).toBe(m);
    const want = naive64(a, b, m, n, k);
    for (let i = 0; i < m * n; i++) expect(ref.rowValues[i]).toBeCloseTo(want[i], 12);
  });

  it('samples rows and columns above the full-check size', () => {
    const [M, N, K] = [80, 72, 16];
    const A = randomMatrix(M * K, 3), B = randomMatrix(K * N, 4);
    const ref = reference(A, B, M, N, K, 1, 1000);
    expect(ref.sampled).toBe(true);
    expect(ref.rows.length).toBe(64);
    expect(ref.cols.length).toBe(64);
    const want = naive64(A, B, M, N, K);
    ref.rows.forEach((i, r) => { for (let j = 0; j < N; j++) expect(ref.rowValues[r * N + j]).toBeCloseTo(want[i * N + j], 12); });
    ref.cols.forEach((j, c) => { for (let i = 0; i < M; i++) expect(ref.colValues[c * M + i]).toBeCloseTo(want[i * N + j], 12); });
  });
});

describe('tolerance fits the accumulation precision', () => {
  const [m, n, k] = [32, 32, 512];
  const a = randomMatrix(m * k, 5), b = randomMatrix(k * n, 6);
  const ref = reference(a, b, m, n, k);

  it('passes a float32-accumulated product under the float32 bound', () => {
    const r = checkResult(naive32(a, b, m, n, k), ref, 'f32');
    expect(r.ok).toBe(true);
    expect(r.checked).toBe(m * n);
    expect(r.maxAbsError).toBeGreaterThan(0);
  });

  it('the float64 bound is tight enough to reject float32 accumulation', () => {
    expect(UNIT_ROUNDOFF.f64).toBeLessThan(UNIT_ROUNDOFF.f32);
    expect(checkResult(naive32(a, b, m, n, k), ref, 'f64').ok).toBe(false);
    // ...while a float64 sum rounded once to float32 passes it.
    expect(checkResult(Float32Array.from(naive64(a, b, m, n, k)), ref, 'f64').ok).toBe(true);
  });

  it('catches one wrong entry, a missing term and NaN', () => {
    const good = naive32(a, b, m, n, k);
    const one = good.slice();
    one[5 * n + 7] += 0.01; // entries are of order √k/3 ≈ 7.5: a 0.1 % error
    const r = checkResult(one, ref, 'f32');
    expect(r.ok).toBe(false);
    expect(r.worst).toMatchObject({ row: 5, col: 7 });
    // The sum without its last term (an off-by-one loop bound).
    const short = naive32(a, b, m, n, k);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) short[i * n + j] -= a[i * k + k - 1] * b[(k - 1) * n + j];
    expect(checkResult(short, ref, 'f32').ok).toBe(false);
    const nan = good.slice();
    nan[0] = NaN;
    expect(checkResult(nan, ref, 'f32').ok).toBe(false);
  });
});

describe('kernel layout helpers', () => {
  it('transposes B and flattens Array(4) rows', () => {
    const b = Float32Array.from([1, 2, 3, 4, 5, 6]); // 2×3
    expect([...transpose(b, 2, 3)]).toEqual([1, 4, 2, 5, 3, 6]);
    // m = 4, n = 2, one Array(4) row: column 0 holds rows 0..3.
    const out = [[Float32Array.from([1, 3, 5, 7]), Float32Array.from([2, 4, 6, 8])]];
    expect([...flatten(out, 4, 2, 4)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => flatten([[1, 2]], 2, 2, 1)).toThrow(/expected 2 rows/);
  });
});
