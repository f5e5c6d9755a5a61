/**
 * Correctness of a kernel result against a float64 reference.
 *
 * Tolerance per entry, with Cauchy–Schwarz on Σ|a_p b_p|:
 *
 *   |ĉ_ij − c_ij| ≤ min(k, λ√k) · u · ‖a_i‖₂ · ‖b_j‖₂ + 2⁻²³ · |c_ij|,   λ = 8
 *
 * k·u is the classical worst case of a k-term dot product (Higham, "Accuracy and Stability of
 * Numerical Algorithms", 2nd ed., 2002, §3.1); λ√k·u is the probabilistic bound of Higham and
 * Mary ("A new approach to probabilistic rounding error analysis", SIAM J. Sci. Comput. 41(5),
 * 2019, Theorem 3.1), which fails with probability below 2k·exp(−λ²/2) ≈ 1e-11 per entry at
 * k = 1024, λ = 8. Any summation order or fused multiply-add stays inside it; a wrong index, a
 * missing term or a stale buffer gives errors of the order of the entries themselves.
 * u is the unit roundoff of the accumulator: 2⁻²⁴ for float32 (WebAssembly, GL, WebGPU), 2⁻⁵³
 * for the cpu backend, whose generated JavaScript sums in doubles. The last term covers the
 * final rounding to float32 (at most 2⁻²⁴ relative, half an ulp) with a factor 2 of margin:
 * a float64 sum rounded once reaches that half ulp at the bottom of a binade.
 *
 * Every entry is compared when 2·m·n·k ≤ FULL_CHECK_FLOP (all square sizes up to 2048);
 * above that, SAMPLE rows and SAMPLE columns of C, chosen at random, are compared in full.
 */

export type Accumulation = 'f32' | 'f64';

export const UNIT_ROUNDOFF: Readonly<Record<Accumulation, number>> = { f32: 2 ** -24, f64: 2 ** -53 };

/** Largest GEMM whose result is compared entry by entry (2·2048³ FLOP). */
export const FULL_CHECK_FLOP = 2 * 2048 ** 3;
const SAMPLE = 64;
/** Confidence parameter of the probabilistic bound. */
const LAMBDA = 8;

export interface Reference {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Rows of C held in full (all rows when not sampled). */
  readonly rows: Int32Array;
  /** rows.length × n values. */
  readonly rowValues: Float64Array;
  /** Columns of C held in full (none when not sampled: rows cover everything). */
  readonly cols: Int32Array;
  /** m × cols.length values, column by column. */
  readonly colValues: Float64Array;
  /** ‖a_i‖₂ for every row of A; ‖b_j‖₂ for every column of B. */
  readonly aNorms: Float64Array;
  readonly bNorms: Float64Array;
  readonly sampled: boolean;
}

/** Rows `rows` of A·B in float64 (A m×k, B k×n, row-major), four rows at a time. */
function productRows(a: Float32Array, b: Float64Array, n: number, k: number, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length * n);
  let r = 0;
  for (; r + 4 <= rows.length; r += 4) {
    const i0 = rows[r] * k, i1 = rows[r + 1] * k, i2 = rows[r + 2] * k, i3 = rows[r + 3] * k;
    const c0 = r * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    for (let p = 0; p < k; p++) {
      const a0 = a[i0 + p], a1 = a[i1 + p], a2 = a[i2 + p], a3 = a[i3 + p];
      const off = p * n;
      for (let j = 0; j < n; j++) {
        const bv = b[off + j];
        out[c0 + j] += a0 * bv;
        out[c1 + j] += a1 * bv;
        out[c2 + j] += a2 * bv;
        out[c3 + j] += a3 * bv;
      }
    }
  }
  for (; r < rows.length; r++) {
    const i0 = rows[r] * k, c0 = r * n;
    for (let p = 0; p < k; p++) {
      const av = a[i0 + p], off = p * n;
      for (let j = 0; j < n; j++) out[c0 + j] += av * b[off + j];
    }
  }
  return out;
}

/** Distinct sorted indices in [0, count): all of them, or `want` drawn with a seeded LCG. */
function pick(count: number, want: number, seed: number): Int32Array {
  if (want >= count) return Int32Array.from({ length: count }, (_, i) => i);
  const set = new Set<number>();
  let s = (seed * 2246822519) >>> 0;
  while (set.size < want) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    set.add(s % count);
  }
  return Int32Array.from([...set].sort((x, y) => x - y));
}

/** The float64 reference of A·B, in full or sampled (see the file header). */
export function reference(a: Float32Array, b: Float32Array, m: number, n: number, k: number, seed = 1, fullCheckFlop = FULL_CHECK_FLOP): Reference {
  const b64 = Float64Array.from(b);
  const aNorms = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[i * k + p] * a[i * k + p];
    aNorms[i] = Math.sqrt(s);
  }
  const bNorms = new Float64Array(n);
  for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bNorms[j] += b64[p * n + j] * b64[p * n + j];
  for (let j = 0; j < n; j++) bNorms[j] = Math.sqrt(bNorms[j]);
  const sampled = 2 * m * n * k > fullCheckFlop;
  const rows = sampled ? pick(m, SAMPLE, seed) : pick(m, m, seed);
  const rowValues = productRows(a, b64, n, k, rows);
  let cols: Int32Array = new Int32Array(0);
  let colValues: Float64Array = new Float64Array(0);
  if (sampled) {
    cols = pick(n, SAMPLE, seed + 1);
    colValues = new Float64Array(m * cols.length);
    // C[:, j] = A · B[:, j]
    for (let c = 0; c < cols.length; c++) {
      const j = cols[c];
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p] * b64[p * n + j];
        colValues[c * m + i] = s;
      }
    }
  }
  return { m, n, k, rows, rowValues, cols, colValues, aNorms, bNorms, sampled };
}

export interface CheckResult {
  readonly ok: boolean;
  /** Entries compared. */
  readonly checked: number;
  readonly sampled: boolean;
  readonly maxAbsError: number;
  /** Largest |error| ÷ tolerance over the entries compared (< 1 passes). */
  readonly worstRatio: number;
  /** The worst entry when the check fails. */
  readonly worst: { readonly row: number; readonly col: number; readonly got: number; readonly want: number; readonly tolerance: number } | null;
}

/** Compares a flat m×n result with the reference; NaN or Infinity always fails. */
export function checkResult(c: Float32Array, ref: Reference, acc: Accumulation): CheckResult {
  const { m, n, k } = ref;
  if (c.length !== m * n) throw new Error(`result has ${c.length} entries, expected ${m}×${n}`);
  const u = UNIT_ROUNDOFF[acc];
  const gamma = Math.min(k, LAMBDA * Math.sqrt(k)) * u;
  const uOut = 2 * UNIT_ROUNDOFF.f32;
  let maxAbs = 0, worstRatio = 0, checked = 0;
  let worst: CheckResult['worst'] = null;
  const visit = (i: number, j: number, want: number) => {
    const got = c[i * n + j];
    const err = Math.abs(got - want);
    const tol = gamma * ref.aNorms[i] * ref.bNorms[j] + uOut * Math.abs(want) + Number.MIN_VALUE;
    const ratio = Number.isFinite(err) ? err / tol : Infinity;
    checked++;
    if (Number.isFinite(err) && err > maxAbs) maxAbs = err;
    if (!(ratio <= worstRatio)) {
      worstRatio = ratio;
      worst = { row: i, col: j, got, want, tolerance: tol };
    }
  };
  for (let r = 0; r < ref.rows.length; r++) for (let j = 0; j < n; j++) visit(ref.rows[r], j, ref.rowValues[r * n + j]);
  for (let cc = 0; cc < ref.cols.length; cc++) for (let i = 0; i < m; i++) visit(i, ref.cols[cc], ref.colValues[cc * m + i]);
  const ok = worstRatio < 1;
  return { ok, checked, sampled: ref.sampled, maxAbsError: maxAbs, worstRatio, worst: ok ? null : worst };
}
