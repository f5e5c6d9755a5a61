/**
 * `dtsim catalog` lists everything a scenario can name: GPUs and efficiency curves (default),
 * model presets (--models), access links, fabrics and intra-node links (--links), site kinds
 * with their defaults (--sites) and WAN regions (--regions), as text and as JSON. Names come
 * from the loaded catalog and the scenario schema, never from a list written here.
 */
import { describe, it, expect, vi, afterEach } from 'vitest';
import { loadCatalog, SITE_KINDS } from '../../src/compute/catalog';
import { catalogListing, main } from '../../src/cli/main';
import { siteSchema } from '../../src/scenario/schema';
import { MODEL_PRESETS } from '../../src/workload/presets';
import { scenario, tree, homeSite, link } from '../sim/fixtures';

const cat = loadCatalog();
const d = cat.defaults;
const words = (text: string) => new Set(text.split(/\s+/).map((w) => w.replace(/^[(`'"]+|[),.:;`'"]+$/g, '')));
const expectListed = (text: string, names: Iterable<string>) => {
  const w = words(text);
  for (const n of names) expect(w.has(n), `'${n}' listed`).toBe(true);
};

describe('dtsim catalog (GPUs)', () => {
  const text = catalogListing({});
  it('lists every GPU id and every efficiency curve a custom GPU may name', () => {
    expectListed(text, cat.gpus.keys());
    expectListed(text, Object.keys(d.efficiencyCurves));
  });

  it('ends with one line naming the other listings', () => {
    const last = text.trimEnd().split('\n').at(-1)!;
    for (const flag of ['--models', '--links', '--sites', '--regions', '--json']) expect(last).toContain(flag);
  });
});

describe('dtsim catalog --models', () => {
  it('lists every model preset', () => {
    expectListed(catalogListing({ models: true }), MODEL_PRESETS.keys());
  });
});

describe('dtsim catalog --links', () => {
  const text = catalogListing({ links: true });
  it('lists every access link, fabric and intra-node link preset', () => {
    expectListed(text, Object.keys(d.accessLinks));
    expectListed(text, Object.keys(d.scaleOutFabrics));
    expectListed(text, Object.keys(d.intraNodeLinks));
  });

  it('shows rates and latencies in people\'s units', () => {
    const cable = text.split('\n').find((l) => l.startsWith('cable '))!;
    expect(cable).toMatch(/20 Mbit\/s\s+300 Mbit\/s\s+10 ms\s+1\.2 TB/);
    expect(text.split('\n').find((l) => l.startsWith('ib-ndr '))).toMatch(/400 Gbit\/s\s+90 %\s+360 Gbit\/s\s+2 us/);
    expect(text.split('\n').find((l) => l.startsWith('nvlink4 '))).toMatch(/450 GB\/s/);
  });

  it('lists only names a scenario accepts', () => {
    for (const wan of Object.keys(d.accessLinks)) {
      expect(() => scenario(tree({ system: { ...(tree().system as object), sites: [homeSite('a', wan), homeSite('b', wan)] } }))).not.toThrow();
    }
    for (const fabric of Object.keys(d.scaleOutFabrics)) {
      const site = (name: string) => ({ name, kind: 'tier2', fabric, wan: link('1 Gbit/s', '10 ms'), nodes: [{ gpu: 'h100-sxm', count: 2, gpusPerNode: 1 }] });
      expect(() => scenario(tree({ system: { ...(tree().system as object), sites: [site('a'), site('b')] } }))).not.toThrow();
    }
  });

  it('has a JSON form that parses, with every preset and units in the field names', () => {
    const j = JSON.parse(catalogListing({ links: true, json: true }));
    expect(j.accessLinks.map((a: { name: string }) => a.name)).toEqual(Object.keys(d.accessLinks));
    expect(j.scaleOutFabrics.map((a: { name: string }) => a.name)).toEqual(Object.keys(d.scaleOutFabrics));
    expect(j.intraNodeLinks.map((a: { name: string }) => a.name)).toEqual(Object.keys(d.intraNodeLinks));
    const cable = j.accessLinks.find((a: { name: string }) => a.name === 'cable');
    expect(cable).toMatchObject({ upGbitPerS: 0.02, downGbitPerS: 0.3, latencyMs: 10, monthlyCapGB: 1200 });
    expect(cable.sources.up).toMatch(/\[S\]/);
    expect(j.scaleOutFabrics.find((a: { name: string }) => a.name === 'ib-ndr')).toMatchObject({ gbitPerS: 400, latencyMs: 0.002, collectiveGbitPerS: 360 });
  });
});

describe('dtsim catalog --sites', () => {
  const text = catalogListing({ sites: true });
  it('lists every site kind the scenario schema accepts, with the fabric and access link it brings', () => {
    const kinds = siteSchema.shape.kind.options;
    expect([...kinds].sort()).toEqual([...SITE_KINDS].sort());
    expectListed(text, kinds);
    for (const k of SITE_KINDS) {
      const s = d.sites[k];
      expectListed(text, [s.access.id, ...(s.fabric ? [s.fabric.id] : [])]);
    }
  });

  it('shows each default in people\'s units', () => {
    const row = (label: string) => text.split('\n').find((l) => l.startsWith(label))!;
    expect(row('electricity')).toMatch(/0\.06 USD\/kWh\s+0\.08 USD\/kWh\s+0\.08 USD\/kWh\s+0\.165 USD\/kWh/);
    expect(row('colocation')).toContain('184.06 USD/kW/month');
    expect(row('repair time')).toMatch(/30 min\s+2 h\s+4 h\s+24 h/);
    expect(row('NIC ports per node')).toMatch(/8 x 400 Gbit\/s/);
    for (const label of ['fabric', 'oversubscription', 'WAN access link', 'PUE', 'cost model', 'depreciation', 'MTBF multiplier']) {
      expect(row(label), label).toBeDefined();
    }
  });

  it('has a JSON form that parses, one entry per kind', () => {
    const j = JSON.parse(catalogListing({ sites: true, json: true }));
    expect(j.map((s: { kind: string }) => s.kind)).toEqual([...SITE_KINDS]);
    const tier2 = j.find((s: { kind: string }) => s.kind === 'tier2');
    expect(tier2).toMatchObject({ fabric: d.sites.tier2.fabric?.id, wanAccess: d.sites.tier2.access.id, pue: d.sites.tier2.pue });
    expect(tier2.colocationUsdPerKWMonth).toBeCloseTo(184.06, 6);
    expect(tier2.electricityUsdPerKWh).toBeCloseTo(0.08, 9);
    expect(tier2.repairHours).toBe(4);
    expect(j.find((s: { kind: string }) => s.kind === 'home').fabric).toBeNull();
  });
});

describe('dtsim catalog --regions', () => {
  const text = catalogListing({ regions: true });
  const r = cat.regions;
  it('lists every region and its AWS code', () => {
    expectListed(text, r.regions);
    expectListed(text, Object.values(r.awsCodes));
    for (const id of r.regions) expect(r.rttS(r.awsCodes[id], id)).toBe(r.withinRegion.rttS);
  });

  it('summarizes the measured pairs and shows the matrix', () => {
    const n = r.regions.length;
    expect(text).toContain(`${(n * (n - 1)) / 2} pairs`);
    const oregon = text.split('\n').filter((l) => l.startsWith('oregon ')).at(-1)!; // matrix row
    expect(oregon).toMatch(/^oregon\s+-\s+67\s+49/);
  });

  it('has a JSON form that parses, with every pair', () => {
    const j = JSON.parse(catalogListing({ regions: true, json: true }));
    const n = r.regions.length;
    expect(j.regions.map((x: { id: string }) => x.id)).toEqual(r.regions);
    expect(j.pairs).toHaveLength((n * (n - 1)) / 2);
    expect(j.pairs[0]).toEqual({ a: 'oregon', b: 'virginia', rttMs: 67, gbitPerS: 0.79 });
    expect(j.summary.pairs).toBe(j.pairs.length);
    expect(j.withinRegion).toEqual({ rttMs: 5, gbitPerS: 2 });
    expect(j.rttTiersMs.transatlantic).toBe(75);
  });
});

describe('dtsim catalog flags', () => {
  afterEach(() => vi.restoreAllMocks());
  it('GPU and model JSON parse', () => {
    expect(JSON.parse(catalogListing({ json: true })).map((g: { id: string }) => g.id)).toEqual([...cat.gpus.keys()]);
    expect(JSON.parse(catalogListing({ models: true, json: true })).length).toBe(MODEL_PRESETS.size);
  });

  it('refuses two listings at once (exit code 2)', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['catalog', '--links', '--sites'])).toBe(2);
    expect(String(err.mock.calls[0]?.[0])).toMatch(/mutually exclusive/);
  });

  it('prints a listing through the CLI', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
    expect(await main(['catalog', '--regions', '--json'])).toBe(0);
    expect(JSON.parse(out).regions.length).toBe(cat.regions.regions.length);
  });
});
