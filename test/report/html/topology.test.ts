import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/report/html/csv';
import { bottleneckMeasure, INTERNET, layoutSites, parseLinks, project, separate, topologyChart } from '../../../src/report/html/transforms/topology';
import type { SiteAssumptions, SystemAssumptions } from '../../../src/report/html/types';
import { expectedMarks } from '../../../src/report/html/charts';
import { run, site, summary } from './fixtures';

const dflt = <T>(value: T) => ({ value, from: 'default' as const });

function siteA(name: string, region: string | null, up: number): SiteAssumptions {
  return {
    name, kind: 'tier2', region, nodeGroups: [],
    fabric: dflt({ id: 'eth-100', bytesPerS: 9e9, oversubscription: 2 }), access: dflt({ id: null, upBytesPerS: up, downBytesPerS: up, latencyS: 0.001 }),
    pue: dflt(1.5), electricityUsdPerKWh: dflt(0.08), costModel: dflt('owned'), hostingUsdPerKWMonth: dflt(184), depreciationYears: dflt(5),
  };
}

function system(sites: SiteAssumptions[], pairs: SystemAssumptions['wan']['pairs']): SystemAssumptions {
  return {
    role: 'run', label: 'network', strategy: { kind: 'diloco', text: '', tokenEfficiency: dflt(0.84), recovery: 'elastic' }, sites,
    wan: { matrix: true, matrixSource: 'DTFM', pairs, withinRegion: { rttS: 0.005, bytesPerS: 2.5e8 }, tcpWindowBytes: dflt(16 * 2 ** 20), streams: dflt(1), backboneLatencyS: 0 },
    faults: { failures: false, repairS: dflt(0), restartS: dflt(0), checkpointIntervalS: null, checkpointWriteS: 1, churn: null },
  };
}

describe('map layout', () => {
  it('projects across the Pacific the short way round and keeps points inside the frame', () => {
    const [oregon, tokyo] = project([[-119.7, 45.8], [139.7, 35.7]]);
    expect(tokyo[0]).toBeLessThan(oregon[0]); // Tokyo west of Oregon over the Pacific
    for (const p of [oregon, tokyo]) for (const v of p) expect(v).toBeGreaterThan(0), expect(v).toBeLessThan(1);
  });

  it('pushes points apart to the minimum distance', () => {
    const p = separate([[0.5, 0.5], [0.5, 0.5], [0.51, 0.5]], 0.1);
    for (let i = 0; i < p.length; i++) for (let j = i + 1; j < p.length; j++) expect(Math.hypot(p[i][0] - p[j][0], p[i][1] - p[j][1])).toBeGreaterThan(0.0999);
  });

  it('one hub per known region, an internet hub for the rest, each site near its hub', () => {
    const { pos, hubs, hubOf } = layoutSites([{ name: 'a', region: 'virginia' }, { name: 'b', region: 'frankfurt' }, { name: 'c', region: null }, { name: 'd', region: 'mars' }]);
    expect(hubs.map((h) => h.id)).toEqual(['virginia', 'frankfurt', INTERNET]);
    expect(hubOf.get('d')).toBe(INTERNET);
    const hub = (id: string) => hubs.find((h) => h.id === id)!;
    expect(pos.get('b')![0]).toBeGreaterThan(pos.get('a')![0]); // Frankfurt east of Virginia
    for (const [s, h] of hubOf) expect(Math.hypot(pos.get(s)![0] - hub(h).x, pos.get(s)![1] - hub(h).y)).toBeLessThan(0.3);
  });
});

describe('links.csv', () => {
  it('reads unlimited capacities, region pairs from link names, and treats an all-zero share column as unmeasured', () => {
    const rows = parseLinks(parseCsv('run,link,class,site,capacity_bytes_per_s,bytes,utilization,busy_fraction\nr,a->b,wan-path,,inf,10,0.5,0\nr,s/fabric,fabric,s,5,0,0,0\n'));
    expect(rows[0]).toMatchObject({ from: 'a', to: 'b', capacity: Infinity, utilization: 0.5, busy: null, saturated: null });
    expect(bottleneckMeasure(rows)!.key).toBe('utilization');
    expect(bottleneckMeasure(parseLinks(parseCsv('link,bytes,busy_fraction,saturated_fraction\nx,1,0.5,0.2\n')))!.key).toBe('saturated');
    expect(bottleneckMeasure(parseLinks(parseCsv('link,bytes\nx,0\n')))).toBeNull();
    // links.csv as dtsim writes it: the share of flow-time a link was the bottleneck ranks first.
    const real = parseLinks(parseCsv('run,link,class,site,capacity_bytes_per_s,bytes,utilization,limiting_flow_s,limiting_share\nr,s/fabric,fabric,s,1e10,9e12,0.9,0,0\nr,s/wan-up,wan-access,s,1e8,1e11,0.2,50,0.7\n'));
    const m = bottleneckMeasure(real)!;
    expect(m.key).toBe('limiting');
    expect(real.reduce((b, r) => (m.of(r) > m.of(b) ? r : b)).id).toBe('s/wan-up');
  });
});

describe('topology chart', () => {
  const s = summary({ run: run('network', { perSite: [site('dc', 'tier2', 16), site('fra', 'tier2', 8), site('home', 'home', 8)] }) });
  const sys = system([siteA('dc', 'virginia', 1.25e9), siteA('fra', 'frankfurt', 1.25e8), siteA('home', null, 3e7)], [{ a: 'virginia', b: 'frankfurt', rttS: 0.09, bytesPerS: 1.3e8 }]);

  it('without measurements: access spokes and region pairs by capacity, the narrowest outlined', () => {
    const c = topologyChart({ summary: s, system: sys, links: null });
    expect(c.hasUtilization).toBe(false);
    expect(c.nodes.map((n) => n.id)).toEqual(['dc', 'fra', 'home']);
    expect(c.links.map((l) => l.id)).toEqual(['dc/wan-access', 'fra/wan-access', 'home/wan-access', 'virginia|frankfurt']);
    expect(c.links.filter((l) => l.bottleneck).map((l) => l.id)).toEqual(['home/wan-access']);
    expect(c.notes?.join(' ')).toMatch(/narrowest/);
    expect(expectedMarks(c)).toEqual({ 'mark-site': 3, 'mark-link': 4 });
  });

  it('with links.csv: only the run’s rows, utilization colours, the link that limited flows longest as the bottleneck', () => {
    const links = parseCsv([
      'run,link,class,site,capacity_bytes_per_s,bytes,utilization,busy_fraction,saturated_fraction',
      'network,dc/wan-up,wan-access,dc,1.25e9,1e12,0.2,0.3,0.01',
      'network,dc/wan-down,wan-access,dc,1.25e9,1e12,0.3,0.3,0.02',
      'network,fra/wan-up,wan-access,fra,1.25e8,1e12,0.7,0.8,0.6',
      'network,fra/fabric,fabric,fra,1e10,1e12,0.1,0.2,0',
      'network,virginia->frankfurt,wan-path,,1.3e8,1e12,0.4,0.5,0.1',
      'network,frankfurt->virginia,wan-path,,1.3e8,1e11,0.05,0.1,0',
      'network,dc/n0/intra,intra-node,dc,3e11,1e13,0.01,0.9,0',
      'cluster,x/fabric,fabric,x,1e11,1e13,0.99,0.99,0.99',
    ].join('\n'));
    const c = topologyChart({ summary: s, system: sys, links });
    expect(c.hasUtilization).toBe(true);
    const byId = new Map(c.links.map((l) => [l.id, l]));
    expect([...byId.keys()].sort()).toEqual(['dc/wan-access', 'fra/wan-access', 'frankfurt|virginia']);
    expect(byId.get('dc/wan-access')!.utilization).toBe(0.3);
    expect(byId.get('frankfurt|virginia')!.utilization).toBe(0.4);
    expect(byId.get('fra/wan-access')!.bottleneck).toBe(true);
    expect(c.nodes.find((n) => n.id === 'fra')!.utilization).toBe(0.1);
    expect(c.notes?.[0]).toMatch(/^Bottleneck, by share of the run it limited a flow.*fra\/wan-up/);
    expect(c.table.rows).toHaveLength(7);
  });

  it('with neither file: sites only', () => {
    const c = topologyChart({ summary: s, system: null, links: null });
    expect(c.links).toEqual([]);
    expect(c.hubs.map((h) => h.id)).toEqual([INTERNET]);
    expect(c.nodes).toHaveLength(3);
  });
});
