/**
 * summary.json → stacked bars: where the time goes (overall and per site), what each site
 * costs, and the GPU mix. Pure functions; every absent optional field has a fallback.
 */
import { fmtCount, fmtDuration, fmtPct, fmtUsd } from '../format';
import type { BarChartSpec, Breakdown, RunSummaryJson, SummaryJson } from '../types';

type PartKey = 'computeS' | 'communicationS' | 'bubbleS' | 'idleS' | 'lostWorkS' | 'restartS' | 'checkpointS' | 'repairS' | 'offlineS' | 'outageS' | 'absentS';

/** The breakdown parts in display order, with the plain name of each cause. */
export const BREAKDOWN_PARTS: readonly { readonly key: PartKey; readonly label: string; readonly color: number; readonly hatch?: boolean }[] = [
  { key: 'computeS', label: 'compute', color: 2 },
  { key: 'communicationS', label: 'communication (exposed)', color: 0 },
  { key: 'bubbleS', label: 'pipeline bubble', color: 6 },
  { key: 'idleS', label: 'idle (online, waiting)', color: 7 },
  { key: 'lostWorkS', label: 'lost work (redone)', color: 5 },
  { key: 'restartS', label: 'restart', color: 1 },
  { key: 'checkpointS', label: 'checkpoint', color: 6, hatch: true },
  { key: 'repairS', label: 'down for repair', color: 3, hatch: true },
  { key: 'outageS', label: 'down in a site outage', color: 5, hatch: true },
  { key: 'offlineS', label: 'offline (churn)', color: 8 },
  { key: 'absentS', label: 'not in the fleet yet / any more', color: 7, hatch: true },
];

/**
 * Exposed communication split by network, when the summary has it: `communicationByScope`
 * {intraNodeS, siteS, wanS}, or a `communicationByClass` record. null when it has neither.
 */
export function communicationSplit(b: Breakdown): { key: string; label: string; s: number }[] | null {
  if (b.communicationByScope) {
    const c = b.communicationByScope;
    return [{ key: 'intra-node', label: 'inside a node', s: c.intraNodeS }, { key: 'site', label: 'site fabric', s: c.siteS }, { key: 'wan', label: 'WAN', s: c.wanS }];
  }
  if (b.communicationByClass) return Object.entries(b.communicationByClass).map(([k, s]) => ({ key: k, label: CLASS_LABELS[k] ?? k, s }));
  return null;
}

const CLASS_LABELS: Readonly<Record<string, string>> = { 'intra-node': 'inside a node', nic: 'node NIC', fabric: 'site fabric', site: 'site fabric', wan: 'WAN', 'wan-access': 'WAN access', 'wan-path': 'WAN path' };
const SPLIT_COLORS: Readonly<Record<string, number>> = { 'intra-node': 4, site: 0, fabric: 0, nic: 0, wan: 3, 'wan-access': 3, 'wan-path': 3 };

/** Segments of a breakdown bar: communication split by network when every breakdown given has the split. */
type Segment = { key: string; label: string; color: number; hatch?: boolean; of: (b: Breakdown) => number };

export function breakdownSegments(bs: readonly Breakdown[]): Segment[] {
  const splits = bs.map(communicationSplit);
  const keys = bs.length > 0 && splits.every((x) => x !== null) ? [...new Map(splits.flatMap((x) => x!.map((c) => [c.key, c.label] as const)))] : null;
  const out: Segment[] = [];
  for (const p of BREAKDOWN_PARTS) {
    if (p.key === 'communicationS' && keys) {
      keys.forEach(([k, label], i) => out.push({ key: `communication/${k}`, label: `communication: ${label}`, color: SPLIT_COLORS[k] ?? [4, 0, 3][i % 3], of: (b) => communicationSplit(b)?.find((c) => c.key === k)?.s ?? 0 }));
      // Whatever the split does not attribute stays visible as its own part.
      out.push({ key: 'communication/other', label: 'communication: other', color: 0, hatch: true, of: (b) => {
        const rest = b.communicationS - (communicationSplit(b) ?? []).reduce((s, c) => s + c.s, 0);
        return rest > 1e-6 * Math.max(1, b.communicationS) ? rest : 0;
      } });
    } else {
      out.push({ key: p.key, label: p.label, color: p.color, ...(p.hatch ? { hatch: true } : {}), of: (b) => b[p.key] ?? 0 });
    }
  }
  return out;
}

function runs(summary: SummaryJson): RunSummaryJson[] {
  return summary.baseline ? [summary.run, summary.baseline] : [summary.run];
}

/** Builds share-of-total bars from breakdowns; segments that are zero in every row are left out. */
function shareBars(id: string, title: string, caption: string, rows: { key: string; label: string; b: Breakdown }[], notes: string[] = []): BarChartSpec {
  const segs = breakdownSegments(rows.map((r) => r.b));
  const abs = rows.map((r) => segs.map((s) => s.of(r.b)));
  const keep = segs.map((_, j) => abs.some((row) => row[j] > 1e-9 * Math.max(1, row.reduce((s, v) => s + Math.abs(v), 0))));
  const segments = segs.filter((_, j) => keep[j]).map(({ key, label, color, hatch }) => ({ key, label, color, ...(hatch ? { hatch } : {}) }));
  const absKept = abs.map((row) => row.filter((_, j) => keep[j]));
  const values = absKept.map((row) => {
    const total = row.reduce((s, v) => s + Math.max(0, v), 0);
    return row.map((v) => (total > 0 && v > 1e-9 * total ? v / total : 0));
  });
  const details = absKept.map((row) => row.map((v) => `${fmtDuration(v)} per GPU`));
  return {
    kind: 'bars', id, title, caption, notes, valueLabel: 'Share of time to train (GPU-weighted)', valueFormat: 'pct',
    rows: rows.map(({ key, label }) => ({ key, label })), segments, values, details,
    tableUnit: 'seconds per GPU',
    table: {
      columns: ['', ...segments.map((s) => s.label), 'total'],
      rows: rows.map((r, i) => {
        const total = absKept[i].reduce((s, v) => s + v, 0);
        return [r.label, ...absKept[i].map((v) => (Math.abs(v) < 1e-9 * Math.max(1, total) ? 0 : round(v))), round(total)];
      }),
      csvName: `${id}.csv`,
    },
  };
}

/** Where the time goes, per run: the breakdown as shares of time to train. */
export function breakdownChart(summary: SummaryJson): BarChartSpec {
  return shareBars('breakdown', 'Where the time goes',
    'Mean time per GPU by cause, as a share of the time to train (the parts sum to it). Communication counts only what compute did not hide.',
    runs(summary).map((r) => ({ key: r.label, label: r.label, b: r.breakdown })));
}

/**
 * Per site: the breakdown by cause when every site has one (perSite[].breakdown); otherwise the
 * split that summary schema 2 gives per site: computing, online but not computing, and offline
 * or down (from GPU-seconds online and computing over the time to train).
 */
export function siteTimeChart(summary: SummaryJson): BarChartSpec {
  const all = runs(summary).flatMap((r) => r.perSite.map((s) => ({ run: r, s })));
  const label = (run: RunSummaryJson, site: string) => (summary.baseline ? `${run.label} / ${site}` : site);
  if (all.length > 0 && all.every(({ s }) => s.breakdown)) {
    return shareBars('site-time', 'Where the time goes, per site',
      'Mean time per GPU of each site by cause, as a share of its run’s time to train.',
      all.map(({ run, s }) => ({ key: `${run.label}/${s.site}`, label: label(run, s.site), b: s.breakdown! })));
  }
  const segments = [
    { key: 'computing', label: 'computing', color: 2 },
    { key: 'online-not-computing', label: 'online, not computing (communication, idle, checkpoints…)', color: 7 },
    { key: 'offline', label: 'offline or down (churn, repair)', color: 8 },
  ];
  const abs = all.map(({ run, s }) => {
    const total = s.gpus * run.timeToTrainS;
    const compute = Math.min(s.computeGpuS, total);
    const online = Math.min(Math.max(s.onlineGpuS, compute), total);
    return [compute, online - compute, Math.max(0, total - online)];
  });
  const values = abs.map((row) => {
    const t = row[0] + row[1] + row[2];
    return row.map((v) => (t > 0 ? v / t : 0));
  });
  return {
    kind: 'bars', id: 'site-time', title: 'GPU time per site',
    caption: 'Each site’s GPU time over its run’s time to train: computing, online but not computing, and offline or down.',
    notes: ['This summary has no breakdown by cause per site (perSite[].breakdown); the split shown is from GPU-seconds online and computing.'],
    valueLabel: 'Share of the site’s GPU time', valueFormat: 'pct',
    rows: all.map(({ run, s }) => ({ key: `${run.label}/${s.site}`, label: label(run, s.site) })),
    segments, values,
    details: abs.map((row) => row.map((v) => `${fmtCount(Math.round(v / 3600))} GPU-hours`)),
    table: {
      columns: ['site', 'GPUs', 'computing (GPU-s)', 'online, not computing (GPU-s)', 'offline or down (GPU-s)', 'tokens'],
      rows: all.map(({ run, s }, i) => [label(run, s.site), s.gpus, ...abs[i].map(round), round(s.tokens)]),
      csvName: 'site-time.csv',
    },
  };
}

const COST_PARTS = [
  { key: 'rentalUsd', label: 'GPU rental', color: 0 },
  { key: 'depreciationUsd', label: 'hardware depreciation', color: 1 },
  { key: 'hostingUsd', label: 'hosting (colocation)', color: 3 },
  { key: 'electricityUsd', label: 'electricity', color: 6 },
] as const;

/** What each site costs its operator, by cost component (or the total when components are absent). */
export function siteCostChart(summary: SummaryJson): BarChartSpec {
  const all = runs(summary).flatMap((r) => r.perSite.map((s) => ({ run: r, s })));
  const split = all.length > 0 && all.every(({ s }) => s.cost);
  const segs = split ? COST_PARTS.filter((p) => all.some(({ s }) => s.cost![p.key] > 0)) : [];
  const segments = split ? segs.map(({ key, label, color }) => ({ key, label, color })) : [{ key: 'costUsd', label: 'cost', color: 0 }];
  const values = all.map(({ s }) => (split ? segs.map((p) => s.cost![p.key]) : [s.costUsd]));
  const label = (run: RunSummaryJson, site: string) => (summary.baseline ? `${run.label} / ${site}` : site);
  return {
    kind: 'bars', id: 'site-cost', title: 'Cost per site',
    caption: 'What each site’s operator pays for the run: rented GPUs pay the hourly price (power and hosting included); owned GPUs pay depreciation, colocation and electricity while online.',
    valueLabel: 'USD', valueFormat: 'usd',
    rows: all.map(({ run, s }) => ({ key: `${run.label}/${s.site}`, label: label(run, s.site) })),
    segments, values,
    details: all.map(({ s }, i) => values[i].map((v) => `${fmtUsd(v)}, ${fmtPct(s.costUsd > 0 ? v / s.costUsd : 0)} of the site’s cost`)),
    table: {
      columns: ['site', 'cost model', ...segments.map((s) => `${s.label} (USD)`), 'total (USD)', 'tokens', 'energy (kWh)'],
      rows: all.map(({ run, s }, i) => [label(run, s.site), s.costModel ?? '', ...values[i].map(round2), round2(s.costUsd), round(s.tokens), round(s.energyJ / 3.6e6)]),
      csvName: 'site-cost.csv',
    },
  };
}

/** GPU mix: GPUs of each type per run. */
export function gpuMixChart(summary: SummaryJson): BarChartSpec {
  const rs = runs(summary);
  const types = [...new Set(rs.flatMap((r) => Object.keys(r.gpuTypes)))];
  const segments = types.map((t, i) => ({ key: t, label: t, color: [0, 1, 2, 3, 4, 5, 6, 7][i % 8] }));
  const values = rs.map((r) => types.map((t) => r.gpuTypes[t] ?? 0));
  return {
    kind: 'bars', id: 'gpu-mix', title: 'GPU mix',
    caption: 'GPUs of each type in each system (the whole fleet, online or not).',
    valueLabel: 'GPUs', valueFormat: 'count',
    rows: rs.map((r) => ({ key: r.label, label: r.label })), segments, values,
    details: rs.map((r, i) => values[i].map((v) => `${fmtCount(v)} of ${fmtCount(r.gpus)} GPUs`)),
    table: { columns: ['system', ...types, 'total'], rows: rs.map((r, i) => [r.label, ...values[i], r.gpus]), csvName: 'gpu-mix.csv' },
  };
}

function round(v: number): number {
  return Number(v.toPrecision(6));
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
