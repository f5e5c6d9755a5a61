/**
 * timeseries.csv → line charts: training progress (raw and effective tokens, run and
 * baseline), throughput (each row's rate over its latest period, drawn as a step over that
 * period), GPUs online, and the timeline events marked on the time axis. Pure functions.
 */
import { columnIndex } from '../csv';
import { fmtDuration, fmtNumber, timeUnit } from '../format';
import type { CsvTable, EventMarkSpec, LineChartSpec, LineSeriesSpec, SeriesRow, SummaryJson } from '../types';

/** Rows of timeseries.csv; missing numeric columns read as 0, unknown columns are ignored. */
export function parseTimeseries(t: CsvTable): SeriesRow[] {
  const at = (...names: string[]) => columnIndex(t, ...names);
  const c = {
    run: at('run'), time: at('time_s'), tokens: at('tokens'), eff: at('effective_tokens'), lost: at('tokens_lost'),
    nodes: at('active_nodes'), gpus: at('active_gpus'), period: at('period_s'), rate: at('throughput_tokens_per_s'), event: at('event'),
  };
  const num = (r: readonly string[], i: number) => {
    const v = i >= 0 ? Number(r[i]) : 0;
    return Number.isFinite(v) ? v : 0;
  };
  const types = t.columns.map((name, i) => [name, i] as const).filter(([name]) => name.startsWith(GPU_TYPE_PREFIX));
  return t.rows.filter((r) => c.time >= 0 && r[c.time] !== undefined && r[c.time] !== '').map((r) => ({
    run: c.run >= 0 ? r[c.run] ?? '' : '',
    timeS: num(r, c.time),
    tokens: num(r, c.tokens),
    effectiveTokens: c.eff >= 0 ? num(r, c.eff) : num(r, c.tokens),
    tokensLost: num(r, c.lost),
    activeNodes: num(r, c.nodes),
    activeGpus: num(r, c.gpus),
    periodS: num(r, c.period),
    throughputTokensPerS: num(r, c.rate),
    event: c.event >= 0 ? r[c.event] ?? '' : '',
    gpusByType: Object.fromEntries(types.map(([name, i]) => [name.slice(GPU_TYPE_PREFIX.length), num(r, i)])),
  }));
}

/** timeseries.csv's per-type columns: gpus_<GPU id> (src/report/write.ts). */
const GPU_TYPE_PREFIX = 'gpus_';

/**
 * Training GPUs by type over time for one run (the gpus_<id> columns of timeseries.csv): which
 * generations carry the run as churn, failures, the economy and the timeline change the fleet.
 * Null when the results have no such columns. Pure.
 */
export function gpuTypesOverTimeChart(rows: readonly SeriesRow[], run: string, o: SeriesOptions = {}): LineChartSpec | null {
  const mine = rows.filter((r) => r.run === run);
  const types = [...new Set(mine.flatMap((r) => Object.keys(r.gpusByType)))].filter((g) => mine.some((r) => r.gpusByType[g] > 0));
  if (mine.length === 0 || types.length === 0) return null;
  const unit = reportTimeUnit(rows);
  const max = o.maxPoints ?? 400;
  const first = mine[0];
  const start = Math.max(0, first.timeS - first.periodS) / unit.seconds;
  const ev = eventMarks(mine, unit.seconds, o.maxEvents);
  return {
    kind: 'line', id: 'gpu-types-time', title: `GPUs training by type over time: ${run}`,
    caption: 'GPUs of the training nodes of each type in each period (timeseries.csv, gpus_<type> columns); the types add up to “GPUs taking part”.',
    xLabel: `Time since start (${unit.label})`, yLabel: 'GPUs', yFormat: 'count',
    series: types.map((g, i) => ({
      key: `${run}/${g}`, label: g, color: i % 8, curve: 'step-before' as const,
      points: downsample([[start, first.gpusByType[g] ?? 0] as const, ...mine.map((r) => [r.timeS / unit.seconds, r.gpusByType[g] ?? 0] as const)], max),
    })),
    events: ev.marks, refLines: [], notes: eventNotes(ev.dropped),
    table: { columns: [`time (${unit.label})`, ...types, 'event'], rows: mine.map((r) => [round(r.timeS / unit.seconds), ...types.map((g) => r.gpusByType[g] ?? 0), r.event]), csvName: 'gpu-types-time.csv' },
  };
}

/** Run labels in order of first appearance. */
export function runsOf(rows: readonly SeriesRow[]): string[] {
  return [...new Set(rows.map((r) => r.run))];
}

/**
 * At most `max` points, keeping the first and the last and, in each of the buckets between,
 * the points with the lowest and highest y (so peaks and drops survive), in x order.
 */
export function downsample<P extends readonly [number, number]>(points: readonly P[], max: number): P[] {
  if (points.length <= max || max < 4) return points.slice();
  const inner = points.slice(1, -1);
  const buckets = Math.floor((max - 2) / 2);
  const out: P[] = [points[0]];
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor((b * inner.length) / buckets);
    const hi = Math.floor(((b + 1) * inner.length) / buckets);
    if (hi <= lo) continue;
    let iMin = lo, iMax = lo;
    for (let i = lo; i < hi; i++) {
      if (inner[i][1] < inner[iMin][1]) iMin = i;
      if (inner[i][1] > inner[iMax][1]) iMax = i;
    }
    if (iMin === iMax) out.push(inner[iMin]);
    else for (const i of iMin < iMax ? [iMin, iMax] : [iMax, iMin]) out.push(inner[i]);
  }
  out.push(points[points.length - 1]);
  return out;
}

/** Events worth marking on a time axis; `step` and `fast-forward` rows are ordinary progress. */
export const MARKED_EVENTS: Readonly<Record<string, string>> = {
  membership: 'a node left or joined',
  waiting: 'nobody can train',
  'restart-after-failure': 'restart after a failure',
  'restart-after-churn': 'restart after churn',
  end: 'end of the run',
};

export interface SeriesOptions {
  /** Most points per series (default 400). */
  readonly maxPoints?: number;
  /** Most event marks per chart (default 200). */
  readonly maxEvents?: number;
}

/** The x unit shared by every time chart of a report. */
export function reportTimeUnit(rows: readonly SeriesRow[]) {
  return timeUnit(rows.reduce((m, r) => Math.max(m, r.timeS), 0));
}

/** Rows of the scenario's dated timeline events: `timeline: <label>` (src/sim/run.ts). */
const TIMELINE_PREFIX = 'timeline: ';

/** Whether a row's event is marked on the time axes: MARKED_EVENTS, and every timeline event. */
export const isMarkedEvent = (event: string): boolean => event in MARKED_EVENTS || event.startsWith(TIMELINE_PREFIX);

/** Event marks: one per row whose event is marked (isMarkedEvent), at most `max` (evenly thinned). */
export function eventMarks(rows: readonly SeriesRow[], unitS: number, max = 200): { marks: EventMarkSpec[]; dropped: number } {
  const all = rows.filter((r) => isMarkedEvent(r.event)).map((r) => {
    const timeline = r.event.startsWith(TIMELINE_PREFIX);
    return {
      x: r.timeS / unitS,
      kind: timeline ? 'timeline' : r.event,
      label: `${r.run}: ${timeline ? r.event.slice(TIMELINE_PREFIX.length) : MARKED_EVENTS[r.event]} at ${fmtDuration(r.timeS)}`,
    };
  });
  if (all.length <= max) return { marks: all, dropped: 0 };
  const keep = new Set(Array.from({ length: max }, (_, i) => Math.round((i * (all.length - 1)) / (max - 1))));
  return { marks: all.filter((_, i) => keep.has(i)), dropped: all.length - keep.size };
}

function eventNotes(dropped: number): string[] {
  return dropped > 0 ? [`${dropped} further timeline events are not marked (too many to draw); the CSV lists every row.`] : [];
}

function roleOf(summary: SummaryJson, run: string): 'run' | 'baseline' | 'other' {
  if (run === summary.run.label) return 'run';
  if (summary.baseline && run === summary.baseline.label) return 'baseline';
  return 'other';
}

function efficiencyOf(summary: SummaryJson, run: string): number {
  const r = roleOf(summary, run);
  return r === 'run' ? summary.run.tokenEfficiency.value : r === 'baseline' ? summary.baseline!.tokenEfficiency.value : 1;
}

const RUN_COLORS = { run: 0, baseline: 1, other: 3 } as const;

/** Training progress: raw tokens (solid) and, where η ≠ 1, effective tokens (dashed) per run. */
export function progressChart(rows: readonly SeriesRow[], summary: SummaryJson, o: SeriesOptions = {}): LineChartSpec {
  const unit = reportTimeUnit(rows);
  const max = o.maxPoints ?? 400;
  const series: LineSeriesSpec[] = [];
  const tableRows: (string | number)[][] = [];
  for (const run of runsOf(rows)) {
    const mine = rows.filter((r) => r.run === run);
    const color = RUN_COLORS[roleOf(summary, run)];
    const raw = downsample([[0, 0] as const, ...mine.map((r) => [r.timeS / unit.seconds, r.tokens] as const)], max);
    series.push({ key: `${run}/raw`, label: `${run}: raw tokens`, color, curve: 'linear', points: raw });
    const differs = mine.some((r) => Math.abs(r.effectiveTokens - r.tokens) > 1e-9 * Math.max(1, r.tokens));
    if (differs) {
      const eff = downsample([[0, 0] as const, ...mine.map((r) => [r.timeS / unit.seconds, r.effectiveTokens] as const)], max);
      series.push({ key: `${run}/effective`, label: `${run}: effective tokens (× η ${fmtNumber(efficiencyOf(summary, run))})`, color, dash: true, curve: 'linear', points: eff });
    }
    for (const r of mine) tableRows.push([run, round(r.timeS / unit.seconds), r.tokens, r.effectiveTokens, r.tokensLost, r.event]);
  }
  const ev = eventMarks(rows, unit.seconds, o.maxEvents);
  return {
    kind: 'line', id: 'progress', title: 'Training progress',
    caption: `Tokens trained over time. Raw tokens are the tokens processed; effective tokens count them at the token efficiency η (what they are worth against synchronous training). The horizontal line is the budget of ${fmtNumber(summary.scenario.tokens / 1e9)} B tokens.`,
    xLabel: `Time since start (${unit.label})`, yLabel: 'Tokens', yFormat: 'tokens',
    series, events: ev.marks, refLines: [{ y: summary.scenario.tokens, label: 'token budget' }],
    notes: eventNotes(ev.dropped),
    table: { columns: ['run', `time (${unit.label})`, 'raw tokens', 'effective tokens', 'tokens lost', 'event'], rows: tableRows, csvName: 'progress.csv' },
  };
}

/**
 * Throughput, one chart per run (their rates and durations may differ by an order of magnitude,
 * so each gets its own scales): each row's throughput_tokens_per_s is the rate of the period that ends at the
 * row's time, drawn as a step over (time − period, time]; rows where nothing trains are real
 * zeros. Effective throughput (× η) is dashed where η ≠ 1.
 */
export function throughputCharts(rows: readonly SeriesRow[], summary: SummaryJson, o: SeriesOptions = {}): LineChartSpec[] {
  const max = o.maxPoints ?? 400;
  return runsOf(rows).map((run, k) => {
    const mine = rows.filter((r) => r.run === run);
    const unit = reportTimeUnit(mine);
    const color = RUN_COLORS[roleOf(summary, run)];
    const first = mine[0];
    const start = Math.max(0, first.timeS - first.periodS) / unit.seconds;
    const pts = [[start, first.throughputTokensPerS] as const, ...mine.map((r) => [r.timeS / unit.seconds, r.throughputTokensPerS] as const)];
    const series: LineSeriesSpec[] = [{ key: `${run}/raw`, label: `${run}: raw tokens/s`, color, curve: 'step-before', points: downsample(pts, max) }];
    const eta = efficiencyOf(summary, run);
    if (Math.abs(eta - 1) > 1e-12) {
      series.push({ key: `${run}/effective`, label: `${run}: effective tokens/s (× η ${fmtNumber(eta)})`, color, dash: true, curve: 'step-before', points: downsample(pts.map(([x, y]) => [x, y * eta] as const), max) });
    }
    const ev = eventMarks(mine, unit.seconds, o.maxEvents);
    return {
      kind: 'line', id: `throughput-${k}`, title: `Throughput over time: ${run}`,
      caption: 'Tokens per second over each period (a step, or a DiLoCo round), drawn as a step across that period. A drop to zero means nobody could train.',
      xLabel: `Time since start (${unit.label})`, yLabel: 'Tokens per second', yFormat: 'tokens',
      series, events: ev.marks, refLines: [], notes: eventNotes(ev.dropped),
      table: { columns: ['run', `time (${unit.label})`, 'period (s)', 'raw tokens/s', 'event'], rows: mine.map((r) => [run, round(r.timeS / unit.seconds), round(r.periodS), r.throughputTokensPerS, r.event]), csvName: `throughput-${k}.csv` },
    } satisfies LineChartSpec;
  });
}

/** GPUs online (taking part) over time, per run, as a step over each period. */
export function activeGpusChart(rows: readonly SeriesRow[], summary: SummaryJson, o: SeriesOptions = {}): LineChartSpec {
  const unit = reportTimeUnit(rows);
  const max = o.maxPoints ?? 400;
  const series: LineSeriesSpec[] = [];
  const tableRows: (string | number)[][] = [];
  for (const run of runsOf(rows)) {
    const mine = rows.filter((r) => r.run === run);
    if (mine.length === 0) continue;
    const first = mine[0];
    const start = Math.max(0, first.timeS - first.periodS) / unit.seconds;
    const pts = [[start, first.activeGpus] as const, ...mine.map((r) => [r.timeS / unit.seconds, r.activeGpus] as const)];
    series.push({ key: `${run}/gpus`, label: `${run}: GPUs taking part`, color: RUN_COLORS[roleOf(summary, run)], curve: 'step-before', points: downsample(pts, max) });
    for (const r of mine) tableRows.push([run, round(r.timeS / unit.seconds), r.activeGpus, r.activeNodes, r.event]);
  }
  const ev = eventMarks(rows, unit.seconds, o.maxEvents);
  return {
    kind: 'line', id: 'gpus-online', title: 'GPUs taking part over time',
    caption: 'GPUs of the nodes that trained in each period; churn (owners switching machines off) and failures take nodes away.',
    xLabel: `Time since start (${unit.label})`, yLabel: 'GPUs', yFormat: 'count',
    series, events: ev.marks, refLines: [], notes: eventNotes(ev.dropped),
    table: { columns: ['run', `time (${unit.label})`, 'GPUs', 'nodes', 'event'], rows: tableRows, csvName: 'gpus-online.csv' },
  };
}

function round(v: number): number {
  return Number(v.toPrecision(6));
}
