/** A flow as a trace event: an async span on its sender's track, categorised by the link class that limited it. */
import type { FlowStats } from '../network/flows';
import { LINK_CLASSES, type Platform, type Route } from '../platform/platform';
import type { Track, Tracer } from '../trace/tracer';

/**
 * Category: the class of the link that set the flow's rate longest; when its own stream cap (a
 * TCP window) did, or nothing did, the widest class on its path. `stats` is null for a cancelled flow.
 */
export function traceFlow(tr: Tracer, platform: Platform, track: Track, from: number, to: number, route: Route, bytes: number,
  startS: number, endS: number, stats: FlowStats | null): void {
  let bottleneck = -1;
  let most = stats ? stats.boundLimitedS : 0;
  if (stats) for (let i = 0; i < stats.limitedS.length; i += 2) if (stats.limitedS[i + 1] > most) { most = stats.limitedS[i + 1]; bottleneck = stats.limitedS[i]; }
  let widest = 0;
  for (const l of route.links) widest = Math.max(widest, LINK_CLASSES.indexOf(platform.linkClass[l]));
  const cat = bottleneck >= 0 ? platform.linkClass[bottleneck] : LINK_CLASSES[widest];
  const name = from === to ? `${platform.nodes[from].name} intra-node` : `${platform.nodes[from].name} → ${platform.nodes[to].name}`;
  const limitedBy = bottleneck >= 0 ? platform.linkName[bottleneck] : stats && stats.boundLimitedS > 0 ? 'stream cap (TCP window)' : 'none';
  const route_ = Array.from(route.links, (l) => platform.linkName[l]);
  tr.flow(track, name, cat, startS, endS, stats ? { bytes, route: route_, limitedBy } : { bytes, route: route_, cancelled: true });
}
