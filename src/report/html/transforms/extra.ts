/**
 * Charts from result files that not every run has: the busiest links (links.csv), GPUs by type
 * over time (nodes.csv) and any time-indexed table such as economy.csv, drawn generically as one
 * line chart per numeric column (grouped by a run / cohort column when there is one). Pure.
 */
import { columnIndex } from '../csv';
import { timeUnit } from '../format';
import type { BarChartSpec, CsvTable, LineChartSpec, LineSeriesSpec } from '../types';
import { bottleneckMeasure, linksOfRun, linkWords, parseLinks } from './topology';
import { downsample } from './timeseries';

/** The `top` links of a run by the bottleneck measure (limiting share, else saturated, busy or mean utilization). */
export function busiestLinksChart(t: CsvTable, runLabel: string, top = 15): BarChartSpec {
  const mine = linksOfRun(parseLinks(t), runLabel);
  const m = bottleneckMeasure(mine);
  const rows = m ? mine.filter((r) => m.of(r) > 0).sort((a, b) => m.of(b) - m.of(a)).slice(0, top) : [];
  return {
    kind: 'bars', id: 'busiest-links', title: `Most loaded links of ${runLabel}`,
    caption: `The ${rows.length} links of ${mine.length} ranked by ${m?.label ?? 'load'} (from links.csv); the first is the bottleneck on the map.`,
    valueLabel: m ? m.label.replace(/^./, (c) => c.toUpperCase()) : 'Load', valueFormat: 'pct',
    rows: rows.map((r) => ({ key: r.id, label: `${r.id} (${r.cls || 'link'})` })),
    segments: [{ key: m?.key ?? 'load', label: m?.label ?? 'load', color: 5 }],
    values: rows.map((r) => [m!.of(r)]),
    details: rows.map((r) => [linkWords(r)]),
    table: {
      columns: ['link', 'class', 'site', 'capacity (bytes/s)', 'bytes', 'utilization', 'limiting share'],
      rows: rows.map((r) => [r.id, r.cls, r.site, Number.isFinite(r.capacity) ? r.capacity : 'inf', r.bytes, r.utilization ?? '', r.limiting ?? '']),
      csvName: 'most-loaded-links.csv',
    },
  };
}

const TIME_COLUMNS = ['time_s', 'time', 't_s'];
const GROUP_COLUMNS = ['run', 'cohort', 'series', 'scenario'];

/**
 * GPUs by type over time from nodes.csv: needs a time column, a GPU-type column (gpu, gpu_type)
 * and a count (active_gpus, online_gpus, gpus; or one row per node with gpus and an online flag).
 * Returns null when the columns are not recognised.
 */
export function gpuMixOverTimeChart(t: CsvTable, runLabel: string | null, maxPoints = 300): LineChartSpec | null {
  const tc = columnIndex(t, ...TIME_COLUMNS), gc = columnIndex(t, 'gpu', 'gpu_type', 'gpu_model', 'generation');
  const nc = columnIndex(t, 'active_gpus', 'online_gpus', 'gpus_online', 'gpus', 'count');
  const oc = columnIndex(t, 'online', 'state', 'status');
  const rc = columnIndex(t, 'run');
  if (tc < 0 || gc < 0) return null;
  const sums = new Map<string, Map<number, number>>();
  const times = new Set<number>();
  for (const r of t.rows) {
    if (rc >= 0 && runLabel !== null && r[rc] !== runLabel) continue;
    const time = Number(r[tc]);
    if (!Number.isFinite(time)) continue;
    if (oc >= 0 && !/^(1|true|online|up|yes)$/i.test(r[oc] ?? '')) continue;
    const n = nc >= 0 ? Number(r[nc]) : 1;
    const g = r[gc] ?? '';
    const m = sums.get(g) ?? new Map<number, number>();
    m.set(time, (m.get(time) ?? 0) + (Number.isFinite(n) ? n : 0));
    sums.set(g, m);
    times.add(time);
  }
  if (sums.size === 0) return null;
  const ts = [...times].sort((a, b) => a - b);
  const unit = timeUnit(ts[ts.length - 1] ?? 0);
  const types = [...sums.keys()];
  const series: LineSeriesSpec[] = types.map((g, i) => ({
    key: g, label: g, color: i % 8, curve: 'step-after',
    points: downsample(ts.map((x) => [x / unit.seconds, sums.get(g)!.get(x) ?? 0] as const), maxPoints),
  }));
  return {
    kind: 'line', id: 'gpu-mix-time', title: 'GPUs online by type over time', caption: 'GPUs online of each type (from nodes.csv).',
    xLabel: `Time since start (${unit.label})`, yLabel: 'GPUs online', yFormat: 'count', series, events: [], refLines: [],
    table: { columns: [`time (${unit.label})`, ...types], rows: ts.map((x) => [Number((x / unit.seconds).toPrecision(6)), ...types.map((g) => sums.get(g)!.get(x) ?? 0)]), csvName: 'gpu-mix-time.csv' },
  };
}

/** "token_price_usd" → "token price (USD)"-ish plain words for a column name. */
export function humanize(col: string): string {
  return col.replace(/_usd$/i, ' (USD)').replace(/_s$/i, ' (s)').replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
}

/** economy.csv columns charted first (the issue's questions: price, emission vs subsidy, absorption, capacity). */
export const PREFERRED_COLUMNS = [
  'price_usd', 'emission_value_usd', 'required_subsidy_usd', 'subsidy_coverage', 'absorption_ratio', 'capacity_h100eq',
  'hyperscaler_h100eq', 'capacity_share', 'operator_reward_usd', 'gpus_active', 'market_cap_usd', 'utilization',
];

/**
 * One line chart per numeric column of a time-indexed table (time_s in seconds, or day in days),
 * preferred columns first, at most `maxCharts`; a series per value of its run / cohort column.
 * Returns [] when there is no time column. Columns in `exclude` (drawn by a dedicated chart) are left out.
 */
export function genericTimeCharts(t: CsvTable, file: string, maxCharts = 12, maxPoints = 300, exclude: readonly string[] = []): LineChartSpec[] {
  let tc = columnIndex(t, ...TIME_COLUMNS);
  let perUnit = 1;
  if (tc < 0) {
    tc = columnIndex(t, 'day');
    perUnit = 86400;
  }
  if (tc < 0) return [];
  const gc = columnIndex(t, ...GROUP_COLUMNS);
  const sec = (r: readonly string[]) => Number(r[tc]) * perUnit;
  const unit = timeUnit(Math.max(0, ...t.rows.map(sec).filter(Number.isFinite)));
  const numeric = t.columns.map((_, i) => i).filter((i) => i !== tc && i !== gc && !exclude.includes(t.columns[i]) && t.rows.length > 0
    && t.rows.every((r) => r[i] === '' || r[i] === undefined || Number.isFinite(Number(r[i]))) && t.rows.some((r) => r[i] !== '' && r[i] !== undefined));
  const rank = (i: number) => {
    const k = PREFERRED_COLUMNS.indexOf(t.columns[i]);
    return k < 0 ? PREFERRED_COLUMNS.length + i : k;
  };
  numeric.sort((a, b) => rank(a) - rank(b));
  const groups = gc >= 0 ? [...new Set(t.rows.map((r) => r[gc] ?? ''))] : [''];
  const base = file.replace(/\.csv$/i, '');
  return numeric.slice(0, maxCharts).map((i) => {
    const col = t.columns[i];
    const series: LineSeriesSpec[] = groups.map((g, k) => ({
      key: g || col, label: g || humanize(col), color: k % 8, curve: 'linear' as const,
      points: downsample(t.rows.filter((r) => gc < 0 || r[gc] === g).filter((r) => r[i] !== '' && r[i] !== undefined)
        .map((r) => [sec(r) / unit.seconds, Number(r[i])] as const).filter(([x]) => Number.isFinite(x)).sort((a, b) => a[0] - b[0]), maxPoints),
    })).filter((s) => s.points.length > 0);
    return {
      kind: 'line', id: `${base}-${col}`.replace(/[^A-Za-z0-9_-]/g, '-'), title: `${humanize(col)}`,
      caption: `Column “${col}” of ${file} over time${gc >= 0 ? `, one line per ${t.columns[gc]}` : ''}.`,
      xLabel: `Time since start (${unit.label})`, yLabel: humanize(col), yFormat: 'number', series, events: [], refLines: [],
      table: {
        columns: [...(gc >= 0 ? [t.columns[gc]] : []), `time (${unit.label})`, col],
        rows: t.rows.filter((r) => r[i] !== '' && r[i] !== undefined).map((r) => [...(gc >= 0 ? [r[gc] ?? ''] : []), sec(r) / unit.seconds, Number(r[i])]),
        csvName: `${base}-${col}.csv`,
      },
    } satisfies LineChartSpec;
  });
}
