/**
 * A system's `timeline` → dated changes on site indices, with field paths for every problem.
 * Nodes an `add` brings are created now as node groups that join at their date, so the platform
 * and the network are built once with every link they will ever have.
 */
import type { DatedEvent, Change } from '../timeline/spec';
import type { NodeGroupSpec, SiteSpec } from './types';
import type { RawSystem } from './schema';

type RawEvent = RawSystem['timeline'][number];
const KINDS = ['link', 'outage', 'add', 'remove', 'withhold', 'price'] as const;

export interface TimelineInput {
  readonly events: readonly RawEvent[];
  /** Resolved sites; `add` replaces a site's node list with one that has the new groups. */
  readonly sites: SiteSpec[];
  /** The scenario name of each resolved site (replicas share their base name). */
  readonly baseNames: readonly string[];
  readonly horizonS: number;
  readonly gpuIds: ReadonlySet<string>;
  /** Regions whose pairs have measured links (matrix on and used by a site). */
  readonly pairRegions: ReadonlySet<string>;
  /** Builds the node group an `add` brings, with the site's defaults; null after reporting an issue. */
  readonly nodeGroup: (site: number, raw: { gpu: string; count: number; gpusPerNode: number }, path: string) => NodeGroupSpec | null;
}

/** Above this many added nodes a timeline is surely a mistake (a recurring add without `until`). */
const MAX_ADDED_NODES = 100_000;

export function resolveTimeline(inp: TimelineInput, issue: (path: string, message: string) => void, at: string): DatedEvent[] {
  const out: DatedEvent[] = [];
  let added = 0;
  const siteSel = (name: string, path: string): number[] | null => {
    const exact = inp.sites.flatMap((s, i) => (s.name === name ? [i] : []));
    const family = inp.baseNames.flatMap((b, i) => (b === name ? [i] : []));
    const found = exact.length > 0 ? exact : family;
    if (found.length === 0) {
      issue(path, `unknown site '${name}'; expected one of: ${[...new Set([...inp.sites.map((s) => s.name), ...inp.baseNames])].join(', ')}`);
      return null;
    }
    return found;
  };
  const gpuKnown = (id: string, path: string): boolean => {
    if (inp.gpuIds.has(id)) return true;
    issue(path, `unknown GPU '${id}'; expected one of: ${[...inp.gpuIds].join(', ')}`);
    return false;
  };
  inp.events.forEach((e, i) => {
    const p = `${at}.timeline[${i}]`;
    const given = KINDS.filter((k) => e[k] !== undefined);
    if (given.length !== 1) {
      issue(p, `expected exactly one of ${KINDS.join(', ')}, got ${given.length === 0 ? 'none' : given.join(' and ')}`);
      return;
    }
    if (e.until !== undefined && e.every === undefined) issue(`${p}.until`, 'expected `every` with `until`');
    if (e.until !== undefined && e.until < e.at) issue(`${p}.until`, `expected a time at or after at (${e.at} s)`);
    const everyS = e.every ?? null;
    const untilS = e.until ?? inp.horizonS;
    let change: Change | null = null;
    let label = '';
    if (e.link) {
      const l = e.link;
      const sites = l.site !== undefined ? siteSel(l.site, `${p}.link.site`) : null;
      if (l.site !== undefined && sites === null) return;
      if (l.between) {
        for (const [j, r] of l.between.entries()) {
          if (!inp.pairRegions.has(r)) {
            issue(`${p}.link.between[${j}]`, `expected a region of a site with wan.matrix on (${[...inp.pairRegions].join(', ') || 'none'}), got '${r}'`);
            return;
          }
        }
        if (l.site !== undefined || l.class !== undefined) issue(`${p}.link`, 'expected between alone, without site or class');
      }
      if (l.bandwidth !== undefined && l.factor !== undefined) issue(`${p}.link`, 'expected bandwidth or factor, not both');
      if (l.bandwidth === undefined && l.factor === undefined && l.latency === undefined) issue(`${p}.link`, 'expected bandwidth, factor or latency');
      if (l.latency !== undefined && l.site === undefined && l.between === undefined) issue(`${p}.link.latency`, 'expected a site or a region pair (between) to change the latency of');
      if (l.site === undefined && l.between === undefined && l.class === undefined) issue(`${p}.link`, 'expected site, between or class');
      change = {
        kind: 'link', sites, pair: l.between ?? null, cls: l.class ?? null,
        bandwidthBytesPerS: l.bandwidth ?? null, factor: l.factor ?? null, latencyS: l.latency ?? null,
      };
      label = `link ${l.between ? l.between.join('–') : l.site ?? l.class}${l.class && l.site ? ` ${l.class}` : ''}` +
        `${l.bandwidth !== undefined ? ` to ${(l.bandwidth * 8 / 1e6).toPrecision(3)} Mbit/s` : ''}${l.factor !== undefined ? ` × ${l.factor}` : ''}` +
        `${l.latency !== undefined ? `, latency ${(l.latency * 1e3).toPrecision(3)} ms` : ''}`;
    } else if (e.outage) {
      const sites = siteSel(e.outage.site, `${p}.outage.site`);
      if (sites === null) return;
      change = { kind: 'outage', sites, durationS: e.outage.duration };
      label = `outage of ${e.outage.site} for ${(e.outage.duration / 3600).toPrecision(3)} h`;
    } else if (e.add) {
      const a = e.add;
      const sites = siteSel(a.site, `${p}.add.site`);
      if (sites === null || !gpuKnown(a.gpu, `${p}.add.gpu`)) return;
      // One node group per occurrence and site, joining at its date.
      for (let k = 0; ; k++) {
        const t = e.at + (everyS ?? 0) * k;
        if (t > inp.horizonS || (k > 0 && (everyS === null || t > untilS))) break;
        added += a.count * sites.length;
        if (added > MAX_ADDED_NODES) {
          issue(`${p}.add`, `expected at most ${MAX_ADDED_NODES} added nodes in all; set until, a longer every or a smaller count`);
          return;
        }
        for (const s of sites) {
          const g = inp.nodeGroup(s, a, `${p}.add`);
          if (g === null) return;
          inp.sites[s] = { ...inp.sites[s], nodes: [...inp.sites[s].nodes, { ...g, joinAtS: t }] };
        }
        if (t === 0) issue(`${p}.at`, 'expected a time after the start: nodes present from the start belong under the site\'s nodes');
      }
      change = { kind: 'add', sites, gpu: a.gpu, count: a.count };
      label = `${a.count} × ${a.gpusPerNode} ${a.gpu} added to ${a.site}`;
    } else if (e.remove) {
      const r = e.remove;
      const sites = siteSel(r.site, `${p}.remove.site`);
      if (sites === null || (r.gpu !== undefined && !gpuKnown(r.gpu, `${p}.remove.gpu`))) return;
      change = { kind: 'remove', sites, gpu: r.gpu ?? null, count: r.count };
      label = `${r.count} ${r.gpu ?? ''} node(s) removed from ${r.site}`.replace('  ', ' ');
    } else if (e.withhold) {
      if (!gpuKnown(e.withhold.gpu, `${p}.withhold.gpu`)) return;
      change = { kind: 'withhold', gpu: e.withhold.gpu, kinds: e.withhold.kinds };
      label = `${e.withhold.gpu} withheld from ${e.withhold.kinds.join(' and ')} sites`;
    } else if (e.price) {
      const pr = e.price;
      if (pr.electricity === undefined && pr.rental === undefined) issue(`${p}.price`, 'expected electricity or rental (a multiple of the base price)');
      change = { kind: 'price', electricity: pr.electricity ?? null, rental: pr.rental ?? null, kinds: pr.kinds ?? null };
      label = `prices${pr.electricity !== undefined ? ` electricity × ${pr.electricity}` : ''}${pr.rental !== undefined ? ` rental × ${pr.rental}` : ''}` +
        `${pr.kinds ? ` at ${pr.kinds.join(', ')} sites` : ''}`;
    }
    if (change !== null) out.push({ atS: e.at, everyS, untilS, change, label });
  });
  return out;
}
