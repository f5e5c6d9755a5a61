/**
 * The platform: nodes and links built from a topology (SimGrid's "platform as data").
 * Every node has an internal GPU-to-GPU link and a NIC (up and down) to its site fabric;
 * every site has a WAN access link per direction; measured region pairs get a link of
 * their own. Routes between nodes are computed on demand and cached.
 */
import type { GpuSpec } from '../compute/gpu';
import type { NodeGroupSpec, SiteKind, SiteSpec, Topology } from './spec';
import type { RegionMatrix } from '../compute/catalog';

export type LinkClass = 'intra-node' | 'nic' | 'fabric' | 'wan-access' | 'wan-path';
export const LINK_CLASSES: readonly LinkClass[] = ['intra-node', 'nic', 'fabric', 'wan-access', 'wan-path'];

export interface NodeInfo {
  readonly id: number;
  readonly name: string;
  readonly site: number;
  readonly siteKind: SiteKind;
  readonly spec: NodeGroupSpec;
  readonly gpu: GpuSpec;
  readonly gpus: number;
  /** Compute slowdown factor (1 = nominal): the group's own, times a straggler factor if drawn. */
  readonly slowdown: number;
  /** When the node joins the fleet (0: from the start; later for nodes a timeline adds). */
  readonly joinAtS: number;
  /** Link ids. */
  readonly intraLink: number;
  readonly nicUp: number;
  readonly nicDown: number;
}

export interface SiteInfo {
  readonly index: number;
  readonly spec: SiteSpec;
  readonly nodes: readonly number[];
  readonly fabricLink: number | null;
  readonly wanUp: number;
  readonly wanDown: number;
}

export interface Route {
  readonly links: Int32Array;
  /** One-way latency. */
  readonly latencyS: number;
  /** Rate cap of one TCP stream on this route (window / RTT); Infinity inside a site. */
  readonly streamCapBytesPerS: number;
  readonly crossesWan: boolean;
}

export class Platform {
  readonly nodes: NodeInfo[] = [];
  readonly sites: SiteInfo[] = [];
  readonly capacity: number[] = [];
  readonly linkClass: LinkClass[] = [];
  readonly linkName: string[] = [];
  /** Site index of each link (-1 for region-pair links, shared by every site of the pair). */
  readonly linkSite: number[] = [];
  /** One-way latency overrides set by the timeline: per site access link, per region pair. */
  private readonly siteWanLatencyS = new Map<number, number>();
  private readonly pairLatencyS = new Map<string, number>();
  private readonly routes = new Map<number, Route>();
  /** Routes inside each node (their link and latency never change). */
  private readonly intraRoutes: Route[] = [];
  /** Counts latency changes: routes measured under an older version may no longer hold. */
  routeVersion = 0;
  private readonly pairLinks = new Map<string, number>();

  /** `straggle(i)` gives node i's extra slowdown (stragglers are drawn by the caller's random stream). */
  constructor(readonly topology: Topology, private readonly regions: RegionMatrix, straggle: (node: number) => number = () => 1) {
    topology.sites.forEach((site, s) => {
      const nodes: number[] = [];
      let nicTotal = 0;
      for (const group of site.nodes) {
        for (let i = 0; i < group.count; i++) {
          const id = this.nodes.length;
          const name = `${site.name}/n${nodes.length}`;
          const perGpu = group.intraNode.bandwidthBytesPerS;
          this.nodes.push({
            id, name, site: s, siteKind: site.kind, spec: group, gpu: group.gpu, gpus: group.gpusPerNode,
            slowdown: group.slowdown * straggle(id), joinAtS: group.joinAtS ?? 0,
            intraLink: this.link(perGpu, 'intra-node', `${name}/intra`, s),
            nicUp: this.link(group.nicBytesPerS, 'nic', `${name}/nic-up`, s),
            nicDown: this.link(group.nicBytesPerS, 'nic', `${name}/nic-down`, s),
          });
          nodes.push(id);
          nicTotal += group.nicBytesPerS;
        }
      }
      const fabricLink = site.fabric.oversubscription > 1 && nodes.length > 1
        ? this.link(nicTotal / site.fabric.oversubscription, 'fabric', `${site.name}/fabric`, s) : null;
      this.sites.push({
        index: s, spec: site, nodes, fabricLink,
        wanUp: this.link(site.wan.uplinkBytesPerS, 'wan-access', `${site.name}/wan-up`, s),
        wanDown: this.link(site.wan.downlinkBytesPerS, 'wan-access', `${site.name}/wan-down`, s),
      });
    });
    // Measured region pairs get one directed link each, shared by all sites of the pair
    // (the inter-region path); all links exist before the network is built.
    if (topology.wan.matrix) {
      const used = [...new Set(topology.sites.map((s) => s.region).filter((r): r is string => r !== null))];
      for (const ra of used) for (const rb of used) this.pairLink(ra, rb);
    }
  }

  get gpuCount(): number {
    return this.nodes.reduce((n, node) => n + node.gpus, 0);
  }

  /** `nodes` split by site, in first-seen order (the groups of hierarchical collectives). */
  bySite(nodes: readonly number[]): number[][] {
    const m = new Map<number, number[]>();
    for (const n of nodes) {
      const s = this.nodes[n].site;
      if (!m.has(s)) m.set(s, []);
      m.get(s)!.push(n);
    }
    return [...m.values()];
  }

  /** The route from node a to node b (a ≠ b). */
  route(a: number, b: number): Route {
    const key = a * this.nodes.length + b;
    let r = this.routes.get(key);
    if (!r) {
      r = this.buildRoute(this.nodes[a], this.nodes[b]);
      this.routes.set(key, r);
    }
    return r;
  }

  /** The link of the measured path from region a to region b, if the platform has one. */
  pairLinkId(ra: string, rb: string): number | null {
    return this.pairLinks.get(`${ra}->${rb}`) ?? null;
  }

  /** From now on, site `s`'s access links add `latencyS` one way (routes are rebuilt; flows in flight keep theirs). */
  setSiteWanLatency(s: number, latencyS: number): void {
    this.siteWanLatencyS.set(s, latencyS);
    this.routes.clear();
    this.routeVersion++;
  }

  /** From now on, the path between regions a and b has this one-way latency (both directions). */
  setPairLatency(ra: string, rb: string, latencyS: number): void {
    this.pairLatencyS.set(`${ra}->${rb}`, latencyS);
    this.pairLatencyS.set(`${rb}->${ra}`, latencyS);
    this.routes.clear();
    this.routeVersion++;
  }

  /** Route of a collective phase inside one node (its GPU-to-GPU link). */
  intraRoute(node: number): Route {
    let r = this.intraRoutes[node];
    if (r === undefined) {
      const n = this.nodes[node];
      r = this.intraRoutes[node] = { links: Int32Array.of(n.intraLink), latencyS: n.spec.intraNode.latencyS, streamCapBytesPerS: Infinity, crossesWan: false };
    }
    return r;
  }

  private buildRoute(a: NodeInfo, b: NodeInfo): Route {
    if (a.id === b.id) return this.intraRoute(a.id);
    const sa = this.sites[a.site], sb = this.sites[b.site];
    if (a.site === b.site) {
      const links = sa.fabricLink === null ? [a.nicUp, b.nicDown] : [a.nicUp, sa.fabricLink, b.nicDown];
      return { links: Int32Array.from(links), latencyS: sa.spec.fabric.latencyS, streamCapBytesPerS: Infinity, crossesWan: false };
    }
    const links = [a.nicUp, sa.wanUp];
    const ra = sa.spec.region, rb = sb.spec.region;
    const wan = this.topology.wan;
    let latencyS: number;
    if (wan.matrix && ra !== null && rb !== null) {
      links.push(this.pairLink(ra, rb));
      latencyS = this.pairLatencyS.get(`${ra}->${rb}`) ?? this.regions.rttS(ra, rb) / 2;
    } else {
      const access = (s: SiteInfo) => this.siteWanLatencyS.get(s.index) ?? s.spec.wan.latencyS;
      latencyS = access(sa) + wan.backboneLatencyS + access(sb);
    }
    links.push(sb.wanDown, b.nicDown);
    const rtt = 2 * latencyS;
    const streamCap = wan.tcpWindowBytes === null || rtt === 0 ? Infinity : wan.tcpWindowBytes / rtt;
    return { links: Int32Array.from(links), latencyS, streamCapBytesPerS: streamCap, crossesWan: true };
  }

  private pairLink(ra: string, rb: string): number {
    const key = `${ra}->${rb}`;
    let id = this.pairLinks.get(key);
    if (id === undefined) {
      id = this.link(this.regions.bandwidthBytesPerS(ra, rb), 'wan-path', key, -1);
      this.pairLinks.set(key, id);
    }
    return id;
  }

  private link(capacityBytesPerS: number, cls: LinkClass, name: string, site: number): number {
    this.capacity.push(capacityBytesPerS);
    this.linkClass.push(cls);
    this.linkName.push(name);
    this.linkSite.push(site);
    return this.capacity.length - 1;
  }
}
