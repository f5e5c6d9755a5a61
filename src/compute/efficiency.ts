/**
 * GEMM efficiency versus GEMM size.
 *
 * A curve gives the fraction of a GPU's dense peak that one matrix multiply of a given
 * size (in FLOP) achieves. It is GEMM-level efficiency, not end-to-end MFU: communication,
 * pipeline bubbles and non-GEMM kernels are modelled elsewhere.
 */

/** Fraction of dense peak a single GEMM of a given size achieves; log-linear interpolation in FLOP, clamped at the ends. */
export interface EfficiencyCurve {
  readonly points: readonly (readonly [gemmFlop: number, efficiency: number])[];
  readonly source: string;
}

/** Upper bound on a plausible efficiency: consumer cards boost ~4% above spec (MLI [V], mli/transformers-benchmarks:
 * RTX 4090 FP16 GEMM 172 TFLOP/s vs 165.2 spec, 3090 Ti 81 vs 80). */
export const MAX_EFFICIENCY = 1.1;

/**
 * Efficiency of a GEMM of `gemmFlop` FLOP. Interpolates linearly in ln(FLOP) between the
 * surrounding points; below the first or above the last point the end value holds.
 * A non-positive or NaN size gets the first point's value. Assumes `checkCurve` passed.
 */
export function efficiencyAt(curve: EfficiencyCurve, gemmFlop: number): number {
  const pts = curve.points;
  const first = pts[0];
  // `!(a > b)` also catches NaN.
  if (!(gemmFlop > first[0])) return first[1];
  // Linear scan: curves have a handful of points, cheaper than a binary search here.
  for (let i = 1; i < pts.length; i++) {
    const hi = pts[i];
    if (gemmFlop <= hi[0]) {
      const lo = pts[i - 1];
      const t = Math.log(gemmFlop / lo[0]) / Math.log(hi[0] / lo[0]);
      return lo[1] + t * (hi[1] - lo[1]);
    }
  }
  return pts[pts.length - 1][1];
}

/** Problems with a curve, one sentence each; [] when it is usable. */
export function checkCurve(curve: EfficiencyCurve): string[] {
  const problems: string[] = [];
  const pts = curve.points;
  if (!Array.isArray(pts) || pts.length < 1) return ['a curve needs at least 1 point'];
  pts.forEach(([flop, eff], i) => {
    if (!Number.isFinite(flop) || flop <= 0) {
      problems.push(`point ${i}: GEMM size ${flop} FLOP must be a positive finite number (interpolation is in log FLOP)`);
    }
    if (!Number.isFinite(eff) || eff <= 0 || eff > MAX_EFFICIENCY) {
      problems.push(`point ${i}: efficiency ${eff} must be in (0, ${MAX_EFFICIENCY}]`);
    }
    if (i > 0 && !(flop > pts[i - 1][0])) {
      problems.push(`point ${i}: GEMM sizes must be strictly ascending (${pts[i - 1][0]} then ${flop})`);
    }
  });
  return problems;
}
