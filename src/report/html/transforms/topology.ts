/**
 * Sites and links → a schematic map. Each region is a hub placed by its coordinates
 * (equirectangular, pushed apart where regions are close); its sites sit on a ring around it,
 * each joined to it by its WAN access link; hubs are joined by the measured region-pair paths.
 * Sites without a region hang off an "internet" hub. Line width ∝ capacity; colour = measured
 * utilization when links.csv was saved. The bottleneck (or, without measurements, the
 * narrowest link) is highlighted. Pure.
 */
import { columnIndex } from '../csv';
import { fmtBitRate, fmtBytes, fmtCount, fmtNumber, fmtPct } from '../format';
import type { CsvTable, SummaryJson, SystemAssumptions, TopologySpec } from '../types';

/** Approximate coordinates [longitude, latitude] of the WAN regions (the AWS regions' metro areas). */
export const REGION_COORDS: Readonly<Record<string, readonly [number, number]>> = {
  oregon: [-119.7, 45.8], virginia: [-77.5, 39.0], ohio: [-83.0, 40.0], tokyo: [139.7, 35.7], seoul: [127.0, 37.6],
  singapore: [103.8, 1.35], sydney: [151.2, -33.9], london: [-0.1, 51.5], frankfurt: [8.7, 50.1], ireland: [-6.3, 53.3],
  'us-west-2': [-119.7, 45.8], 'us-east-1': [-77.5, 39.0], 'us-east-2': [-83.0, 40.0], 'ap-northeast-1': [139.7, 35.7],
  'ap-northeast-2': [127.0, 37.6], 'ap-southeast-1': [103.8, 1.35], 'ap-southeast-2': [151.2, -33.9], 'eu-west-2': [-0.1, 51.5],
  'eu-central-1': [8.7, 50.1], 'eu-west-1': [-6.3, 53.3],
};

/** The hub of sites without a known region. */
export const INTERNET = 'internet';

export interface TopologyInput {
  readonly summary: SummaryJson;
  /** The run's assumptions (regions, access links, WAN matrix), when saved. */
  readonly system: SystemAssumptions | null;
  readonly links: CsvTable | null;
}

/**
 * Positions in the unit square for [lon, lat] points: longitudes shifted by 360° when that
 * narrows the span (Pacific-crossing networks), then fitted with a margin, latitude stretched
 * to use the frame's height.
 */
export function project(points: readonly (readonly [number, number])[]): [number, number][] {
  if (points.length === 0) return [];
  const span = (ls: number[]) => Math.max(...ls) - Math.min(...ls);
  let lons = points.map((p) => p[0]);
  const shifted = lons.map((l) => (l < 0 ? l + 360 : l));
  if (span(shifted) < span(lons)) lons = shifted;
  const lats = points.map((p) => p[1]);
  const w = Math.max(span(lons), 20), h = Math.max(span(lats), 10);
  const cx = (Math.max(...lons) + Math.min(...lons)) / 2, cy = (Math.max(...lats) + Math.min(...lats)) / 2;
  return lons.map((l, i) => [0.5 + ((l - cx) / w) * 0.72, 0.5 - ((lats[i] - cy) / h) * 0.6]);
}

/** Pushes points apart until no two are closer than `min` (deterministic; a few passes). */
export function separate(points: [number, number][], min: number, passes = 60): [number, number][] {
  const p = points.map(([x, y]) => [x, y] as [number, number]);
  for (let k = 0; k < passes; k++) {
    let moved = false;
    for (let i = 0; i < p.length; i++) for (let j = i + 1; j < p.length; j++) {
      let dx = p[j][0] - p[i][0], dy = p[j][1] - p[i][1];
      let d = Math.hypot(dx, dy);
      if (d >= min) continue;
      if (d < 1e-9) {
        dx = 1;
        dy = 0;
        d = 1;
      }
      const push = (min - Math.hypot(p[j][0] - p[i][0], p[j][1] - p[i][1])) / 2;
      p[i][0] -= (dx / d) * push;
      p[i][1] -= (dy / d) * push;
      p[j][0] += (dx / d) * push;
      p[j][1] += (dy / d) * push;
      moved = true;
    }
    if (!moved) break;
  }
  return p;
}

const clamp = (v: number) => Math.min(0.95, Math.max(0.05, v));

/** Hubs and site positions in the unit square (0,0 top left). */
export function layoutSites(sites: readonly { name: string; region: string | null }[]): {
  pos: Map<string, [number, number]>; hubs: { id: string; label: string; x: number; y: number }[]; hubOf: Map<string, string>;
} {
  const hubOf = new Map<string, string>();
  for (const s of sites) hubOf.set(s.name, s.region !== null && REGION_COORDS[s.region] ? s.region : INTERNET);
  const ids = [...new Set(sites.map((s) => hubOf.get(s.name)!))];
  const regions = ids.filter((id) => id !== INTERNET);
  const placed = project(regions.map((r) => REGION_COORDS[r]));
  const xy = new Map<string, [number, number]>();
  regions.forEach((r, i) => xy.set(r, placed[i]));
  if (ids.includes(INTERNET)) xy.set(INTERNET, regions.length ? [0.5, 0.85] : [0.5, 0.5]);
  const apart = separate(ids.map((id) => xy.get(id)!), ids.length > 6 ? 0.16 : 0.28);
  const hubs = ids.map((id, i) => ({ id, label: id === INTERNET ? 'internet (no region)' : id, x: clamp(apart[i][0]), y: clamp(apart[i][1]) }));
  const pos = new Map<string, [number, number]>();
  for (const h of hubs) {
    const members = sites.filter((s) => hubOf.get(s.name) === h.id);
    const rx = Math.min(0.11, 0.055 + 0.01 * members.length), ry = rx * 1.6;
    // From the top, or for three or more sites turned half a step, keeping the hub's right side (its label) free.
    const start = -Math.PI / 2 + (members.length >= 3 ? Math.PI / members.length : 0);
    members.forEach((s, i) => {
      const a = start + (2 * Math.PI * i) / members.length;
      pos.set(s.name, [h.x + rx * Math.cos(a), h.y + ry * Math.sin(a)]);
    });
  }
  // Sites of neighbouring hubs may meet: push them apart (in a frame about as wide as the drawing, y × 0.6).
  const names = [...pos.keys()];
  const apartSites = separate(names.map((n) => [pos.get(n)![0], pos.get(n)![1] * 0.6] as [number, number]), names.length > 30 ? 0.03 : 0.06);
  names.forEach((n, i) => pos.set(n, [clamp(apartSites[i][0]), clamp(apartSites[i][1] / 0.6)]));
  return { pos, hubs, hubOf };
}

// ---------- links.csv ----------

export interface LinkRow {
  readonly run: string;
  readonly id: string;
  readonly cls: string;
  /** The site the link belongs to ('' for a region-pair path). */
  readonly site: string;
  readonly from: string;
  readonly to: string;
  /** Infinity for an unlimited link ("inf" in the file). */
  readonly capacity: number;
  readonly bytes: number;
  /** Share of the run with at least one flow on the link (null when not measured). */
  readonly busy: number | null;
  /** Share of the run the link limited a flow (null when not measured). */
  readonly saturated: number | null;
  /** Mean utilization over the run: bytes ÷ (capacity × time), the `utilization` column. */
  readonly utilization: number | null;
  /** Share of all flow-time for which this link set a flow's rate (was its bottleneck): `limiting_share`. */
  readonly limiting: number | null;
}

/**
 * links.csv rows. Columns by name: run, link, class, site, capacity_bytes_per_s ("inf" for
 * unlimited), bytes, utilization, limiting_share, and busy_fraction / saturated_fraction when
 * present; from / to when given,
 * otherwise read from a region-pair link's name "a->b". A share column that is zero on every
 * row although bytes moved was not measured, and reads as absent.
 */
export function parseLinks(t: CsvTable): LinkRow[] {
  const at = (...n: string[]) => columnIndex(t, ...n);
  const c = {
    run: at('run'), id: at('link', 'link_id', 'id', 'name'), cls: at('class', 'link_class'), site: at('site'), from: at('from'), to: at('to'),
    cap: at('capacity_bytes_per_s', 'capacity'), bytes: at('bytes'), busy: at('busy_fraction'), sat: at('saturated_fraction'), util: at('utilization'), lim: at('limiting_share'),
  };
  const s = (r: readonly string[], i: number) => (i >= 0 ? r[i] ?? '' : '');
  const n = (r: readonly string[], i: number) => {
    const x = s(r, i).trim().toLowerCase();
    if (x === 'inf' || x === 'infinity') return Infinity;
    const v = Number(x);
    return Number.isFinite(v) ? v : 0;
  };
  const moved = t.rows.some((r) => n(r, c.bytes) > 0);
  const measured = (i: number) => i >= 0 && !(moved && t.rows.every((r) => n(r, i) === 0));
  const [busyOk, satOk, utilOk, limOk] = [measured(c.busy), measured(c.sat), measured(c.util), measured(c.lim)];
  return t.rows.map((r, k) => {
    const id = s(r, c.id) || `link-${k}`;
    const arrow = /^(.+?)->(.+)$/.exec(id);
    return {
      run: s(r, c.run), id, cls: s(r, c.cls), site: s(r, c.site),
      from: s(r, c.from) || (arrow ? arrow[1] : ''), to: s(r, c.to) || (arrow ? arrow[2] : ''),
      capacity: n(r, c.cap), bytes: n(r, c.bytes),
      busy: busyOk ? n(r, c.busy) : null, saturated: satOk ? n(r, c.sat) : null, utilization: utilOk ? n(r, c.util) : null,
      limiting: limOk ? n(r, c.lim) : null,
    };
  });
}

export interface LinkMeasure {
  readonly key: 'limiting' | 'saturated' | 'busy' | 'utilization';
  /** What the measure means, for captions. */
  readonly label: string;
  readonly of: (l: LinkRow) => number;
}

const MEASURES: readonly LinkMeasure[] = [
  { key: 'limiting', label: 'share of all flow-time it set a flow’s rate (was its bottleneck)', of: (l) => l.limiting ?? 0 },
  { key: 'saturated', label: 'share of the run it limited a flow (saturated)', of: (l) => l.saturated ?? 0 },
  { key: 'busy', label: 'share of the run it carried traffic (busy)', of: (l) => l.busy ?? 0 },
  { key: 'utilization', label: 'mean utilization (bytes ÷ capacity × time)', of: (l) => l.utilization ?? 0 },
];

/**
 * Which measure ranks links for the bottleneck: the share of flow-time a link set a flow's rate
 * (a bottleneck by definition), else the saturated share, else the busy share, else the mean
 * utilization — the first any link has. null when no link has any.
 */
export function bottleneckMeasure(rows: readonly LinkRow[]): LinkMeasure | null {
  return MEASURES.find((m) => rows.some((r) => m.of(r) > 0)) ?? null;
}

/** The colour-scale value of a link: mean utilization when measured, else its busy share. */
export const linkHeat = (l: LinkRow): number => l.utilization ?? l.busy ?? 0;

/** What a link carried, in words. */
export function linkWords(l: LinkRow): string {
  const parts = [Number.isFinite(l.capacity) ? fmtBitRate(l.capacity) : 'unlimited'];
  if (l.utilization !== null) parts.push(`mean utilization ${fmtPct(l.utilization)}`);
  if (l.busy !== null) parts.push(`busy ${fmtPct(l.busy)} of the run`);
  if (l.saturated !== null) parts.push(`limiting flows ${fmtPct(l.saturated)} of the run`);
  if (l.limiting !== null) parts.push(`the bottleneck of ${fmtPct(l.limiting)} of all flow-time`);
  parts.push(`${fmtBytes(l.bytes)} carried`);
  return parts.join(', ');
}

/** The rows of links.csv that belong to run `label` (all rows when the file has no run column). */
export function linksOfRun(rows: readonly LinkRow[], label: string): LinkRow[] {
  return rows.some((r) => r.run !== '') ? rows.filter((r) => r.run === label) : rows.slice();
}

// ---------- the map ----------

type MapLink = TopologySpec['links'][number];

interface SiteInfo { readonly name: string; readonly kind: string; readonly gpus: number; readonly region: string | null }

export function topologyChart(inp: TopologyInput): TopologySpec {
  const byName = new Map((inp.system?.sites ?? []).map((s) => [s.name, s]));
  const sites: SiteInfo[] = inp.summary.run.perSite.map((p) => ({ name: p.site, kind: p.kind, gpus: p.gpus, region: byName.get(p.site)?.region ?? null }));
  const { pos, hubs, hubOf } = layoutSites(sites);
  const notes: string[] = [];
  const links: MapLink[] = [];
  const ring = new Map<string, { heat: number; words: string }>();
  let bottleneckSite: string | null = null;
  let tableRows: (string | number)[][] = [];
  let columns: string[];
  const hubName = (h: string) => (h === INTERNET ? 'the internet' : h);
  const hasUtilization = inp.links !== null;

  if (inp.links) {
    const runLabel = inp.summary.run.label;
    const rows = linksOfRun(parseLinks(inp.links), runLabel);
    const measure = bottleneckMeasure(rows);
    const worst = measure ? rows.reduce((b, r) => (measure.of(r) > measure.of(b) ? r : b)) : null;
    // Access spokes: a site's wan-access links (up and down) as one line; its busier direction colours it.
    for (const s of sites) {
      const acc = rows.filter((r) => r.site === s.name && r.cls === 'wan-access');
      if (acc.length === 0) continue;
      const busier = acc.reduce((b, r) => (linkHeat(r) > linkHeat(b) ? r : b));
      const isB = worst !== null && acc.includes(worst);
      links.push({
        id: `${s.name}/wan-access`, from: s.name, to: `hub:${hubOf.get(s.name)}`, cls: 'wan-access', capacityBytesPerS: Math.min(...acc.map((r) => r.capacity)),
        utilization: linkHeat(busier), bottleneck: isB,
        detail: `${s.name} ↔ ${hubName(hubOf.get(s.name)!)}, WAN access, busier direction ${busier.id}: ${linkWords(busier)}${isB ? ' — the bottleneck' : ''}`,
      });
      const fabric = rows.filter((r) => r.site === s.name && r.cls === 'fabric');
      if (fabric.length) {
        const f = fabric.reduce((b, r) => (linkHeat(r) > linkHeat(b) ? r : b));
        ring.set(s.name, { heat: linkHeat(f), words: `; site fabric ${linkWords(f)}` });
      }
    }
    // Region-pair paths, both directions as one line.
    const pairs = new Map<string, LinkRow[]>();
    for (const r of rows) {
      if (r.cls !== 'wan-path' && r.site !== '') continue;
      const a = hubs.find((h) => h.id === r.from), b = hubs.find((h) => h.id === r.to);
      if (!a || !b || a === b) continue;
      const key = [a.id, b.id].sort().join('|');
      pairs.set(key, [...(pairs.get(key) ?? []), r]);
    }
    for (const [key, rs] of pairs) {
      const busier = rs.reduce((b, r) => (linkHeat(r) > linkHeat(b) ? r : b));
      const [a, b] = key.split('|');
      const isB = worst !== null && rs.includes(worst);
      links.push({
        id: key, from: `hub:${a}`, to: `hub:${b}`, cls: 'wan-path', capacityBytesPerS: Math.min(...rs.map((r) => r.capacity)), utilization: linkHeat(busier), bottleneck: isB,
        detail: `${a} ↔ ${b}, measured region-pair path, busier direction ${busier.id}: ${linkWords(busier)}${isB ? ' — the bottleneck' : ''}`,
      });
    }
    if (worst && measure) {
      if (worst.cls !== 'wan-access' && worst.cls !== 'wan-path' && sites.some((s) => s.name === worst.site)) bottleneckSite = worst.site;
      notes.push(`Bottleneck, by ${measure.label}: ${worst.id} (${worst.cls || 'link'}): ${linkWords(worst)}.${bottleneckSite ? ' It is inside the site outlined in vermillion.' : ' It is outlined.'}`);
    } else notes.push('No link of this run carried traffic in links.csv.');
    const shown = new Set(['wan-access', 'wan-path', 'fabric']);
    const hidden = rows.filter((r) => !shown.has(r.cls)).length;
    if (hidden > 0) notes.push(`${fmtCount(hidden)} links inside nodes and servers (NICs, GPU-to-GPU) are not drawn; they are in the CSV.`);
    columns = ['link', 'class', 'site', 'capacity (Gbit/s)', 'mean utilization (%)', 'bottleneck of flow-time (%)', 'bytes'];
    tableRows = rows.map((r) => [r.id, r.cls, r.site, Number.isFinite(r.capacity) ? round(r.capacity * 8 / 1e9) : 'unlimited', pct(r.utilization), pct(r.limiting ?? r.saturated), round(r.bytes)]);
  } else if (inp.system) {
    const sys = inp.system;
    for (const s of sites) {
      const a = byName.get(s.name);
      if (!a) continue;
      const cap = Math.min(a.access.value.upBytesPerS, a.access.value.downBytesPerS);
      links.push({
        id: `${s.name}/wan-access`, from: s.name, to: `hub:${hubOf.get(s.name)}`, cls: 'wan-access', capacityBytesPerS: cap, utilization: null, bottleneck: false,
        detail: `${s.name} ↔ ${hubName(hubOf.get(s.name)!)}, WAN access: ${fmtBitRate(a.access.value.upBytesPerS)} up, ${fmtBitRate(a.access.value.downBytesPerS)} down, ${fmtNumber(a.access.value.latencyS * 1000)} ms`,
      });
    }
    if (sys.wan.matrix) {
      for (const p of sys.wan.pairs) {
        if (!hubs.some((h) => h.id === p.a) || !hubs.some((h) => h.id === p.b)) continue;
        links.push({
          id: `${p.a}|${p.b}`, from: `hub:${p.a}`, to: `hub:${p.b}`, cls: 'wan-path', capacityBytesPerS: p.bytesPerS, utilization: null, bottleneck: false,
          detail: `${p.a} ↔ ${p.b}, measured region pair: ${fmtBitRate(p.bytesPerS)}, RTT ${fmtNumber(p.rttS * 1000)} ms`,
        });
      }
    }
    const narrow = links.reduce<MapLink | null>((b, l) => (b === null || l.capacityBytesPerS < b.capacityBytesPerS ? l : b), null);
    if (narrow) {
      const i = links.indexOf(narrow);
      links[i] = { ...narrow, bottleneck: true, detail: `${narrow.detail} — the narrowest link` };
    }
    notes.push('No link measurements were saved with these results (links.csv): links are drawn by capacity, and the narrowest is highlighted instead of the most loaded.');
    columns = ['link', 'class', 'from', 'to', 'capacity (Gbit/s)'];
    tableRows = links.map((l) => [l.id, l.cls, l.from.replace(/^hub:/, ''), l.to.replace(/^hub:/, ''), round(l.capacityBytesPerS * 8 / 1e9)]);
  } else {
    notes.push('Neither link measurements (links.csv) nor the scenario’s assumptions (scenario.json) were saved with these results: sites only.');
    columns = ['site', 'kind', 'GPUs'];
    tableRows = sites.map((s) => [s.name, s.kind, s.gpus]);
  }
  if (!inp.system) notes.push('Site regions are unknown without scenario.json: every site hangs off one “internet” hub.');

  const nodes = sites.map((s) => {
    const [x, y] = pos.get(s.name) ?? [0.5, 0.5];
    const r = ring.get(s.name);
    return {
      id: s.name, label: s.name, kind: s.kind, gpus: s.gpus, x, y, utilization: r?.heat ?? null, bottleneck: s.name === bottleneckSite,
      detail: `${s.name} (${s.kind}${s.region ? `, ${s.region}` : ''}): ${fmtCount(s.gpus)} GPUs${r?.words ?? ''}${s.name === bottleneckSite ? ' — the bottleneck is inside this site' : ''}`,
    };
  });
  return {
    kind: 'topology', id: 'topology', title: `Topology of ${inp.summary.run.label}`,
    caption: `Schematic map: each region is a hub (placed roughly by geography), its sites around it (circle area ∝ GPUs), joined by their WAN access links; hubs are joined by the measured region-pair paths. Line width ∝ capacity${hasUtilization ? '; colour = measured utilization (a site’s ring: its fabric)' : ''}. The ${hasUtilization ? 'bottleneck' : 'narrowest link'} is outlined.`,
    nodes, links, hubs, hasUtilization, notes,
    table: { columns, rows: tableRows, csvName: hasUtilization ? 'links-of-run.csv' : 'link-capacities.csv' },
  };
}

function pct(v: number | null): number | string {
  return v === null ? '' : round(v * 100);
}

function round(v: number): number {
  return Number(v.toPrecision(6));
}
