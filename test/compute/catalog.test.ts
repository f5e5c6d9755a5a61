import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { buildGpu, formatCatalog, getGpu, loadCatalog, SITE_KINDS, _internal } from '../../src/compute/catalog';
import { checkCurve, efficiencyAt } from '../../src/compute/efficiency';
import { GPU_SOURCED_FIELDS, missingSources, peakFor } from '../../src/compute/gpu';

const cat = loadCatalog();
const T = 1e12;
const gbit = 1e9 / 8;

const REQUIRED_IDS = [
  'v100-sxm2', 'a100-40gb', 'a100-80gb', 'h100-sxm', 'h100-pcie', 'h800', 'h20', 'h200', 'b200', 'gb200',
  'mi250x', 'mi300x', 'l40s', 'a10', 't4', 'rtx-3090', 'rtx-4090', 'rtx-5090',
];

const gpusYaml = () => parseYaml(readFileSync(fileURLToPath(new URL('../../src/data/gpus.yaml', import.meta.url)), 'utf8')) as {
  gpus: Record<string, unknown>[];
};
const rawEntry = (id: string) => structuredClone(gpusYaml().gpus.find((g) => g.id === id)!);

/** Value of a data-file field on the built spec (null = no figure). */
function valueOf(g: ReturnType<typeof getGpu>, field: (typeof GPU_SOURCED_FIELDS)[number]): unknown {
  const map: Record<string, unknown> = {
    year: g.year, 'peak.bf16': g.peakFlopS.bf16, 'peak.fp16': g.peakFlopS.fp16, 'peak.fp8': g.peakFlopS.fp8,
    'peak.fp32': g.peakFlopS.fp32, memory: g.memoryBytes, memoryBandwidth: g.memoryBandwidthBytesPerS, tdp: g.tdpW,
    intraNode: g.intraNode, price: g.priceUsd, rental: g.rentalUsdPerS, mtbf: g.mtbfS, efficiency: g.efficiency,
  };
  return map[field];
}

describe('GPU catalog', () => {
  it('loads once and holds the required GPUs', () => {
    expect(loadCatalog()).toBe(cat);
    for (const id of REQUIRED_IDS) expect(cat.gpus.has(id), id).toBe(true);
  });

  it('cites a source with a confidence tag for every numeric field', () => {
    for (const g of cat.gpus.values()) {
      expect(missingSources(g), g.id).toEqual([]);
      for (const f of GPU_SOURCED_FIELDS) {
        if (valueOf(g, f) === null) continue; // a null needs a reason, not a tag
        expect(g.sources[f], `${g.id} ${f}`).toMatch(/\[(V\*?|S|M|D)[\],]/);
      }
    }
  });

  it('has every number positive and finite', () => {
    for (const g of cat.gpus.values()) {
      const nums = [g.peakFlopS.bf16, g.peakFlopS.fp16, g.peakFlopS.fp32, g.memoryBytes, g.memoryBandwidthBytesPerS,
        g.tdpW, g.intraNode.bandwidthBytesPerS, g.mtbfS];
      for (const v of nums) expect(Number.isFinite(v) && v > 0, g.id).toBe(true);
      if (g.peakFlopS.fp8 !== null) expect(g.peakFlopS.fp8).toBeGreaterThanOrEqual(g.peakFlopS.bf16);
      expect(g.peakFlopS.fp32).toBeLessThan(g.peakFlopS.bf16);
    }
  });

  it('matches the [V*] dense anchors exactly', () => {
    expect(getGpu('h100-sxm').peakFlopS.bf16).toBe(989.4 * T);
    expect(getGpu('h100-pcie').peakFlopS.bf16).toBe(756 * T);
    expect(getGpu('a100-40gb').peakFlopS.bf16).toBe(312 * T);
    expect(getGpu('a100-80gb').peakFlopS.bf16).toBe(312 * T);
    expect(getGpu('rtx-3090').peakFlopS.bf16).toBe(71 * T);
    expect(getGpu('rtx-4090').peakFlopS.bf16).toBe(165.2 * T);
    expect(getGpu('rtx-5090').peakFlopS.bf16).toBe(209.5 * T);
    expect(getGpu('b200').peakFlopS.bf16).toBe(2250 * T);
    expect(getGpu('h100-sxm').memoryBytes).toBe(80e9);
    expect(getGpu('h100-sxm').tdpW).toBe(700);
  });

  it('never uses a sparse or FP16-accumulate figure as the bf16 peak', () => {
    const sparseOrWrong = [1978.9, 1979, 3958, 1513, 624, 2614.9, 2615, 5229.8, 4500, 9000, 733, 250, 142, 142.4,
      330.3, 330.4, 419, 728, 1671, 5000].map((x) => x * T);
    for (const g of cat.gpus.values()) expect(sparseOrWrong, g.id).not.toContain(g.peakFlopS.bf16);
  });

  it('uses per-direction intra-node bandwidth', () => {
    expect(getGpu('h100-sxm').intraNode).toMatchObject({ kind: 'nvlink4', bandwidthBytesPerS: 450e9 });
    expect(getGpu('a100-80gb').intraNode.bandwidthBytesPerS).toBe(300e9);
    expect(getGpu('rtx-4090').intraNode).toMatchObject({ kind: 'pcie4', bandwidthBytesPerS: 31.5e9 });
  });

  it('falls back to bf16 for fp8 when a GPU has no FP8', () => {
    const a100 = getGpu('a100-80gb');
    expect(a100.peakFlopS.fp8).toBeNull();
    expect(peakFor(a100, 'fp8')).toBe(312 * T);
    expect(peakFor(getGpu('h100-sxm'), 'fp8')).toBe(1978.9 * T);
    expect(peakFor(getGpu('v100-sxm2'), 'bf16')).toBe(peakFor(getGpu('v100-sxm2'), 'fp16'));
  });

  it('gives unknown ids an error listing the known ones', () => {
    expect(() => getGpu('h100')).toThrow(/unknown GPU 'h100'.*h100-sxm/);
  });

  it('has usable, non-decreasing efficiency curves', () => {
    const curves = [...Object.values(cat.defaults.efficiencyCurves), ...[...cat.gpus.values()].map((g) => g.efficiency)];
    for (const c of curves) {
      expect(checkCurve(c), c.source).toEqual([]);
      for (let i = 1; i < c.points.length; i++) expect(c.points[i][1]).toBeGreaterThanOrEqual(c.points[i - 1][1]);
    }
    // MLI 3090 Ti sweep: n = 2048 (2 n^3 FLOP) ran at 71.505 of 80 TFLOP/s.
    expect(efficiencyAt(getGpu('rtx-3090').efficiency, 2 * 2048 ** 3)).toBeCloseTo(0.894, 2);
    expect(efficiencyAt(getGpu('h100-sxm').efficiency, 1e13)).toBeCloseTo(0.803, 3);
  });

  it('formats a table naming every GPU and the conventions', () => {
    const text = formatCatalog(cat);
    for (const id of cat.gpus.keys()) expect(text).toContain(id);
    expect(text).toMatch(/dense/);
    expect(text).toMatch(/FP32 accumulate/);
    expect(text).toContain('989.4');
  });
});

describe('buildGpu', () => {
  it('builds a custom GPU with inline link and curve, optional fields omitted', () => {
    const g = buildGpu({
      id: 'my-gpu', name: 'Mine', vendor: 'Acme', year: 2026,
      peak: { bf16: '100 TFLOP/s', fp16: '100 TFLOP/s', fp32: '10 TFLOP/s' },
      memory: '16 GiB', memoryBandwidth: '1 TB/s', tdp: '300 W',
      intraNode: { kind: 'pcie4', bandwidth: '31.5 GB/s', latency: '5 us' },
      mtbf: '1 year', efficiency: { points: [[1e9, 0.5], [1e12, 0.8]], source: 'guess' },
    }, 'scenario.yaml: gpus[0]');
    expect(g.memoryBytes).toBe(16 * 2 ** 30);
    expect(g.peakFlopS.fp8).toBeNull();
    expect(g.priceUsd).toBeNull();
    expect(g.intraNode.latencyS).toBeCloseTo(5e-6, 12);
    expect(peakFor(g, 'fp8')).toBe(100 * T);
  });

  it('rebuilds a catalog entry identically', () => {
    expect(buildGpu(rawEntry('h100-sxm'), 'test')).toEqual(getGpu('h100-sxm'));
  });

  it('names where, the field and what was expected', () => {
    const bad = rawEntry('h100-sxm');
    (bad.peak as Record<string, unknown>).bf16 = 989.4;
    const msg = (() => { try { buildGpu(bad, 'scn.yaml: gpus[2]'); return ''; } catch (e) { return (e as Error).message; } })();
    expect(msg).toContain('scn.yaml: gpus[2]');
    expect(msg).toContain("'h100-sxm'");
    expect(msg).toContain('peak.bf16');
    expect(msg).toMatch(/compute rate like "989.4 TFLOP\/s"/);
  });

  it('rejects wrong units, unknown presets, typos and missing fields', () => {
    const wrongUnit = { ...rawEntry('a10'), memory: '24 GB/s' };
    expect(() => buildGpu(wrongUnit, 'w')).toThrow(/memory.*data size/);
    expect(() => buildGpu({ ...rawEntry('a10'), intraNode: 'nvlink9' }, 'w')).toThrow(/intraNode.*unknown intra-node link preset 'nvlink9'.*nvlink4/);
    expect(() => buildGpu({ ...rawEntry('a10'), efficiency: 'fast' }, 'w')).toThrow(/efficiency.*unknown efficiency curve/);
    expect(() => buildGpu({ ...rawEntry('a10'), tdpp: '1 W' }, 'w')).toThrow(/tdpp/);
    const { mtbf: _drop, ...noMtbf } = rawEntry('a10');
    expect(() => buildGpu(noMtbf, 'w')).toThrow(/mtbf.*duration.*got nothing/);
    const badCurve = { ...rawEntry('a10'), efficiency: { points: [[1e9, 0.5], [1e8, 0.6]], source: 's' } };
    expect(() => buildGpu(badCurve, 'w')).toThrow(/efficiency\.points.*ascending/);
    expect(() => buildGpu({ ...rawEntry('a10'), tdp: '-5 W' }, 'w')).toThrow(/tdp.*positive/);
  });
});

describe('malformed data files', () => {
  it('name the file, the entry and the field', () => {
    const raw = gpusYaml();
    (raw.gpus[3] as Record<string, unknown>).memoryBandwidth = '3350 GB';
    expect(() => _internal.buildGpus(raw, 'gpus.yaml', cat.defaults)).toThrow(/gpus\.yaml: gpu 'h100-sxm'[\s\S]*memoryBandwidth/);
  });

  it('refuse a catalog GPU with a missing source', () => {
    const raw = gpusYaml();
    delete (raw.gpus[0].sources as Record<string, unknown>)['peak.fp32'];
    expect(() => _internal.buildGpus(raw, 'gpus.yaml', cat.defaults)).toThrow(/v100-sxm2[\s\S]*no source for peak\.fp32/);
  });

  it('refuse duplicate ids', () => {
    const raw = gpusYaml();
    raw.gpus.push(raw.gpus[0]);
    expect(() => _internal.buildGpus(raw, 'gpus.yaml', cat.defaults)).toThrow(/duplicate id/);
  });

  it('name the defaults entry and field', () => {
    const raw = parseYaml(readFileSync(fileURLToPath(new URL('../../src/data/defaults.yaml', import.meta.url)), 'utf8'));
    raw.intraNodeLinks.nvlink4.bandwidth = 'fast';
    raw.sites.home.access = 'carrier-pigeon';
    expect(() => _internal.buildDefaults(raw, 'defaults.yaml')).toThrow(/defaults\.yaml[\s\S]*intraNodeLinks\.nvlink4\.bandwidth/);
    raw.intraNodeLinks.nvlink4.bandwidth = '450 GB/s';
    expect(() => _internal.buildDefaults(raw, 'defaults.yaml')).toThrow(/sites\.home\.access.*carrier-pigeon/);
  });
});

describe('defaults', () => {
  const d = cat.defaults;

  it('has link presets per direction', () => {
    expect(d.intraNodeLinks.nvlink4.bandwidthBytesPerS).toBe(450e9);
    expect(d.intraNodeLinks.pcie4.bandwidthBytesPerS).toBe(31.5e9);
    expect(d.scaleOutFabrics['ib-ndr'].bandwidthBytesPerS).toBe(50e9);
    expect(d.scaleOutFabrics['eth-100'].bandwidthBytesPerS).toBe(12.5e9);
    for (const l of [...Object.values(d.intraNodeLinks), ...Object.values(d.scaleOutFabrics)]) {
      for (const f of ['bandwidth', 'latency', 'achievedFraction']) expect(l.sources[f], `${l.id} ${f}`).toBeTruthy();
    }
  });

  it('has every site kind with SI values and cited numbers', () => {
    for (const k of SITE_KINDS) {
      const s = d.sites[k];
      expect(s.kind).toBe(k);
      expect(s.pue).toBeGreaterThanOrEqual(1);
      for (const f of ['pue', 'electricityPrice', 'access', 'fabric', 'oversubscription', 'mtbfMultiplier', 'repairTime']) {
        expect(s.sources[f], `${k} ${f}`).toBeTruthy();
      }
    }
    expect(d.sites.home.electricityUsdPerJ).toBeCloseTo(0.165 / 3.6e6, 15);
    expect(d.sites.home.access).toMatchObject({ id: 'cable', downBytesPerS: 300e6 / 8, upBytesPerS: 20e6 / 8 });
    expect(d.sites.home.fabric).toBeNull();
    expect(d.sites.hyperscaler.fabric?.id).toBe('ib-ndr');
    expect(d.sites.hyperscaler.oversubscription).toBe(1);
    expect(d.sites.tier2.oversubscription).toBe(2);
    expect(d.accessLinks.fiber.upBytesPerS).toBe(1000e6 / 8);
  });

  it('has TCP, fault and checkpoint defaults', () => {
    expect(d.tcp.windowBytes).toBe(16 * 2 ** 20);
    expect(d.tcp.streamsPerTransfer).toBeGreaterThanOrEqual(1);
    expect(d.faults.nonGpuFailureShare).toBeCloseTo(0.35, 2);
    expect(d.faults.homeChurn.meanLifetimeS).toBe(90 * 86400);
    expect(d.checkpoint.bytesPerParam).toBe(14);
  });
});

describe('WAN region matrix (DT-FM)', () => {
  const r = cat.regions;

  it('holds the ten measured regions, symmetric', () => {
    expect(r.regions).toHaveLength(10);
    for (const a of r.regions) for (const b of r.regions) {
      expect(r.rttS(a, b)).toBe(r.rttS(b, a));
      expect(r.bandwidthBytesPerS(a, b)).toBe(r.bandwidthBytesPerS(b, a));
    }
  });

  it('matches the published values', () => {
    expect(r.rttS('oregon', 'virginia')).toBeCloseTo(0.067, 12);
    expect(r.bandwidthBytesPerS('oregon', 'virginia')).toBeCloseTo(0.79 * gbit, 3);
    expect(r.rttS('sydney', 'frankfurt')).toBeCloseTo(0.265, 12);
    expect(r.bandwidthBytesPerS('london', 'ireland')).toBeCloseTo(1.09 * gbit, 3);
  });

  it('uses the within-region default on the diagonal and accepts AWS codes', () => {
    expect(r.rttS('tokyo', 'tokyo')).toBeCloseTo(0.005, 12);
    expect(r.bandwidthBytesPerS('tokyo', 'tokyo')).toBeCloseTo(2 * gbit, 3);
    expect(r.rttS('us-east-1', 'eu-west-1')).toBe(r.rttS('virginia', 'ireland'));
    expect(r.rttS('us-east-1', 'virginia')).toBeCloseTo(0.005, 12);
  });

  it('rejects unknown regions with the known list', () => {
    expect(() => r.rttS('mars', 'oregon')).toThrow(/unknown region 'mars'.*oregon/);
  });

  it('has the MIRI RTT tiers', () => {
    expect(r.rttTiersS['transatlantic']).toBeCloseTo(0.075, 12);
    expect(r.rttTiersS['global-worst-case']).toBeCloseTo(0.33, 12);
  });
});
