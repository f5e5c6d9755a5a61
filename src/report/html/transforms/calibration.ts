/**
 * The calibration chart: for each GPU class that ran on a `dtsim calibrate` profile, the FLOP/s
 * its GEMMs reach by size as the simulator used them (efficiency × the GPU's peak at the run's
 * precision), with the peak as a reference line. The x axis is the side n of the square matrix
 * multiply of the same FLOP (2n³), so profiles measured on transformer shapes and on squares read
 * on one axis. Pure.
 */
import type { CalibrationJson, LineChartSpec, RunSummaryJson } from '../types';

/** Side of the square GEMM with `flop` FLOP. */
export const squareSide = (flop: number): number => Math.cbrt(flop / 2);

/** The calibrated classes of the runs, each GPU once (the run's entry first). */
export function calibratedClasses(runs: readonly (RunSummaryJson | undefined)[]): CalibrationJson[] {
  const seen = new Map<string, CalibrationJson>();
  for (const r of runs) for (const c of r?.calibration ?? []) if (!seen.has(c.gpu)) seen.set(c.gpu, c);
  return [...seen.values()];
}

export function calibrationChart(classes: readonly CalibrationJson[]): LineChartSpec | null {
  if (classes.length === 0) return null;
  const T = 1e12;
  return {
    kind: 'line', id: 'calibration', title: 'Measured GEMM throughput by size',
    caption: `GEMM throughput per GPU by size for the GPU classes that ran on a measured profile (dtsim calibrate): the profile's efficiency curve, `
      + `scaled as the simulator used it, times the GPU's peak (dashed line). ${classes.map((c) => `${c.gpu}: profile ${c.profile.file} (${c.profile.backend}, ${c.profile.date.slice(0, 10)}); ${c.profile.scaling}`).join(' ')}`,
    xLabel: 'Square matrix size n (a GEMM of 2n³ FLOP)', yLabel: 'TFLOP/s per GPU', yFormat: 'number',
    series: classes.map((c, i) => ({
      key: c.gpu, label: `${c.gpu} (${c.profile.name})`, color: i % 8, curve: 'linear' as const,
      points: c.curve.map(([flop, e]) => [squareSide(flop), (e * c.peakFlopS) / T] as const),
    })),
    events: [],
    refLines: classes.map((c) => ({ y: c.peakFlopS / T, label: `${c.gpu} peak ${+(c.peakFlopS / T).toPrecision(4)} TFLOP/s` })),
    table: {
      columns: ['GPU', 'profile', 'GEMM FLOP', 'square size n', 'efficiency', 'TFLOP/s'],
      rows: classes.flatMap((c) => c.curve.map(([flop, e]) => [c.gpu, c.profile.file, flop, Number(squareSide(flop).toPrecision(4)), e, Number(((e * c.peakFlopS) / T).toPrecision(6))])),
      csvName: 'calibration.csv',
    },
  };
}
