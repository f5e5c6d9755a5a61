/**
 * Every shipped scenario (scenarios/*.yaml), cut to a few periods so that each is simulated
 * step by step: the bytes each link carried by the account the results report (links.csv,
 * bytesByLinkClass) equal the bytes the flow network itself delivered over that link, and the
 * time accounts add up; fast-forwarded (skipped periods, replayed inner steps), every link
 * carries the same bytes. Faults are off here: a flow cancelled by a failure moved part of its
 * bytes, which the network counts and the work accounts (rightly) do not.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import { readScenarioTree, scenarioFromTree } from '../../src/scenario/load';
import { simulateRun, type RunState } from '../../src/sim/run';
import { summarizeRun } from '../../src/result/summary';
import { loadCatalog } from '../../src/compute/catalog';
import { LINK_CLASSES } from '../../src/platform/platform';
import { rel } from './fixtures';

const FILES = readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).sort().map((f) => `scenarios/${f}`);

type Tree = Record<string, any>;

/** The scenario with a budget of four periods (DiLoCo: H cut to 3), no faults, two economy days. */
function shortened(file: string): Tree {
  const t = structuredClone(readScenarioTree(file)) as Tree;
  for (const sys of [t.system, t.baseline].filter(Boolean)) {
    sys.faults = { failures: false };
    if (sys.strategy?.kind === 'diloco') sys.strategy.innerSteps = Math.min(sys.strategy.innerSteps ?? 3, 3);
  }
  if (t.economy) t.economy.days = 2;
  delete t.timeline;
  const s = scenarioFromTree(t, file);
  const h = Math.max(...[s.run, s.baseline].map((r) => r?.strategy.diloco?.innerSteps ?? 1));
  t.training.tokens = 4 * h * s.training.globalBatchTokens;
  return t;
}

describe('every shipped scenario, step by step', () => {
  it.each(FILES)('%s: per-link bytes = bytes the network delivered; time accounts add up', (file) => {
    const s = scenarioFromTree(shortened(file), file);
    for (const [field, spec] of [['system', s.run], ['baseline', s.baseline]] as const) {
      if (!spec) continue;
      let rs: RunState | null = null;
      const run = (fastForward: boolean) => simulateRun(s, { ...spec, engine: { ...spec.engine, fastForward } }, {
        seed: s.seed, regions: loadCatalog().regions, field, attach: (x) => (rs = x),
        economy: field === 'system' && s.economy ? { spec: s.economy.spec } : undefined,
      });
      const ff = run(true);
      const r = run(false);
      expect(r.stopReason, `${file} ${field}`).toBe('finished');
      const delivered = rs!.net.bytesCarried;
      let sent = 0;
      for (const l of r.links) {
        expect(Math.abs(l.bytes - delivered[l.id]), `${file} ${field}: link ${l.name}`).toBeLessThanOrEqual(1e-9 * Math.max(1, delivered[l.id]));
        sent += l.bytes;
      }
      expect(sent, `${file} ${field}: something crossed a link`).toBeGreaterThan(0);
      // The per-class totals are the per-link bytes summed by class.
      for (const c of LINK_CLASSES) {
        const byLinks = r.links.filter((l) => l.cls === c).reduce((x, l) => x + l.bytes, 0);
        expect(Math.abs(byLinks - r.bytesByClass[c]), `${file} ${field}: ${c}`).toBeLessThanOrEqual(1e-9 * Math.max(1, byLinks));
      }
      for (const l of r.links) expect(Math.abs(ff.links[l.id].bytes - l.bytes), `${file} ${field}: fast-forwarded, link ${l.name}`).toBeLessThanOrEqual(1e-9 * Math.max(1, l.bytes));
      expect(rel(ff.timeS, r.timeS), `${file} ${field}: fast-forwarded time`).toBeLessThan(1e-6);
      const sum = summarizeRun(r);
      const b = sum.breakdown;
      const parts = b.computeS + b.communicationS + b.bubbleS + b.idleS + b.lostWorkS + b.restartS + b.checkpointS + b.repairS + b.offlineS + b.outageS + b.absentS;
      expect(rel(parts, sum.timeToTrainS), `${file} ${field}`).toBeLessThan(1e-6);
    }
  }, 120_000);
});
