/**
 * Drives a system's changes over time: the random sources (failures, churn) and the dated
 * events of the scenario's timeline go through this one mechanism. Membership changes go to
 * the caller's hooks (which act on the fleet and tell the trainer); link changes go to the
 * network through `LinkControl`; price changes to the fleet's price integrals.
 */
import type { Engine } from '../engine/engine';
import type { Platform } from '../platform/platform';
import type { DownCause, Fleet } from '../fleet/fleet';
import { churnSource, failureSource, type ChangeSource } from './sources';
import type { Change, DatedEvent } from './spec';
import type { SiteKind } from '../platform/spec';

/** What the driver may do to links: the network meets it. */
export interface LinkControl {
  setCapacity(link: number, bytesPerS: number): void;
}

export interface TimelineHooks {
  /** `node` leaves for `cause` (it may already be down for another cause). */
  leave(node: number, cause: DownCause): void;
  /** `cause` no longer keeps `node` away. */
  rejoin(node: number, cause: DownCause): void;
  /**
   * A dated change was applied. `replan`: it changed what the trainer's periods take (a link), so
   * plans made before it no longer hold; membership changes announce themselves through the fleet.
   */
  changed(label: string, replan: boolean): void;
}

export interface TimelineSpec {
  readonly failures: boolean;
  readonly repairS: number;
  readonly churn: { readonly siteKinds: readonly SiteKind[]; readonly meanOnlineS: number; readonly meanOfflineS: number; readonly shape: number } | null;
  readonly events: readonly DatedEvent[];
}

/**
 * Schedules every source until `horizonS`. Nodes that join later (timeline `add`) start absent;
 * churning nodes start offline with the stationary probability.
 */
export function installTimeline(engine: Engine, platform: Platform, fleet: Fleet, links: LinkControl, spec: TimelineSpec,
  hooks: TimelineHooks, horizonS: number): void {
  const run = (source: ChangeSource): void => {
    const c = source.next(engine.now);
    if (c === null) return;
    engine.at(c.atS, () => {
      if (c.up) hooks.rejoin(c.node, c.cause);
      else hooks.leave(c.node, c.cause);
      run(source);
    });
  };
  const offlineAtStart: number[] = [];
  for (const node of platform.nodes) {
    const churn = spec.churn;
    if (churn !== null && churn.siteKinds.includes(node.siteKind)) {
      const src = churnSource(node.id, engine.rng(`faults/churn/${node.name}`), churn.shape, churn.meanOnlineS, churn.meanOfflineS, horizonS);
      if (!src.startsOnline) offlineAtStart.push(node.id);
      run(src);
    }
    if (spec.failures && Number.isFinite(node.spec.nodeMtbfS)) {
      run(failureSource(node.id, engine.rng(`faults/failure/${node.name}`), node.spec.nodeMtbfS, spec.repairS, horizonS));
    }
  }
  for (const n of offlineAtStart) fleet.setDown(n, 'churn');
  // Nodes a timeline adds wait for their date; nodes held in reserve for the economy (joinAtS
  // Infinity) wait for their operators to buy them.
  for (const node of platform.nodes) if (node.joinAtS > 0) fleet.setDown(node.id, node.joinAtS === Infinity ? 'economy' : 'absent');

  for (const ev of spec.events) {
    const occurrence = (i: number): void => {
      const atS = ev.atS + (ev.everyS ?? 0) * i;
      if (atS > horizonS || (i > 0 && (ev.everyS === null || atS > ev.untilS))) return;
      engine.at(atS, () => {
        apply(ev.change);
        hooks.changed(ev.label, ev.change.kind === 'link');
        occurrence(i + 1);
      });
    };
    occurrence(0);
  }

  function sitesOf(kinds: readonly SiteKind[] | null): number[] {
    return platform.sites.filter((s) => kinds === null || kinds.includes(s.spec.kind)).map((s) => s.index);
  }

  function apply(change: Change): void {
    switch (change.kind) {
      case 'link': {
        for (const l of selectLinks(platform, change)) {
          if (change.bandwidthBytesPerS !== null || change.factor !== null) {
            links.setCapacity(l, change.bandwidthBytesPerS ?? platform.capacity[l] * change.factor!);
          }
        }
        if (change.latencyS !== null) {
          if (change.pair !== null) platform.setPairLatency(change.pair[0], change.pair[1], change.latencyS);
          for (const s of change.sites ?? []) platform.setSiteWanLatency(s, change.latencyS);
        }
        return;
      }
      case 'outage':
        for (const s of change.sites) {
          const nodes = platform.sites[s].nodes.filter((n) => !fleet.isAbsent(n));
          for (const n of nodes) hooks.leave(n, 'outage');
          engine.schedule(change.durationS, () => {
            for (const n of nodes) hooks.rejoin(n, 'outage');
            hooks.changed(`outage of ${platform.sites[s].spec.name} over`, false);
          });
        }
        return;
      case 'add':
        for (const s of change.sites) {
          for (const n of platform.sites[s].nodes) if (platform.nodes[n].joinAtS === engine.now) hooks.rejoin(n, 'absent');
        }
        return;
      case 'remove':
        for (const s of change.sites) {
          const present = platform.sites[s].nodes.filter((n) => !fleet.isAbsent(n) && (change.gpu === null || platform.nodes[n].gpu.id === change.gpu));
          for (const n of present.slice(-change.count).reverse()) hooks.leave(n, 'absent');
        }
        return;
      case 'withhold':
        for (const s of sitesOf(change.kinds)) {
          for (const n of platform.sites[s].nodes) if (platform.nodes[n].gpu.id === change.gpu && !fleet.isDownFor(n, 'absent')) hooks.leave(n, 'absent');
        }
        return;
      case 'price': {
        const nodes = sitesOf(change.kinds).flatMap((s) => platform.sites[s].nodes);
        if (change.electricity !== null) fleet.setPriceFactor('electricity', nodes, change.electricity);
        if (change.rental !== null) fleet.setPriceFactor('rental', nodes, change.rental);
        return;
      }
    }
  }
}

/** The links a link change selects: by site (its access links, or its links of a class), by region pair, or by class. */
export function selectLinks(platform: Platform, c: Extract<Change, { kind: 'link' }>): number[] {
  const out: number[] = [];
  if (c.pair !== null) {
    const ab = platform.pairLinkId(c.pair[0], c.pair[1]), ba = platform.pairLinkId(c.pair[1], c.pair[0]);
    for (const l of [ab, ba]) if (l !== null && !out.includes(l)) out.push(l);
    return out;
  }
  const cls = c.cls ?? (c.sites !== null ? 'wan-access' : null);
  for (let l = 0; l < platform.capacity.length; l++) {
    if (cls !== null && platform.linkClass[l] !== cls) continue;
    if (c.sites !== null && !c.sites.includes(platform.linkSite[l])) continue;
    out.push(l);
  }
  return out;
}
