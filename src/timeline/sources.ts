/**
 * Random sources of dated changes: node failures with repair, and churn sessions. Each node
 * draws from its own named stream, so adding a source never shifts another's draws; each
 * source yields its next change only when the previous one has happened (the driver
 * schedules it from that callback), which keeps the engine's sequence numbers stable.
 */
import type { RandomStream } from '../engine/rng';
import type { DownCause } from '../fleet/fleet';

/** A change of one node's membership at a date. */
export interface NodeChange {
  readonly atS: number;
  readonly node: number;
  readonly up: boolean;
  readonly cause: DownCause;
}

/** A lazily generated, time-ordered sequence of changes; `next(nowS)` is called once the previous change is applied. */
export interface ChangeSource {
  next(nowS: number): NodeChange | null;
}

/** Stationary availability of an on/off process: E[on] / (E[on] + E[off]). */
export function availability(meanOnlineS: number, meanOfflineS: number): number {
  return meanOnlineS / (meanOnlineS + meanOfflineS);
}

/** Exponential failures at `mtbfS`, each followed by a repair of `repairS`. */
export function failureSource(node: number, rng: RandomStream, mtbfS: number, repairS: number, horizonS: number): ChangeSource {
  let down = false;
  return {
    next(nowS) {
      if (down) {
        down = false;
        return { atS: nowS + repairS, node, up: true, cause: 'failure' };
      }
      const atS = nowS + rng.exponential(mtbfS);
      if (atS > horizonS) return null;
      down = true;
      return { atS, node, up: false, cause: 'failure' };
    },
  };
}

/**
 * Churn: Weibull online sessions (shape, mean) and exponential offline periods. The node starts
 * online with the stationary availability; `startsOnline` tells the driver which.
 */
export function churnSource(node: number, rng: RandomStream, shape: number, meanOnlineS: number, meanOfflineS: number, horizonS: number):
  ChangeSource & { readonly startsOnline: boolean } {
  let online = rng.uniform() < availability(meanOnlineS, meanOfflineS);
  const startsOnline = online;
  return {
    startsOnline,
    next(nowS) {
      const atS = nowS + (online ? rng.weibull(shape, meanOnlineS) : rng.exponential(meanOfflineS));
      if (atS > horizonS) return null;
      online = !online;
      return { atS, node, up: online, cause: 'churn' };
    },
  };
}
