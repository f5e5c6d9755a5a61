/**
 * `dtsim catalog --links | --sites | --regions`: everything besides GPUs and model presets that a
 * scenario can name (access-link presets, scale-out fabrics, intra-node links, site kinds with
 * their defaults, WAN regions), as text tables or as JSON. The catalog holds SI; this module
 * shows people's units (Gbit/s, ms, USD/kWh) and, in JSON, names the unit in every field.
 */
import type { AccessLink, Catalog, LinkPreset, SiteDefaults } from '../compute/catalog';
import { SITE_KINDS } from '../compute/catalog';
import { parseQuantity, type QuantityKind } from '../scenario/units';

// ---------- units ----------

/** SI value of one `unit` (e.g. "USD/kWh"), from the same parser scenarios use. */
function unitOf(unit: string, kind: QuantityKind): number {
  const r = parseQuantity(`1 ${unit}`, kind);
  if (!r.ok) throw new Error(`internal: cannot parse unit ${unit}`);
  return r.value;
}
const USD_PER_KWH = unitOf('USD/kWh', 'usdPerEnergy');
const USD_PER_KW_MONTH = unitOf('USD/kW/month', 'usdPerEnergy');
const YEAR_S = unitOf('year', 'time');

/** At most `digits` significant digits, no trailing zeros, no exponent. */
function sig(x: number, digits = 4): number {
  return Number(x.toPrecision(digits));
}
const gbit = (bytesPerS: number) => sig((bytesPerS * 8) / 1e9, 6);
const ms = (s: number) => sig(s * 1e3, 6);

/** A data rate in bit/s units: "20 Mbit/s", "400 Gbit/s", "1 Tbit/s". */
export function formatBitRate(bytesPerS: number): string {
  const bits = bytesPerS * 8;
  const units: [number, string][] = [[1e12, 'Tbit/s'], [1e9, 'Gbit/s'], [1e6, 'Mbit/s'], [1e3, 'kbit/s']];
  for (const [v, u] of units) if (bits >= v) return `${sig(bits / v)} ${u}`;
  return `${sig(bits)} bit/s`;
}

/** A latency: microseconds below 0.1 ms, else milliseconds. */
export function formatLatency(s: number): string {
  return s < 1e-4 ? `${sig(s * 1e6)} us` : `${sig(s * 1e3)} ms`;
}

function formatSpan(s: number): string {
  if (s >= 0.9 * YEAR_S) return `${sig(s / YEAR_S, 3)} years`;
  if (s >= 3600) return `${sig(s / 3600, 3)} h`;
  return `${sig(s / 60, 3)} min`;
}

function formatCap(bytes: number | null): string {
  if (bytes === null) return 'none';
  return bytes >= 1e12 ? `${sig(bytes / 1e12)} TB` : `${sig(bytes / 1e9)} GB`;
}

const pct = (x: number) => `${sig(100 * x, 3)} %`;

// ---------- tables ----------

/** Fixed-width columns; `right[i]` right-aligns column i. */
function table(head: string[], rows: string[][], right: boolean[] = []): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** Words wrapped to `width` columns. */
function wrap(text: string, width = 100): string[] {
  const out: string[] = [];
  let cur = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (cur && cur.length + 1 + w.length > width) {
      out.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out;
}

// ---------- links ----------

const accessJson = (a: AccessLink) => ({
  name: a.id, upGbitPerS: gbit(a.upBytesPerS), downGbitPerS: gbit(a.downBytesPerS), latencyMs: ms(a.latencyS),
  monthlyCapGB: a.monthlyCapBytes === null ? null : sig(a.monthlyCapBytes / 1e9, 6), sources: a.sources,
});
const linkJson = (l: LinkPreset) => ({
  name: l.id, gbitPerS: gbit(l.bandwidthBytesPerS), latencyMs: ms(l.latencyS), achievedFraction: l.achievedFraction,
  collectiveGbitPerS: gbit(l.bandwidthBytesPerS * l.achievedFraction), sources: l.sources,
});

/** `dtsim catalog --links --json`: access links, scale-out fabrics and intra-node links. */
export function linksJson(cat: Catalog) {
  const d = cat.defaults;
  return {
    accessLinks: Object.values(d.accessLinks).map(accessJson),
    scaleOutFabrics: Object.values(d.scaleOutFabrics).map(linkJson),
    intraNodeLinks: Object.values(d.intraNodeLinks).map(linkJson),
  };
}

/** `dtsim catalog --links`. */
export function formatLinks(cat: Catalog): string {
  const d = cat.defaults;
  const access = table(
    ['access link', 'up', 'down', 'latency', 'monthly cap'],
    Object.values(d.accessLinks).map((a) => [a.id, formatBitRate(a.upBytesPerS), formatBitRate(a.downBytesPerS),
      formatLatency(a.latencyS), formatCap(a.monthlyCapBytes)]),
    [false, true, true, true, true],
  );
  const linkRows = (links: Readonly<Record<string, LinkPreset>>, bytes: boolean) =>
    Object.values(links).map((l) => [l.id, formatBitRate(l.bandwidthBytesPerS),
      ...(bytes ? [`${sig(l.bandwidthBytesPerS / 1e9)} GB/s`] : []),
      pct(l.achievedFraction), formatBitRate(l.bandwidthBytesPerS * l.achievedFraction), formatLatency(l.latencyS)]);
  const fabrics = table(['fabric', 'line rate', 'achieved', 'collectives', 'latency'],
    linkRows(d.scaleOutFabrics, false), [false, true, true, true, true]);
  const intra = table(['intra-node link', 'line rate', 'GB/s', 'achieved', 'collectives', 'latency'],
    linkRows(d.intraNodeLinks, true), [false, true, true, true, true, true]);
  return [
    ...wrap('Access links (site field `wan: <name>`, or {up, down, latency}): a site\'s link to the wide-area ' +
      'network. Latency is one-way to the nearest exchange.'),
    '',
    ...access,
    '',
    ...wrap('Scale-out fabrics (site field `fabric: <name>`): one NIC port, per direction. "achieved" is the share of ' +
      'the line rate collectives reach (NCCL busBw / line rate); "collectives" = line rate x achieved. A node\'s ' +
      'NIC defaults to its site kind\'s ports on this fabric (dtsim catalog --sites); node field `nic: "25 Gbit/s"` ' +
      'sets it directly.'),
    '',
    ...fabrics,
    '',
    ...wrap('Intra-node links (node or GPU field `intraNode: <name>`, or {bandwidth, latency}): GPU to GPU inside a ' +
      'node, per GPU and direction.'),
    '',
    ...intra,
    '',
    'Sources: src/data/defaults.yaml (keys in src/data/sources.md); --json includes them.',
  ].join('\n');
}

// ---------- sites ----------

const nicText = (s: SiteDefaults) =>
  s.fabric === null || s.nicsPerNode === null ? '-' : `${s.nicsPerNode} x ${formatBitRate(s.fabric.bandwidthBytesPerS)}`;

/** `dtsim catalog --sites --json`: each site kind with its defaults. */
export function sitesJson(cat: Catalog) {
  return SITE_KINDS.map((k) => {
    const s = cat.defaults.sites[k];
    return {
      kind: k,
      fabric: s.fabric?.id ?? null,
      nicsPerNode: s.nicsPerNode,
      nicGbitPerS: s.fabric === null ? null : gbit(s.fabric.bandwidthBytesPerS),
      oversubscription: s.oversubscription,
      wanAccess: s.access.id,
      wanUpGbitPerS: gbit(s.access.upBytesPerS),
      wanDownGbitPerS: gbit(s.access.downBytesPerS),
      wanLatencyMs: ms(s.access.latencyS),
      pue: s.pue,
      electricityUsdPerKWh: sig(s.electricityUsdPerJ / USD_PER_KWH, 6),
      costModel: s.costModel,
      serverOverhead: s.serverOverhead,
      colocationUsdPerKWMonth: s.colocationUsdPerWS === null ? null : sig(s.colocationUsdPerWS / USD_PER_KW_MONTH, 6),
      wallPerTdp: s.wallPerTdp,
      depreciationYears: sig(s.depreciationS / YEAR_S, 6),
      mtbfMultiplier: s.mtbfMultiplier,
      repairHours: sig(s.repairS / 3600, 6),
      sources: s.sources,
    };
  });
}

/** `dtsim catalog --sites`: one column per site kind, one row per default. */
export function formatSites(cat: Catalog): string {
  const sites = SITE_KINDS.map((k) => cat.defaults.sites[k]);
  const row = (label: string, field: string, f: (s: SiteDefaults) => string) => [label, ...sites.map(f), field];
  const rows = [
    row('fabric', 'fabric', (s) => s.fabric?.id ?? 'none (one machine)'),
    row('NIC ports per node', 'node nic', nicText),
    row('oversubscription', 'oversubscription', (s) => (s.oversubscription === null ? '-' : `${sig(s.oversubscription)}:1`)),
    row('WAN access link', 'wan', (s) => s.access.id),
    row('  up / down', '', (s) => `${formatBitRate(s.access.upBytesPerS)} / ${formatBitRate(s.access.downBytesPerS)}`),
    row('  latency (one-way)', '', (s) => formatLatency(s.access.latencyS)),
    row('PUE', 'pue', (s) => String(s.pue)),
    row('electricity', 'electricity', (s) => `${sig(s.electricityUsdPerJ / USD_PER_KWH, 6)} USD/kWh`),
    row('cost model', 'cost', (s) => s.costModel),
    row('colocation (owned)', 'hosting', (s) => (s.colocationUsdPerWS === null ? '-' : `${sig(s.colocationUsdPerWS / USD_PER_KW_MONTH, 6)} USD/kW/month`)),
    row('server cost / GPU price', 'node price', (s) => `${s.serverOverhead}`),
    row('depreciation (owned)', 'depreciation', (s) => formatSpan(s.depreciationS)),
    row('wall power / GPU TDP', '-', (s) => String(s.wallPerTdp)),
    row('MTBF multiplier', 'node mtbf', (s) => `${s.mtbfMultiplier} x GPU MTBF`),
    row('repair time', 'faults.repair', (s) => formatSpan(s.repairS)),
  ];
  return [
    ...wrap('Site kinds (site field `kind: <name>`) and the defaults each brings. The last column names the scenario ' +
      'field that overrides a default (per site unless it says node or faults). Cost model rental: the GPU\'s hourly ' +
      'rental price covers power, hosting and hardware; owned: depreciation of the GPU price x server cost, colocation ' +
      'per kW of wall power, and electricity are paid apart.'),
    '',
    ...table(['default', ...SITE_KINDS, 'override with'], rows),
    '',
    'Access links and fabrics: dtsim catalog --links. Sources: src/data/defaults.yaml (keys in src/data/sources.md).',
  ].join('\n');
}

// ---------- regions ----------

interface Pair { readonly a: string; readonly b: string; readonly rttS: number; readonly bytesPerS: number }

function pairsOf(cat: Catalog): Pair[] {
  const r = cat.regions;
  const out: Pair[] = [];
  r.regions.forEach((a, i) => r.regions.slice(i + 1).forEach((b) => out.push({ a, b, rttS: r.rttS(a, b), bytesPerS: r.bandwidthBytesPerS(a, b) })));
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const stats = (xs: number[]) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });

/** `dtsim catalog --regions --json`: regions, the measured pairs and their summary. */
export function regionsJson(cat: Catalog) {
  const r = cat.regions;
  const pairs = pairsOf(cat);
  const rtt = stats(pairs.map((p) => ms(p.rttS)));
  const bw = stats(pairs.map((p) => gbit(p.bytesPerS)));
  return {
    regions: r.regions.map((id) => ({ id, aws: r.awsCodes[id] })),
    withinRegion: { rttMs: ms(r.withinRegion.rttS), gbitPerS: gbit(r.withinRegion.bandwidthBytesPerS) },
    pairs: pairs.map((p) => ({ a: p.a, b: p.b, rttMs: ms(p.rttS), gbitPerS: gbit(p.bytesPerS) })),
    summary: { pairs: pairs.length, rttMs: rtt, gbitPerS: { ...bw, median: sig(bw.median, 6) } },
    rttTiersMs: Object.fromEntries(Object.entries(r.rttTiersS).map(([k, v]) => [k, ms(v)])),
    sources: r.sources,
  };
}

/** `dtsim catalog --regions`: region list with per-region ranges, the summary and the pair matrix. */
export function formatRegions(cat: Catalog): string {
  const r = cat.regions;
  const pairs = pairsOf(cat);
  const others = (id: string) => pairs.filter((p) => p.a === id || p.b === id);
  const range = (xs: number[], f: (x: number) => number) => `${sig(f(Math.min(...xs)))}-${sig(f(Math.max(...xs)))}`;
  const list = table(['region', 'AWS code', 'nearest', 'RTT to others, ms', 'Gbit/s to others'],
    r.regions.map((id) => {
      const ps = others(id);
      const near = ps.reduce((x, y) => (y.rttS < x.rttS ? y : x));
      return [id, r.awsCodes[id], `${near.a === id ? near.b : near.a} (${formatLatency(near.rttS)})`,
        range(ps.map((p) => p.rttS), (s) => s * 1e3), range(ps.map((p) => p.bytesPerS), (b) => (b * 8) / 1e9)];
    }), [false, false, false, true, true]);
  const rtt = stats(pairs.map((p) => p.rttS * 1e3));
  const bw = stats(pairs.map((p) => (p.bytesPerS * 8) / 1e9));
  // Matrix: RTT (ms) above the diagonal, Gbit/s below it.
  const ids = r.regions;
  const cell = (i: number, j: number) =>
    i === j ? '-' : i < j ? String(sig(r.rttS(ids[i], ids[j]) * 1e3)) : String(sig((r.bandwidthBytesPerS(ids[i], ids[j]) * 8) / 1e9, 3));
  const matrix = table(['', ...ids], ids.map((a, i) => [a, ...ids.map((_, j) => cell(i, j))]), [false, ...ids.map(() => true)]);
  const tiers = Object.entries(r.rttTiersS).map(([k, v]) => `${k} ${sig(v * 1e3)}`).join(', ');
  return [
    ...wrap('WAN regions (site field `region: <name>`, or its AWS code). Between sites in two named regions the ' +
      'simulator adds the measured link of that region pair (scenario `system.wan.matrix`, on by default): the AWS ' +
      'inter-region round-trip times and per-pair bandwidths measured by Yuan et al., NeurIPS 2022 (DTFM [V]).'),
    '',
    ...list,
    '',
    ...wrap(`${pairs.length} pairs: RTT ${sig(rtt.min)}-${sig(rtt.max)} ms (median ${sig(rtt.median)}), ` +
      `${sig(bw.min, 3)}-${sig(bw.max, 3)} Gbit/s (median ${sig(bw.median, 3)}). Within one region: RTT ` +
      `${formatLatency(r.withinRegion.rttS)}, ${formatBitRate(r.withinRegion.bandwidthBytesPerS)}.`),
    '',
    'Pair matrix: RTT in ms above the diagonal, Gbit/s below it.',
    '',
    ...matrix,
    '',
    ...wrap(`RTT tiers for places the matrix does not cover (ms, MIRI [S]; e.g. for system.wan.backboneLatency = RTT/2): ${tiers}.`),
    '',
    'Sources: src/data/wan-regions.yaml (keys in src/data/sources.md).',
  ].join('\n');
}

