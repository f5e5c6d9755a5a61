import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/report/html/csv';
import {
  cohortRoiChart, COHORT_ROI_ACCESSORS, dedicatedEconomyColumns, emissionSubsidyChart, fanCharts, gpuClassMixChart, mcHeadlineRows, thin,
} from '../../../src/report/html/transforms/economy';
import { buildSections, expectedMarks } from '../../../src/report/html/charts';
import { buildPage } from '../../../src/report/html/page';
import type { CohortJson, ReportInputs } from '../../../src/report/html/types';
import { summary } from './fixtures';

const MC = parseCsv(`day,price_usd_p10,price_usd_p50,price_usd_p90,capacity_share_p10,capacity_share_p50,capacity_share_p90
0,1,2,3,0.1,0.2,0.3
1,2,3,5,0.1,0.25,0.4
2,1.5,2.5,6,0.2,0.3,0.5
`);
const ECO = parseCsv(`day,price_usd,emission_value_usd,operator_reward_usd,required_subsidy_usd,gpus_active,gpus_idle,gpus_h100_sxm_tier2,gpus_rtx_4090_home
0,10,100,41,80,22,0,16,6
1,11,110,45,82,23,0,16,7
2,9,90,37,85,21,1,15,6
`);
const cohort = (cls: string, vintageDay: number, roi: number, over: Partial<CohortJson> = {}): CohortJson => ({
  class: cls, vintageDay, delivered: 4, active: 4, idle: 0, migrated: 0, exited: 0, retired: 0, capexUsd: 1000, cashUsd: 100, paybackDays: null, roi, roiPerYear: roi * 2, ...over,
});

describe('economy report transforms', () => {
  it('fan charts: a P10–P90 band and a P50 line per banded column of economy-mc.csv', () => {
    const cs = fanCharts(MC, 3);
    expect(cs.map((c) => c.id)).toEqual(['economy-mc-price_usd', 'economy-mc-capacity_share']);
    const [price, share] = cs;
    expect(price.bands![0].points).toEqual([[0, 1, 3], [1, 2, 5], [2, 1.5, 6]]);
    expect(price.series[0].points).toEqual([[0, 2], [1, 3], [2, 2.5]]);
    expect(price.yFormat).toBe('usd');
    expect(share.yFormat).toBe('pct');
    expect(price.title).toContain('3 runs');
    expect(price.table.columns).toEqual(['day', 'price_usd P10', 'price_usd P50', 'price_usd P90']);
    expect(expectedMarks(price)).toEqual({ 'mark-line': 1, 'mark-event': 0, 'mark-band': 1 });
    // Absent or unusable input: no chart.
    expect(fanCharts(null, 3)).toEqual([]);
    expect(fanCharts(parseCsv('x,price_usd_p50\n1,2\n'), 3)).toEqual([]);
    // Accessor-configured: only the columns asked for.
    expect(fanCharts(MC, 3, { x: (t, r) => Number(r[0]) * 2, columns: () => ['price_usd'] }).map((c) => c.series[0].points.at(-1))).toEqual([[4, 2.5]]);
  });

  it('thin keeps the first and the last row and at most max rows', () => {
    const rows = Array.from({ length: 1825 }, (_, i) => i);
    const t = thin(rows, 400);
    expect(t.length).toBeLessThanOrEqual(400);
    expect(t[0]).toBe(0);
    expect(t.at(-1)).toBe(1824);
    expect(fanCharts(parseCsv(`day,a_p10,a_p50,a_p90\n${rows.map((d) => `${d},1,2,3`).join('\n')}\n`), 200)[0].bands![0].points.length).toBeLessThanOrEqual(400);
  });

  it('headline bands: known figures first, in order, with their format', () => {
    const rows = mcHeadlineRows({ finalPriceUsd: { p10: 1, p50: 2, p90: 3 }, timeToTrainS: { p10: 10, p50: 20, p90: 30 }, extraThing: { p10: 0, p50: 0, p90: 1 }, bad: { p10: 1 } as never });
    expect(rows.map((r) => r.key)).toEqual(['timeToTrainS', 'finalPriceUsd', 'extraThing']);
    expect(rows[0].format).toBe('duration');
    expect(mcHeadlineRows(undefined)).toEqual([]);
  });

  it('GPU mix by class: one stacked layer per gpus_<class> column, the aggregates left out', () => {
    const c = gpuClassMixChart(ECO)!;
    expect(c.bands!.map((b) => b.label)).toEqual(['h100-sxm@tier2', 'rtx-4090@home']);
    expect(c.bands![1].points[1]).toEqual([1, 16, 23]);
    expect(c.bands![0].points[2]).toEqual([2, 0, 15]);
    expect(c.bands!.every((b) => b.tip === 'size')).toBe(true);
    expect(c.table.rows[2]).toEqual([2, 15, 6]);
    expect(expectedMarks(c)).toEqual({ 'mark-line': 0, 'mark-event': 0, 'mark-band': 2 });
    expect(gpuClassMixChart(parseCsv('day,gpus_active\n0,1\n'))).toBeNull();
    expect(gpuClassMixChart(null)).toBeNull();
  });

  it('emission value, operators’ reward and required subsidy on one axis; their generic charts left out', () => {
    const c = emissionSubsidyChart(ECO)!;
    expect(c.series.map((s) => s.key)).toEqual(['emission_value_usd', 'operator_reward_usd', 'required_subsidy_usd']);
    expect(c.series[2].points).toEqual([[0, 80], [1, 82], [2, 85]]);
    expect(c.series[2].dash).toBe(true);
    expect(emissionSubsidyChart(parseCsv('day,emission_value_usd\n0,1\n'))).toBeNull();
    expect(dedicatedEconomyColumns(ECO)).toEqual(['emission_value_usd', 'operator_reward_usd', 'required_subsidy_usd', 'gpus_h100_sxm_tier2', 'gpus_rtx_4090_home']);
  });

  it('operator return by cohort: a bar per cohort, coloured and grouped by class, negatives kept', () => {
    const cohorts = [cohort('rtx-4090@home', -91, 0.02), cohort('h100-sxm@tier2', -274, -0.09), cohort('rtx-4090@home', 0, 0), cohort('h100-sxm@tier2', -91, -0.02, { paybackDays: 40 })];
    const c = cohortRoiChart(cohorts)!;
    expect(c.segments.map((s) => s.key)).toEqual(['rtx-4090@home', 'h100-sxm@tier2']);
    expect(c.rows.map((r) => r.label)).toEqual(['rtx-4090@home, bought day -91 (day-0 fleet)', 'rtx-4090@home, vintage day 0', 'h100-sxm@tier2, bought day -274 (day-0 fleet)', 'h100-sxm@tier2, bought day -91 (day-0 fleet)']);
    expect(c.values).toEqual([[0.02, 0], [0, 0], [0, -0.09], [0, -0.02]]);
    expect(c.valueDomain).toBe('fit');
    // A zero return draws no bar; negatives do.
    expect(expectedMarks(c)).toEqual({ 'mark-bar': 3 });
    expect(c.table.rows[3]).toContain(40);
    expect(c.table.rows[0]).toContain('never');
    const cash = cohortRoiChart(cohorts, { ...COHORT_ROI_ACCESSORS, value: (k) => k.cashUsd - k.capexUsd, valueFormat: 'usd', valueLabel: 'cash − capex (USD)' })!;
    expect(cash.values[0]).toEqual([-900, 0]);
    expect(cohortRoiChart([])).toBeNull();
    expect(cohortRoiChart(undefined)).toBeNull();
  });

  it('the economy section: dedicated charts, the headline table, and notes for what is absent', () => {
    const s = { ...summary(), economy: { summary: { cohorts: [cohort('h100-sxm@tier2', -91, -0.02)] }, monteCarlo: { runs: 3, seeds: [5, 6, 7], headline: { finalPriceUsd: { p10: 1, p50: 2, p90: 3 } } } } };
    const inp: ReportInputs = { summary: s, timeseries: null, links: null, nodes: null, economy: ECO, economyMc: MC, scenario: null, files: [] };
    const eco = buildSections(inp).find((x) => x.id === 'economy')!;
    const ids = eco.charts.map((c) => c.id);
    expect(ids.slice(0, 5)).toEqual(['economy-mc-price_usd', 'economy-mc-capacity_share', 'economy-emission-subsidy', 'economy-gpu-classes', 'economy-cohort-roi']);
    expect(ids).not.toContain('economy-emission_value_usd');
    expect(ids).not.toContain('economy-gpus_h100_sxm_tier2');
    expect(ids).toContain('economy-price_usd');
    expect(eco.missing).toEqual([]);
    expect(eco.bands!.rows).toHaveLength(1);
    const html = buildPage(inp, '');
    expect(html).toContain('data-key="economy.monteCarlo.headline.finalPriceUsd.p50" data-value="2"');
    expect(html).toContain('download="economy-mc-headline.csv"');

    // Only economy.csv (a single run): the fan bands and cohorts are explained, not drawn.
    const bare = buildSections({ ...inp, summary: summary(), economyMc: undefined }).find((x) => x.id === 'economy')!;
    expect(bare.bands).toBeUndefined();
    expect(bare.missing.join(' ')).toMatch(/--runs N/);
    expect(bare.missing.join(' ')).toMatch(/economy\.summary\.cohorts/);
    // No economy at all: no section.
    expect(buildSections({ ...inp, summary: summary(), economy: null, economyMc: null }).some((x) => x.id === 'economy')).toBe(false);
  });
});
