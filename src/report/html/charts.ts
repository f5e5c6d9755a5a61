/**
 * The report's charts, in page order, from whatever result files were found. Each is built by
 * a pure transform; a chart whose input is absent is left out and the page says why.
 */
import type { ChartSpec, ReportInputs } from './types';
import { activeGpusChart, progressChart, throughputCharts } from './transforms/timeseries';
import { breakdownChart, gpuMixChart, siteCostChart, siteTimeChart } from './transforms/breakdown';
import { topologyChart } from './transforms/topology';
import { busiestLinksChart, genericTimeCharts, gpuMixOverTimeChart } from './transforms/extra';

export interface ChartSection {
  readonly id: string;
  readonly title: string;
  readonly charts: readonly ChartSpec[];
  /** Why something expected is not shown. */
  readonly missing: readonly string[];
}

export function buildSections(inp: ReportInputs): ChartSection[] {
  const s = inp.summary;
  const rows = inp.timeseries;
  const runSystem = inp.scenario?.assumptions.find((a) => a.role === 'run') ?? null;
  const sections: ChartSection[] = [];

  const noSeries = rows === null || rows.length === 0 ? ['timeseries.csv was not found or has no rows: no charts over time.'] : [];
  sections.push({
    id: 'progress', title: 'Progress over time',
    charts: rows && rows.length > 0 ? [progressChart(rows, s), ...throughputCharts(rows, s), activeGpusChart(rows, s)] : [],
    missing: noSeries,
  });

  sections.push({ id: 'time', title: 'Where the time goes', charts: [breakdownChart(s), siteTimeChart(s)], missing: [] });

  const topo: ChartSpec[] = [topologyChart({ summary: s, system: runSystem, links: inp.links })];
  if (inp.links && inp.links.rows.length > 0) {
    const busiest = busiestLinksChart(inp.links, s.run.label);
    if (busiest.rows.length > 0) topo.push(busiest);
  }
  sections.push({ id: 'network', title: 'Network', charts: topo, missing: [] });

  const mix: ChartSpec[] = [gpuMixChart(s)];
  const missingMix: string[] = [];
  const overTime = inp.nodes ? gpuMixOverTimeChart(inp.nodes, s.run.label) : null;
  if (overTime) mix.push(overTime);
  else missingMix.push(`GPUs by type over time need a per-type series over time, which these results do not have${inp.nodes ? ' (nodes.csv holds one row per node, not a time series)' : ''}; “GPUs taking part over time” above shows the total.`);
  sections.push({ id: 'fleet', title: 'Fleet and cost', charts: [...mix, siteCostChart(s)], missing: missingMix });

  if (inp.economy) {
    const charts = genericTimeCharts(inp.economy, 'economy.csv');
    sections.push({ id: 'economy', title: 'Token economy', charts, missing: charts.length === 0 ? ['economy.csv has no time column (time_s or day) to chart.'] : [] });
  }
  return sections;
}

/** How many marks each chart draws: what the browser tests count. */
export function expectedMarks(c: ChartSpec): Record<string, number> {
  switch (c.kind) {
    case 'line':
      return { 'mark-line': c.series.length, 'mark-event': c.events.length };
    case 'bars':
      return { 'mark-bar': c.values.flat().filter((v) => v > 0).length };
    case 'topology':
      return { 'mark-site': c.nodes.length, 'mark-link': c.links.length };
  }
}
