/**
 * Dated changes to a system, as data (SimGrid's dated profiles): the scenario's `timeline`
 * resolved to SI and to site indices. Random failures and churn are generated as the same
 * kind of changes (down / up of a node) by the sources in `sources.ts`.
 */
import type { LinkClass } from '../platform/platform';
import type { SiteKind } from '../platform/spec';

export type Change =
  /** Links selected by site, region pair and/or class get a new capacity (absolute, or × the original) and/or one-way latency. */
  | {
    readonly kind: 'link';
    readonly sites: readonly number[] | null;
    readonly pair: readonly [string, string] | null;
    readonly cls: LinkClass | null;
    readonly bandwidthBytesPerS: number | null;
    readonly factor: number | null;
    readonly latencyS: number | null;
  }
  /** Every node of the sites goes down for `durationS` (power, network or facility outage). */
  | { readonly kind: 'outage'; readonly sites: readonly number[]; readonly durationS: number }
  /** Nodes the resolver added to the sites with this join time come online. */
  | { readonly kind: 'add'; readonly sites: readonly number[]; readonly gpu: string; readonly count: number }
  /** `count` nodes (of a GPU class, if given) leave each site for good, the last added first. */
  | { readonly kind: 'remove'; readonly sites: readonly number[]; readonly gpu: string | null; readonly count: number }
  /** Every GPU of the class at sites of these kinds leaves for good (rental supply withdrawn). */
  | { readonly kind: 'withhold'; readonly gpu: string; readonly kinds: readonly SiteKind[] }
  /** From now on, prices are these multiples of the base prices at sites of these kinds (all when null). */
  | { readonly kind: 'price'; readonly electricity: number | null; readonly rental: number | null; readonly kinds: readonly SiteKind[] | null };

export interface DatedEvent {
  readonly atS: number;
  /** Repeats every `everyS` until `untilS` (null: once). */
  readonly everyS: number | null;
  readonly untilS: number;
  readonly change: Change;
  /** Short description for the timeseries and the trace, e.g. "outage dc-1 for 2 days". */
  readonly label: string;
}
