/**
 * Fits a resolved economy to the system it drives: the economy's cohort classes are the
 * system's (GPU × site kind), its day-0 fleet is the system's nodes, and the operators' future
 * purchases need nodes to run on: `reserve` × each class's day-0 GPUs are added as copies of the
 * class's first site, held out of the fleet (joinAtS = Infinity) until the economy brings them in.
 */
import type { EconomySpec } from '../economy/spec';
import type { RunSpec, SiteSpec } from './types';

export interface CoupledEconomy {
  readonly spec: EconomySpec;
  /** Cohort classes of the economy with no node in the system (left out: they could not train). */
  readonly droppedClasses: readonly string[];
  /** Reserve nodes per day-0 GPU of each class. */
  readonly reserve: number;
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
  // Only the classes that can train; every list indexed by class follows the kept ones.
  const spec: EconomySpec = { ...economy, cohorts: kept };
  return {
    economy: { spec, droppedClasses: dropped, reserve },
    run: { ...run, topology: { ...run.topology, sites: [...sites, ...added] } },
  };
}
