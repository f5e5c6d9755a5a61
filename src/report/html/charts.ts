/**
 * The report's charts, in page order, from whatever result files were found. Each is built by
 * a pure transform; a chart whose input is absent is left out and the page says why.
 */
import type { ChartSpec, ReportInputs } from './types';
import { fmtDuration } from './format';
import { activeGpusChart, gpuTypesOverTimeChart, progressChart, throughputCharts } from './transforms/timeseries';
import { breakdownChart, gpuMixChart, siteCostChart, siteTimeChart } from './transforms/breakdown';
import { topologyChart } from './transforms/topology';
import { calibratedClasses, calibrationChart } from './transforms/calibration';
import { busiestLinksChart, genericTimeCharts, gpuMixOverTimeChart } from './transforms/extra';
import { cohortRoiChart, dedicatedEconomyColumns, emissionSubsidyChart, fanCharts, gpuClassMixChart, mcHeadlineRows, type HeadlineRow } from './transforms/economy';

export interface ChartSection {
  readonly id: string;
  readonly title: string;
  readonly charts: readonly ChartSpec[];
  /** Why something expected is not shown. */
  readonly missing: readonly string[];
  /** Monte Carlo headline bands (economy.monteCarlo), shown as a table before the charts. */
  readonly bands?: { readonly runs: number; readonly seeds: readonly number[]; readonly rows: readonly HeadlineRow[] };
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
  const overTime = (rows ? gpuTypesOverTimeChart(rows, s.run.label) : null) ?? (inp.nodes ? gpuMixOverTimeChart(inp.nodes, s.run.label) : null);
  if (overTime) mix.push(overTime);
  else missingMix.push(`GPUs by type over time need a per-type series over time, which these results do not have${inp.nodes ? ' (nodes.csv holds one row per node, not a time series)' : ''}; “GPUs taking part over time” above shows the total.`);
  sections.push({ id: 'fleet', title: 'Fleet and cost', charts: [...mix, siteCostChart(s)], missing: missingMix });

  // Only when a node class ran on a measured profile; the assumptions say which curves are defaults.
  const calibration = calibrationChart(calibratedClasses([s.run, s.baseline]));
  if (calibration) sections.push({ id: 'calibration', title: 'Compute calibration', charts: [calibration], missing: [] });

  const mc = s.economy?.monteCarlo;
  const mcRows = mcHeadlineRows(mc?.headline);
  const cohorts = s.economy?.summary?.cohorts;
  if (inp.economy || inp.economyMc || mcRows.length > 0 || (cohorts && cohorts.length > 0)) {
    const e = inp.economy;
    const charts: ChartSpec[] = [];
    const missing: string[] = [];
    const after = s.economy?.trainingAfterEconomyS ?? 0;
    if (after > 0) missing.push(`Training went on ${fmtDuration(after)} after the economy's last day: from then on nobody decided who trains, and the fleet stayed as the economy left it (economy.days in the scenario sets the economy's length).`);
    const fans = fanCharts(inp.economyMc, mc?.runs ?? null);
    charts.push(...fans);
    if (fans.length === 0) missing.push(inp.economyMc ? 'economy-mc.csv has no day column or no P10/P50/P90 columns to chart.' : 'Monte Carlo bands need economy-mc.csv, which `dtsim run <scenario> --runs N` writes.');
    const subsidy = emissionSubsidyChart(e);
    if (subsidy) charts.push(subsidy);
    const classes = gpuClassMixChart(e);
    if (classes) charts.push(classes);
    else missing.push('Active GPUs by cohort class need the gpus_<class> columns of economy.csv, which these results do not have.');
    const roi = cohortRoiChart(cohorts);
    if (roi) charts.push(roi);
    else missing.push('Operator return by cohort needs economy.summary.cohorts in summary.json, which these results do not have.');
    if (e) {
      const generic = genericTimeCharts(e, 'economy.csv', 12, 300, dedicatedEconomyColumns(e));
      if (generic.length === 0) missing.push('economy.csv has no time column (time_s or day) to chart.');
      charts.push(...generic);
    } else missing.push('economy.csv was not found: no daily economy charts.');
    sections.push({
      id: 'economy', title: 'Token economy', charts, missing,
      ...(mc && mcRows.length > 0 ? { bands: { runs: mc.runs, seeds: mc.seeds ?? [], rows: mcRows } } : {}),
    });
  }
  return sections;
}

/** How many marks each chart draws: what the browser tests count. */
export function expectedMarks(c: ChartSpec): Record<string, number> {
  switch (c.kind) {
    case 'line':
      return { 'mark-line': c.series.length, 'mark-event': c.events.length, ...(c.bands ? { 'mark-band': c.bands.length } : {}) };
    case 'bars':
      return { 'mark-bar': c.values.flat().filter((v) => v !== 0).length };
    case 'topology':
      return { 'mark-site': c.nodes.length, 'mark-link': c.links.length };
  }
}
