/**
 * Charts of the token economy beyond the generic column-by-column lines: Monte Carlo fan bands
 * (economy-mc.csv), the GPU mix by cohort class over time (economy.csv `gpus_<class>`), operator
 * return per cohort (summary.json economy.summary.cohorts) and emission value against the subsidy
 * operators need (economy.csv). Pure; each configured by accessors with defaults, in the spirit of
 * d3's reusable charts. Every builder returns null when its data is absent, so the page degrades.
 */
import { columnIndex } from '../csv';
import { fmtNumber } from '../format';
import type { BandJson, BandSpec, BarChartSpec, CohortJson, CsvTable, LineChartSpec, LineSeriesSpec, ValueFormat } from '../types';
import { humanize } from './extra';

const X_LABEL = 'Time since start (days)';
const round = (v: number) => Number(v.toPrecision(6));

/** Evenly thins rows to at most `max`, keeping the first and the last (bands have three values per x, so no min/max picking). */
export function thin<T>(rows: readonly T[], max: number): T[] {
  if (rows.length <= max || max < 2) return rows.slice();
  const k = Math.ceil(rows.length / max);
  return rows.filter((_, i) => i % k === 0 || i === rows.length - 1);
}

/** How each banded column of economy-mc.csv is named and formatted. */
export const BANDED: Readonly<Record<string, { readonly title: string; readonly y: string; readonly format: ValueFormat }>> = {
  price_usd: { title: 'Token price', y: 'Price per token (USD)', format: 'usd' },
  capacity_h100eq: { title: 'Network capacity', y: 'Capacity (H100-equivalents)', format: 'number' },
  capacity_share: { title: 'Capacity as a share of the hyperscalers’', y: 'Share of hyperscaler capacity', format: 'pct' },
  absorption_ratio: { title: 'Absorption ratio', y: 'Investor net buys ÷ sells', format: 'number' },
};

export interface FanAccessors {
  /** The x of a row, in days. */
  readonly x: (t: CsvTable, row: readonly string[]) => number;
  /** The bases of the banded columns (`price_usd` for price_usd_p10 / _p50 / _p90). */
  readonly columns: (t: CsvTable) => readonly string[];
}

export const DEFAULT_FAN_ACCESSORS: FanAccessors = {
  x: (t, r) => Number(r[columnIndex(t, 'day')]),
  columns: (t) => t.columns.filter((c) => c.endsWith('_p50')).map((c) => c.slice(0, -4))
    .filter((b) => t.columns.includes(`${b}_p10`) && t.columns.includes(`${b}_p90`)),
};

/**
 * One fan chart per banded column of economy-mc.csv: the P10–P90 band and the P50 line over
 * `runs` seeds. [] when the table has no day column or no banded column.
 */
export function fanCharts(t: CsvTable | null | undefined, runs: number | null, acc: FanAccessors = DEFAULT_FAN_ACCESSORS, maxPoints = 400): LineChartSpec[] {
  if (!t || t.rows.length === 0 || columnIndex(t, 'day') < 0) return [];
  const rows = thin(t.rows, maxPoints);
  const over = runs ? ` over ${runs} runs (seeds)` : ' over the Monte Carlo runs';
  return acc.columns(t).map((base, k) => {
    const [i10, i50, i90] = ['p10', 'p50', 'p90'].map((p) => t.columns.indexOf(`${base}_${p}`));
    const meta = BANDED[base] ?? { title: humanize(base), y: humanize(base), format: 'number' as ValueFormat };
    const pts = rows.map((r) => [acc.x(t, r), Number(r[i10]), Number(r[i50]), Number(r[i90])] as const)
      .filter((p) => p.every(Number.isFinite));
    const color = [0, 2, 4, 5][k % 4];
    const band: BandSpec = { key: `${base}/p10-p90`, label: 'P10–P90', color, tip: 'range', points: pts.map(([x, lo, , hi]) => [x, lo, hi] as const) };
    const mid: LineSeriesSpec = { key: `${base}/p50`, label: 'P50 (median)', color, curve: 'linear', points: pts.map(([x, , m]) => [x, m] as const) };
    return {
      kind: 'line', id: `economy-mc-${base}`.replace(/[^A-Za-z0-9_-]/g, '-'), title: `${meta.title}: P10–P90${over}`,
      caption: `The band spans the 10th to the 90th percentile of “${base}” each day${over}; the line is the median (from economy-mc.csv). Each day's percentiles are taken across runs, so the line is not one run's path.`,
      xLabel: X_LABEL, yLabel: meta.y, yFormat: meta.format, series: [mid], bands: [band], events: [], refLines: [],
      table: { columns: ['day', `${base} P10`, `${base} P50`, `${base} P90`], rows: pts.map((p) => p.map(round)), csvName: `economy-mc-${base}.csv` },
    } satisfies LineChartSpec;
  });
}

/** Headline figures of economy.monteCarlo, in table order, with their words and format. */
export const MC_HEADLINE: readonly { readonly key: string; readonly label: string; readonly format: ValueFormat }[] = [
  { key: 'timeToTrainS', label: 'Time to train', format: 'duration' },
  { key: 'finishedShare', label: 'Runs that finished', format: 'pct' },
  { key: 'finalPriceUsd', label: 'Final token price', format: 'usd' },
  { key: 'capacityH100eq', label: 'Capacity (H100-eq)', format: 'number' },
  { key: 'capacityShare', label: 'Share of hyperscaler capacity', format: 'pct' },
  { key: 'absorptionRatio', label: 'Absorption ratio', format: 'number' },
  { key: 'subsidyCoverage', label: 'Subsidy coverage', format: 'pct' },
  { key: 'maxDrawdown', label: 'Largest price drawdown', format: 'pct' },
];

export interface HeadlineRow {
  readonly key: string;
  readonly label: string;
  readonly format: ValueFormat;
  readonly band: BandJson;
}

/** The headline bands present in economy.monteCarlo.headline, known ones first, then any others. */
export function mcHeadlineRows(headline: Readonly<Record<string, BandJson>> | undefined): HeadlineRow[] {
  if (!headline) return [];
  const ok = (b: unknown): b is BandJson => !!b && typeof b === 'object' && ['p10', 'p50', 'p90'].every((p) => typeof (b as Record<string, unknown>)[p] === 'number');
  const known = MC_HEADLINE.filter((h) => ok(headline[h.key])).map((h) => ({ ...h, band: headline[h.key] }));
  const others = Object.keys(headline).filter((k) => !MC_HEADLINE.some((h) => h.key === k) && ok(headline[k]))
    .map((k) => ({ key: k, label: humanize(k), format: 'number' as ValueFormat, band: headline[k] }));
  return [...known, ...others];
}

/** Aggregate gpus_* columns of economy.csv; the others are one cohort class each. */
export const GPU_AGGREGATES: readonly string[] = ['gpus_active', 'gpus_idle', 'gpus_migrated', 'gpus_exited', 'gpus_retired', 'gpus_on_order', 'gpus_arrived'];

export interface StackAccessors {
  readonly x: (t: CsvTable, row: readonly string[]) => number;
  /** The columns stacked, bottom first. */
  readonly layers: (t: CsvTable) => readonly string[];
  readonly label: (column: string) => string;
}

export const GPU_CLASS_ACCESSORS: StackAccessors = {
  x: DEFAULT_FAN_ACCESSORS.x,
  layers: (t) => t.columns.filter((c) => c.startsWith('gpus_') && !GPU_AGGREGATES.includes(c)),
  label: (c) => c.slice('gpus_'.length).replace(/_(home|tier2|cloud|hyperscaler)$/, '@$1').replace(/_/g, '-'),
};

/**
 * Active GPUs per cohort class per day as a stacked area (each layer a band from the layers
 * below to them plus itself). Null without a day column or class columns.
 */
export function gpuClassMixChart(t: CsvTable | null | undefined, acc: StackAccessors = GPU_CLASS_ACCESSORS, maxPoints = 400): LineChartSpec | null {
  if (!t || t.rows.length === 0 || columnIndex(t, 'day') < 0) return null;
  const layers = acc.layers(t);
  if (layers.length === 0) return null;
  const idx = layers.map((c) => t.columns.indexOf(c));
  const rows = thin(t.rows, maxPoints).filter((r) => Number.isFinite(acc.x(t, r)));
  const vals = rows.map((r) => idx.map((i) => Math.max(0, Number(r[i]) || 0)));
  const below = vals.map((v) => v.map((_, j) => v.slice(0, j).reduce((a, b) => a + b, 0)));
  const bands: BandSpec[] = layers.map((c, j) => ({
    key: c, label: acc.label(c), color: j % 8, tip: 'size',
    points: rows.map((r, i) => [acc.x(t, r), below[i][j], below[i][j] + vals[i][j]] as const),
  }));
  return {
    kind: 'line', id: 'economy-gpu-classes', title: 'Active GPUs by cohort class over time',
    caption: 'GPUs each cohort class keeps active going into the next day (columns gpus_<class> of economy.csv), stacked: the top edge is all active GPUs.',
    xLabel: X_LABEL, yLabel: 'Active GPUs', yFormat: 'count', series: [], bands, events: [], refLines: [],
    table: { columns: ['day', ...layers.map(acc.label)], rows: rows.map((r, i) => [acc.x(t, r), ...vals[i].map(round)]), csvName: 'economy-gpus-by-class.csv' },
  };
}

export interface CohortAccessors {
  readonly value: (c: CohortJson) => number;
  readonly group: (c: CohortJson) => string;
  readonly valueLabel: string;
  readonly valueFormat: ValueFormat;
}

export const COHORT_ROI_ACCESSORS: CohortAccessors = {
  value: (c) => c.roi, group: (c) => c.class, valueLabel: 'Return on capital at the end (ROI)', valueFormat: 'pct',
};

/**
 * Operator return per cohort (class × vintage), one bar per cohort, coloured by class, cohorts
 * of a class together (oldest vintage first). Negative returns extend left of zero. Null without
 * cohorts.
 */
export function cohortRoiChart(cohorts: readonly CohortJson[] | null | undefined, acc: CohortAccessors = COHORT_ROI_ACCESSORS): BarChartSpec | null {
  if (!cohorts || cohorts.length === 0) return null;
  const groups = [...new Set(cohorts.map(acc.group))];
  const sorted = [...cohorts].sort((a, b) => groups.indexOf(acc.group(a)) - groups.indexOf(acc.group(b)) || a.vintageDay - b.vintageDay);
  const vintage = (c: CohortJson) => (c.vintageDay < 0 ? `bought day ${c.vintageDay} (day-0 fleet)` : `vintage day ${c.vintageDay}`);
  return {
    kind: 'bars', id: 'economy-cohort-roi', title: 'Operator return by cohort',
    caption: 'Each cohort’s (cash + book value of the GPUs still held − capital) ÷ capital at the end of the economy (summary.json economy.summary.cohorts), grouped by class; left of zero the operators lost money.',
    valueLabel: acc.valueLabel, valueFormat: acc.valueFormat, valueDomain: 'fit',
    rows: sorted.map((c, i) => ({ key: `${acc.group(c)}/${c.vintageDay}/${i}`, label: `${acc.group(c)}, ${vintage(c)}` })),
    segments: groups.map((g, j) => ({ key: g, label: g, color: j % 8, hatch: j >= 8 })),
    values: sorted.map((c) => groups.map((g) => (acc.group(c) === g ? acc.value(c) : 0))),
    details: sorted.map((c) => groups.map(() => `${fmtNumber(c.delivered)} GPUs, capital USD ${fmtNumber(c.capexUsd)}, cash USD ${fmtNumber(c.cashUsd)}, ${c.paybackDays == null ? 'not paid back' : `paid back in ${fmtNumber(c.paybackDays)} days`}`)),
    table: {
      columns: ['class', 'vintage day', 'GPUs delivered', 'active', 'idle', 'migrated', 'exited', 'retired', 'capex (USD)', 'cash (USD)', 'cash − capex (USD)', 'payback (days)', 'ROI', 'ROI per year'],
      rows: sorted.map((c) => [c.class, c.vintageDay, round(c.delivered), round(c.active), round(c.idle), round(c.migrated), round(c.exited), round(c.retired),
        round(c.capexUsd), round(c.cashUsd), round(c.cashUsd - c.capexUsd), c.paybackDays == null ? 'never' : c.paybackDays, round(c.roi), round(c.roiPerYear)]),
      csvName: 'economy-cohorts.csv',
    },
  };
}

/** economy.csv columns of the emission-vs-subsidy chart, in legend order. */
export const SUBSIDY_COLUMNS: readonly { readonly column: string; readonly label: string; readonly color: number; readonly dash?: boolean }[] = [
  { column: 'emission_value_usd', label: 'emission value (all recipients)', color: 0 },
  { column: 'operator_reward_usd', label: 'operators’ reward', color: 2 },
  { column: 'required_subsidy_usd', label: 'subsidy operators need', color: 5, dash: true },
];

/**
 * The day's emission valued at the day's price, the operators' part of it, and the subsidy the
 * active fleet needs beyond fiat revenue, on one axis. Null unless economy.csv has a day column
 * and at least the emission value and the required subsidy.
 */
export function emissionSubsidyChart(t: CsvTable | null | undefined, maxPoints = 400): LineChartSpec | null {
  if (!t || t.rows.length === 0 || columnIndex(t, 'day') < 0) return null;
  const cols = SUBSIDY_COLUMNS.filter((c) => t.columns.includes(c.column));
  if (!cols.some((c) => c.column === 'emission_value_usd') || !cols.some((c) => c.column === 'required_subsidy_usd')) return null;
  const rows = thin(t.rows, maxPoints).filter((r) => Number.isFinite(DEFAULT_FAN_ACCESSORS.x(t, r)));
  const x = (r: readonly string[]) => DEFAULT_FAN_ACCESSORS.x(t, r);
  const series: LineSeriesSpec[] = cols.map((c) => {
    const i = t.columns.indexOf(c.column);
    return { key: c.column, label: c.label, color: c.color, dash: c.dash, curve: 'linear', points: rows.map((r) => [x(r), Number(r[i])] as const).filter(([, y]) => Number.isFinite(y)) };
  });
  return {
    kind: 'line', id: 'economy-emission-subsidy', title: 'Emission value against the subsidy operators need',
    caption: 'USD per day (economy.csv): where the operators’ reward stays under the dashed line, emissions do not pay for the GPUs (capital recovery, hurdle return and running costs, less fiat revenue).',
    xLabel: X_LABEL, yLabel: 'USD per day', yFormat: 'usd', series, events: [], refLines: [],
    table: { columns: ['day', ...cols.map((c) => c.column)], rows: rows.map((r) => [x(r), ...cols.map((c) => round(Number(r[t.columns.indexOf(c.column)])))]), csvName: 'economy-emission-subsidy.csv' },
  };
}

/** economy.csv columns drawn by the charts above, left out of the generic per-column charts. */
export function dedicatedEconomyColumns(t: CsvTable): string[] {
  return [...SUBSIDY_COLUMNS.map((c) => c.column), ...GPU_CLASS_ACCESSORS.layers(t)];
}
