/**
 * The token economy coupled both ways to a training run, inside the run's engine: a process
 * wakes at every day boundary, reads the verified work each node did that day from the run's
 * ledger, steps the economy one day, and brings nodes of each cohort class into the fleet or
 * takes them out (cause `economy`) to match the GPUs the economy's operators keep active. The
 * economy layer never sees the engine, the platform or the fleet: this module translates.
 */
import { Priority } from '../engine/engine';
import { streamFor } from '../engine/rng';
import { advanceDay, economyColumns, type DayInput, type EconomyRow } from '../economy/day';
import { summarize, SummaryAcc } from '../economy/run';
import { DAY_S, type EconomySpec } from '../economy/spec';
import { initialState, type EconomyState } from '../economy/state';
import type { RunState } from './run';
import type { EconomyOutcome } from '../result/result';

/** Dense BF16 peak of the H100 SXM, the unit of H100-equivalents (989.4 TFLOP/s [V], NVIDIA H100 datasheet). */
export const H100_PEAK_FLOP_S = 989.4e12;

export interface EconomyDriver {
  /** Stops coupling at the run's end and finishes the remaining days on the capacity model. */
  finish(): EconomyOutcome;
}

/** Cohort class of a node: `<gpu>@<site kind>`. */
export function cohortOf(rs: RunState, node: number): string {
  const n = rs.platform.nodes[node];
  return `${n.gpu.id}@${n.siteKind}`;
}

/**
 * Attaches the economy to a wired run (before its trainer starts). The economy's day-0 fleet is
 * the run's: each class starts with the GPUs of its nodes present at the start; nodes the
 * scenario holds in reserve for the economy (joinAtS = Infinity) come in as operators buy GPUs.
 */
export function attachEconomy(rs: RunState, base: EconomySpec, seed: number, onRow?: (row: EconomyRow) => void): EconomyDriver {
  const { engine, platform, fleet } = rs;
  const byClass = new Map<string, number[]>();
  for (const n of platform.nodes) {
    const c = cohortOf(rs, n.id);
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c)!.push(n.id);
  }
  const present = (c: string) => (byClass.get(c) ?? []).filter((n) => platform.nodes[n].joinAtS === 0).reduce((s, n) => s + platform.nodes[n].gpus, 0);
  const spec: EconomySpec = { ...base, cohorts: base.cohorts.map((k) => ({ ...k, initialGpus: present(k.id) })) };
  const classIndex = new Map(spec.cohorts.map((k, i) => [k.id, i]));
  const nodeClass = platform.nodes.map((n) => classIndex.get(cohortOf(rs, n.id)) ?? -1);
  const rng = streamFor(seed, 'economy');
  const state: EconomyState = initialState(spec);
  const acc = new SummaryAcc();
  const earnings = new Float64Array(platform.nodes.length);
  const shortfall: Record<string, { maxGpus: number; days: number }> = {};
  const flopPerToken = rs.modelFlopPerToken;
  let day = 0, coupledDays = 0, stopped = false;

  const step = (input: DayInput, perNodeH100eqS: Float64Array | null): void => {
    const res = advanceDay(spec, state, input, rng);
    acc.add(res.row);
    onRow?.(res.row);
    if (perNodeH100eqS !== null) {
      // A class's rewards go to its nodes in proportion to their verified work.
      const reward = res.row.operator_reward_usd ?? 0;
      const classWork = new Float64Array(spec.cohorts.length);
      perNodeH100eqS.forEach((w, n) => { if (nodeClass[n] >= 0) classWork[nodeClass[n]] += w; });
      perNodeH100eqS.forEach((w, n) => {
        const c = nodeClass[n];
        if (c >= 0 && classWork[c] > 0) earnings[n] += reward * (res.rewardShares[spec.cohorts[c].id] ?? 0) * (w / classWork[c]);
      });
    }
    // After the run, nothing trains: the fleet no longer follows the economy.
    if (perNodeH100eqS !== null) apply(res.targetActiveGpus);
    day++;
  };

  /** Brings each class's node count to the economy's active GPUs: the first nodes in, the last out. */
  const apply = (target: Readonly<Record<string, number>>): void => {
    for (const k of spec.cohorts) {
      const nodes = byClass.get(k.id) ?? [];
      let want = target[k.id] ?? 0, have = 0;
      for (const n of nodes) {
        const g = platform.nodes[n].gpus;
        const inFleet = !fleet.isDownFor(n, 'economy');
        if (have + g <= want && !fleet.isDownFor(n, 'absent')) {
          have += g;
          if (!inFleet) rs.membership.rejoin(n, 'economy');
        } else if (inFleet) {
          rs.membership.leave(n, 'economy');
        }
      }
      want -= have;
      if (want >= 1) {
        const s = (shortfall[k.id] ??= { maxGpus: 0, days: 0 });
        s.maxGpus = Math.max(s.maxGpus, Math.round(want));
        s.days++;
      }
    }
  };

  const tick = (): void => {
    if (stopped) return;
    const tokens = rs.ledger!.binTokens(day, engine.now);
    const perNode = new Float64Array(tokens.length);
    const verified: Record<string, number> = {};
    for (let n = 0; n < tokens.length; n++) {
      perNode[n] = (tokens[n] * flopPerToken) / H100_PEAK_FLOP_S;
      const c = nodeClass[n];
      if (c >= 0) verified[spec.cohorts[c].id] = (verified[spec.cohorts[c].id] ?? 0) + perNode[n];
    }
    coupledDays++;
    step({ verifiedH100eqS: verified }, perNode);
    if (day < spec.days) engine.at((day + 1) * DAY_S, tick, undefined, Priority.LATE);
  };
  if (spec.days > 0) engine.at(DAY_S, tick, undefined, Priority.LATE);

  return {
    finish(): EconomyOutcome {
      stopped = true;
      // After the run: every active GPU delivers its nameplate work (the economy's own capacity model).
      const uncoupledFrom = day;
      while (day < spec.days) step({}, null);
      return {
        summary: summarize(spec, state, seed, acc), coupledDays, uncoupledDays: day - uncoupledFrom,
        nodeShortfall: shortfall, nodeEarningsUsd: earnings, columns: economyColumns(spec),
      };
    },
  };
}
