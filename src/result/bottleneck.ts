/**
 * Where a run waited on the network: the links that set the rate of flows (were their
 * bottleneck in the max-min sharing) for the most flow-seconds. A link that carried much but
 * never limited a flow slowed nobody down; a flow held back by its TCP window (window / RTT)
 * is limited by latency, not by any link.
 */
import type { LinkResult, RunResult } from './result';

export interface Bottleneck {
  readonly link: LinkResult;
  readonly site: string | null;
  /** Its share of all flow-seconds (links and TCP windows together). */
  readonly share: number;
  /** Mean utilization over the run: bytes ÷ (capacity × time). */
  readonly utilization: number;
}

export interface Bottlenecks {
  readonly links: readonly Bottleneck[];
  /** Share of flow-seconds that ran at the TCP window bound. */
  readonly windowShare: number;
}

/** The `n` links that limited flows longest (ties: more bytes first). */
export function bottlenecks(r: RunResult, n = 3): Bottlenecks {
  const T = r.timeS;
  const all = r.links.reduce((x, l) => x + l.limitingFlowS, 0) + r.boundLimitedFlowS;
  const links = r.links
    .filter((l) => l.limitingFlowS > 0)
    .sort((a, b) => b.limitingFlowS - a.limitingFlowS || b.bytes - a.bytes || a.id - b.id)
    .slice(0, n)
    .map((link) => ({
      link,
      site: link.site >= 0 ? r.sites[link.site].name : null,
      share: link.limitingFlowS / all,
      utilization: T > 0 && Number.isFinite(link.capacityBytesPerS) ? link.bytes / (link.capacityBytesPerS * T) : 0,
    }));
  return { links, windowShare: all > 0 ? r.boundLimitedFlowS / all : 0 };
}
