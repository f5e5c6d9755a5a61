/**
 * Fault processes: node failures with repair, and churn of home nodes. They only call the
 * hooks (down / up); strategies decide what a departure costs. Each node draws from its own
 * named random stream, so adding a fault source never shifts another's draws.
 */
import type { Engine } from '../engine/engine';
import type { Platform } from '../platform/platform';
import type { FaultSpec } from './spec';

export interface MembershipHooks {
  down(node: number, cause: 'failure' | 'churn'): void;
  up(node: number, cause: 'failure' | 'churn'): void;
}

/** Stationary availability of an on/off process: E[on] / (E[on] + E[off]). */
export function availability(meanOnlineS: number, meanOfflineS: number): number {
  return meanOnlineS / (meanOnlineS + meanOfflineS);
}

/**
 * Schedules failures and churn until `horizonS`. Returns the nodes that start offline
 * (churning nodes start online with the stationary availability).
 */
export function installFaults(engine: Engine, platform: Platform, spec: FaultSpec, hooks: MembershipHooks, horizonS: number): Set<number> {
  const offlineAtStart = new Set<number>();
  const churn = spec.churn;
  for (const node of platform.nodes) {
    const churns = churn !== null && churn.siteKinds.includes(node.siteKind);
    if (churns) {
      const rng = engine.rng(`faults/churn/${node.name}`);
      let online = rng.uniform() < availability(churn.meanOnlineS, churn.meanOfflineS);
      if (!online) offlineAtStart.add(node.id);
      const flip = (): void => {
        const dur = online ? rng.weibull(churn.shape, churn.meanOnlineS) : rng.exponential(churn.meanOfflineS);
        if (engine.now + dur > horizonS) return;
        engine.schedule(dur, () => {
          online = !online;
          if (online) hooks.up(node.id, 'churn');
          else hooks.down(node.id, 'churn');
          flip();
        });
      };
      flip();
    }
    if (spec.failures && Number.isFinite(node.spec.nodeMtbfS)) {
      const rng = engine.rng(`faults/failure/${node.name}`);
      const fail = (): void => {
        const dur = rng.exponential(node.spec.nodeMtbfS);
        if (engine.now + dur > horizonS) return;
        engine.schedule(dur, () => {
          hooks.down(node.id, 'failure');
          engine.schedule(spec.repairS, () => {
            hooks.up(node.id, 'failure');
            fail();
          });
        });
      };
      fail();
    }
  }
  return offlineAtStart;
}

/** Young's optimal checkpoint interval √(2·T_save·T_fail) [V YOUNG: J. W. Young, CACM 17(9), 1974; arXiv 2410.18124]. */
export function youngInterval(writeS: number, mttiS: number): number {
  return Math.sqrt(2 * writeS * mttiS);
}
