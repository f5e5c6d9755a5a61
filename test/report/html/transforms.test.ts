import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/report/html/csv';
import { activeGpusChart, downsample, eventMarks, gpuTypesOverTimeChart, parseTimeseries, progressChart, throughputCharts } from '../../../src/report/html/transforms/timeseries';
import { breakdownChart, breakdownSegments, gpuMixChart, siteCostChart, siteTimeChart } from '../../../src/report/html/transforms/breakdown';
import { busiestLinksChart, genericTimeCharts, gpuMixOverTimeChart } from '../../../src/report/html/transforms/extra';
import { expectedMarks } from '../../../src/report/html/charts';
import { breakdown, row, site, summary, run } from './fixtures';

describe('GPUs by type over time', () => {
  it('reads the gpus_<type> columns and draws a step line per type that ever trained', () => {
    const t = parseCsv('run,time_s,active_gpus,period_s,event,gpus_h100-sxm,gpus_rtx-4090,gpus_b200\n'
      + 'net,100,16,100,step,8,8,0\nnet,200,8,100,timeline: cloud withheld,0,8,0\nnet,300,8,100,step,0,8,0\nbase,100,64,100,step,0,0,0\n');
    const rows = parseTimeseries(t);
    expect(rows[1].gpusByType).toEqual({ 'h100-sxm': 0, 'rtx-4090': 8, b200: 0 });
    const c = gpuTypesOverTimeChart(rows, 'net')!;
    expect(c.series.map((x) => x.label)).toEqual(['h100-sxm', 'rtx-4090']); // b200 never trained
    // Step-before from the first period's start: 8 H100 until t = 100 s, none from 200 s.
    expect(c.series[0].points.map(([, y]) => y)).toEqual([8, 8, 0, 0]);
    expect(c.series[0].points[0][0]).toBe(0);
    expect(c.events.length).toBe(1);
    expect(c.table.rows[1]).toEqual([expect.any(Number), 0, 8, 'timeline: cloud withheld']);
    // A run without the columns (older results) gets no chart.
    expect(gpuTypesOverTimeChart(parseTimeseries(parseCsv('run,time_s,active_gpus\nnet,1,2\n')), 'net')).toBeNull();
  });
});

describe('timeseries transforms', () => {
  const rows = [
    row('network', 100, 1e10), row('network', 200, 2e10, { event: 'fast-forward' }), row('network', 300, 2e10, { event: 'waiting', throughputTokensPerS: 0, activeGpus: 0 }),
    row('network', 400, 3e10, { event: 'membership' }), row('network', 1000, 1e11, { event: 'end' }),
    row('cluster', 50, 5e10, { effectiveTokens: 5e10 }), row('cluster', 100, 1e11, { effectiveTokens: 1e11, event: 'end' }),
  ];

  it('parses timeseries.csv by column name, tolerating missing columns', () => {
    const t = parseCsv('time_s,run,tokens,throughput_tokens_per_s,event\n10,a,5,0.5,step\n20,a,9,0.4,end\n');
    const r = parseTimeseries(t);
    expect(r).toHaveLength(2);
    expect(r[1]).toMatchObject({ run: 'a', timeS: 20, tokens: 9, effectiveTokens: 9, throughputTokensPerS: 0.4, activeGpus: 0, event: 'end' });
  });

  it('progress: starts at zero, effective tokens only where η ≠ 1, the budget as a reference line', () => {
    const c = progressChart(rows, summary());
    expect(c.series.map((s) => s.key)).toEqual(['network/raw', 'network/effective', 'cluster/raw']);
    expect(c.series[0].points[0]).toEqual([0, 0]);
    expect(c.series[0].points.at(-1)).toEqual([1000 / 60, 1e11]);
    expect(c.xLabel).toContain('minutes');
    expect(c.refLines[0].y).toBe(1e11);
    expect(c.table.rows).toHaveLength(rows.length);
    expect(expectedMarks(c)).toEqual({ 'mark-line': 3, 'mark-event': 4 });
  });

  it('throughput: one chart per run, each row a step over its own period, zeros kept', () => {
    const [net, clu] = throughputCharts(rows, summary());
    expect(net.series[0].curve).toBe('step-before');
    expect(net.series[0].points[0]).toEqual([0, 1e8]);
    expect(net.series[0].points.map((p) => p[1])).toContain(0);
    expect(net.series[1].points[1][1]).toBeCloseTo(0.84e8);
    expect(clu.series).toHaveLength(1);
    expect(clu.events.map((e) => e.kind)).toEqual(['end']);
  });

  it('GPUs taking part follows active_gpus', () => {
    const c = activeGpusChart(rows, summary());
    expect(c.series[0].points.map((p) => p[1])).toEqual([24, 24, 24, 0, 24, 24]);
  });

  it('marks only real events, thinned evenly when there are too many', () => {
    expect(eventMarks(rows, 1).marks.map((m) => m.kind)).toEqual(['waiting', 'membership', 'end', 'end']);
    const many = Array.from({ length: 1000 }, (_, i) => row('r', i, i, { event: 'membership' }));
    const e = eventMarks(many, 1, 100);
    expect(e.marks).toHaveLength(100);
    expect(e.dropped).toBe(900);
    expect(e.marks[0].x).toBe(0);
    expect(e.marks.at(-1)!.x).toBe(999);
  });

  it('downsample keeps the ends and the extremes', () => {
    const pts = Array.from({ length: 10000 }, (_, i) => [i, i === 4321 ? 99 : i === 777 ? -5 : 1] as const);
    const d = downsample(pts, 100);
    expect(d.length).toBeLessThanOrEqual(100);
    expect(d[0]).toEqual([0, 1]);
    expect(d.at(-1)).toEqual([9999, 1]);
    expect(d).toContainEqual([4321, 99]);
    expect(d).toContainEqual([777, -5]);
    for (let i = 1; i < d.length; i++) expect(d[i][0]).toBeGreaterThan(d[i - 1][0]);
  });
});

describe('breakdown, cost and GPU mix transforms', () => {
  it('shares of time sum to one per row and zero parts are left out', () => {
    const c = breakdownChart(summary());
    for (const r of c.values) expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(c.segments.map((s) => s.key)).toEqual(['computeS', 'communicationS', 'idleS', 'lostWorkS', 'offlineS']);
    expect(c.table.rows[0].at(-1)).toBe(1000);
  });

  it('splits communication by network when every breakdown has the split', () => {
    const b = breakdown({ communicationByScope: { intraNodeS: 20, siteS: 80, wanS: 100 } });
    const segs = breakdownSegments([b]);
    const val = (k: string) => segs.find((s) => s.key === k)!.of(b);
    expect(val('communication/intra-node')).toBe(20);
    expect(val('communication/wan')).toBe(100);
    expect(val('communication/other')).toBe(0);
    expect(segs.some((s) => s.key === 'communicationS')).toBe(false);
    // one breakdown without the split: the undivided part
    expect(breakdownSegments([b, breakdown()]).some((s) => s.key === 'communicationS')).toBe(true);
  });

  it('per site: the breakdown by cause when present, else computing / online / offline from GPU-seconds', () => {
    const fallback = siteTimeChart(summary());
    expect(fallback.segments.map((s) => s.key)).toEqual(['computing', 'online-not-computing', 'offline']);
    expect(fallback.rows).toHaveLength(3);
    expect(fallback.values[0][0]).toBeCloseTo(0.6);
    expect(fallback.values[0][2]).toBeCloseTo(0.1);
    expect(fallback.notes?.[0]).toMatch(/perSite\[\]\.breakdown/);
    const withB = summary({ baseline: undefined, comparison: undefined, run: run('network', { perSite: [site('dc', 'tier2', 16, { breakdown: breakdown() })] }) });
    const c = siteTimeChart(withB);
    expect(c.segments[0].key).toBe('computeS');
    expect(c.rows[0].label).toBe('dc');
  });

  it('cost per site by component, GPU mix by type', () => {
    const c = siteCostChart(summary());
    expect(c.segments.map((s) => s.key)).toEqual(['rentalUsd', 'depreciationUsd', 'electricityUsd']);
    expect(c.values[2]).toEqual([6400, 0, 0]);
    const m = gpuMixChart(summary());
    expect(m.segments.map((s) => s.key)).toEqual(['h100-sxm', 'rtx-4090']);
    expect(m.values).toEqual([[16, 8], [64, 0]]);
    expect(expectedMarks(m)).toEqual({ 'mark-bar': 3 });
  });
});

describe('optional files', () => {
  const links = parseCsv([
    'run,link,class,site,capacity_bytes_per_s,bytes,utilization,busy_s,busy_fraction,saturated_s,saturated_fraction',
    'network,dc/fabric,fabric,dc,1e10,5e12,0.5,500,0.5,0,0',
    'network,dc/wan-up,wan-access,dc,1e8,1e11,0.9,900,0.9,400,0.4',
    'network,virginia->ohio,wan-path,,1e8,1e10,0.1,100,0.1,0,0',
    'network,home/n0/nic-up,nic,home,inf,1e9,0,10,0.01,0,0',
    'cluster,c/fabric,fabric,c,1e11,1e13,0.99,990,0.99,990,0.99',
  ].join('\n'));

  it('ranks a run’s links by the share they limited flows', () => {
    const c = busiestLinksChart(links, 'network');
    expect(c.rows.map((r) => r.key)).toEqual(['dc/wan-up']);
    expect(c.values[0][0]).toBe(0.4);
    expect(c.caption).toMatch(/limited a flow/);
  });

  it('charts a time-indexed table column by column, a line per group', () => {
    const t = parseCsv('time_s,cohort,token_price_usd,label\n0,a,1,x\n3600,a,2,y\n0,b,3,z\n3600,b,,w\n');
    const cs = genericTimeCharts(t, 'economy.csv');
    expect(cs.map((c) => c.title)).toEqual(['token price (USD)']);
    expect(cs[0].series.map((s) => s.label)).toEqual(['a', 'b']);
    expect(cs[0].series[1].points).toEqual([[0, 3]]);
    expect(genericTimeCharts(parseCsv('a,b\n1,2\n'), 'x.csv')).toEqual([]);
    // economy.csv counts days; its headline columns come first.
    const econ = genericTimeCharts(parseCsv('day,sentiment,price_usd,absorption_ratio\n0,1,2,0.5\n10,1,3,0.6\n'), 'economy.csv');
    expect(econ.map((c) => c.table.columns.at(-1))).toEqual(['price_usd', 'absorption_ratio', 'sentiment']);
    expect(econ[0].xLabel).toContain('days');
    expect(econ[0].series[0].points).toEqual([[0, 2], [10, 3]]);
  });

  it('GPU mix over time needs a time column; per-node tables give none', () => {
    expect(gpuMixOverTimeChart(parseCsv('run,node,gpu,gpus\nr,n0,h100,8\n'), 'r')).toBeNull();
    const t = parseCsv('time_s,gpu,active_gpus\n0,h100,8\n0,a100,4\n10,h100,8\n');
    const c = gpuMixOverTimeChart(t, null)!;
    expect(c.series.map((s) => s.label)).toEqual(['h100', 'a100']);
    expect(c.series[1].points).toEqual([[0, 4], [10, 0]]);
  });
});
