/**
 * Fits a resolved economy to the system it drives: the economy's cohort classes are the
 * system's (GPU × site kind), its day-0 fleet is the system's nodes, and the operators' future
 * purchases need nodes to run on: `reserve` × each class's day-0 GPUs are added as copies of the
 * class's first site, held out of the fleet (joinAtS = Infinity) until the economy brings them in.
 *
 * An economy's figures describe a network of a given size (the presets: 20,000 H100-eq). Coupled
 * to a system of another size, its extensive quantities (tokens minted and in supply, unlocks,
 * investor money, customer demand, supply caps) are scaled by the ratio of the two fleets'
 * H100-equivalents, so that each GPU sees the same economics; prices and shares are unchanged,
 * and the hyperscalers are not scaled.
 */
import type { EconomySpec, EmissionSchedule } from '../economy/spec';
import type { RunSpec, SiteSpec } from './types';

export interface CoupledEconomy {
  readonly spec: EconomySpec;
  /** Cohort classes of the economy with no node in the system (left out: they could not train). */
  readonly droppedClasses: readonly string[];
  /** Reserve nodes per day-0 GPU of each class. */
  readonly reserve: number;
  /** System H100-eq ÷ the economy's own day-0 H100-eq: the factor on its extensive quantities (1 = as written). */
  readonly scale: number;
}

/** The economy of a network `f` times as large: extensive quantities × f. */
export function scaleEconomy(e: EconomySpec, f: number): EconomySpec {
  const em: EmissionSchedule = (() => {
    const x = e.token.emission;
    switch (x.kind) {
      case 'halving': return { ...x, tokensPerDay: x.tokensPerDay * f, maxSupply: x.maxSupply * f };
      case 'exp-decay': return { ...x, total: x.total * f };
      case 'baseline': return { ...x, simpleTotal: x.simpleTotal * f, baselineTotal: x.baselineTotal * f, baselineH100eq: x.baselineH100eq * f };
      case 'disinflation': return { ...x, base: x.base * f, cap: x.cap * f };
      case 'bme': return { ...x, tokensPerDay: x.tokensPerDay * f, remintCapPerDay: x.remintCapPerDay * f };
    }
  })();
  return {
    ...e,
    cohorts: e.cohorts.map((k) => ({ ...k, supplyCapPerDay: k.supplyCapPerDay * f, initialGpus: k.initialGpus * f })),
    token: { ...e.token, emission: em, initialSupply: e.token.initialSupply * f, unlocks: e.token.unlocks.map((u) => ({ ...u, tokens: u.tokens * f })) },
    market: {
      ...e.market, investorUsdPerDay: e.market.investorUsdPerDay * f,
      anchor: { ...e.market.anchor, speculativeValuationUsd: e.market.anchor.speculativeValuationUsd * f },
    },
    demand: { ...e.demand, h100eqHoursPerDay: e.demand.h100eqHoursPerDay * f },
    decisions: { ...e.decisions, seedGpus: e.decisions.seedGpus * f },
  };
}

const classOf = (gpu: string, kind: string) => `${gpu}@${kind}`;

export function coupleEconomy(economy: EconomySpec, run: RunSpec, reserve: number): { economy: CoupledEconomy; run: RunSpec } {
  const sites = run.topology.sites;
  const gpusOf = (s: SiteSpec, cls: string) => s.nodes.filter((g) => classOf(g.gpu.id, s.kind) === cls && !g.joinAtS).reduce((x, g) => x + g.count * g.gpusPerNode, 0);
  const kept = economy.cohorts.filter((k) => sites.some((s) => gpusOf(s, k.id) > 0));
  const dropped = economy.cohorts.filter((k) => !kept.includes(k)).map((k) => k.id);
  const added: SiteSpec[] = [];
  for (const k of kept) {
    const template = sites.find((s) => gpusOf(s, k.id) > 0)!;
    const perSite = gpusOf(template, k.id);
    const total = sites.reduce((x, s) => x + gpusOf(s, k.id), 0);
    const copies = Math.ceil((reserve * total) / perSite);
    const nodes = template.nodes.filter((g) => classOf(g.gpu.id, template.kind) === k.id && !g.joinAtS).map((g) => ({ ...g, joinAtS: Infinity }));
    for (let i = 1; i <= copies; i++) added.push({ ...template, name: `${template.name}-reserve-${i}`, nodes });
  }
  // Scale to the system: its day-0 H100-eq against the economy's own (all classes, as written).
  const own = economy.cohorts.reduce((x, k) => x + k.initialGpus * k.perfH100eq, 0);
  const system = kept.reduce((x, k) => x + sites.reduce((y, s) => y + gpusOf(s, k.id), 0) * k.perfH100eq, 0);
  const scale = own > 0 && system > 0 ? system / own : 1;
  // Only the classes that can train; every list indexed by class follows the kept ones.
  const spec: EconomySpec = { ...scaleEconomy(economy, scale), cohorts: scaleEconomy(economy, scale).cohorts.filter((k) => kept.some((c) => c.id === k.id)) };
  return {
    economy: { spec, droppedClasses: dropped, reserve, scale },
    run: { ...run, topology: { ...run.topology, sites: [...sites, ...added] } },
  };
}
