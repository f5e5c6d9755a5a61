/**
 * The economy coupled both ways to the training run: the run's verified work decides what each
 * operator earns; the economy's decisions decide which GPUs train.
 */
import { describe, it, expect } from 'vitest';
import { simulate } from '../../src/sim/simulate';
import { simulateRun } from '../../src/sim/run';
import { loadCatalog } from '../../src/compute/catalog';
import { scenario, rel } from '../sim/fixtures';
import { economyColumns, classColumn } from '../../src/economy/day';
import { formatSummary } from '../../src/report/text';

/**
 * A small network (2 tier-2 nodes of 8 H100, 6 home RTX 4090) training a 0.9B model long enough
 * to live through the economy's shocks; DiLoCo with H = 500 keeps it compute-bound, so the GPUs
 * the economy keeps online set the pace.
 */
function tree(economy: Record<string, unknown>, tokens = 7e13) {
  return {
    seed: 5,
    model: { layers: 16, hidden: 2048, heads: 16, vocab: 32000, seqLength: 1024 },
    training: { tokens, batchTokens: 1048576, microBatch: 4 },
    system: {
      sites: [
        { name: 'dc', kind: 'tier2', nodes: [{ gpu: 'h100-sxm', count: 2, gpusPerNode: 8 }], wan: 'dia-10g' },
        { name: 'home', kind: 'home', count: 6, nodes: [{ gpu: 'rtx-4090', count: 1, gpusPerNode: 1 }], wan: 'fiber' },
      ],
      wan: { matrix: false },
      strategy: { kind: 'diloco', innerSteps: 500, compression: 'int8' },
      faults: { failures: false },
    },
    economy: {
      days: 800,
      reserve: 10,
      // The presets describe a 20,000 H100-eq network: coupled, they are scaled to this one.
      ...economy,
    },
  };
}

describe('the economy coupled to a run', () => {
  it('a price crash makes home GPUs leave, and the same model takes longer to train', () => {
    const base = simulate(scenario(tree({ preset: 'base' })));
    const crash = simulate(scenario(tree({ preset: 'token-crash' })));
    for (const r of [base, crash]) {
      expect(r.economy).not.toBeNull();
      // The run lasts past the crash (day 180) and its recovery.
      expect(r.economy!.coupledDays).toBeGreaterThan(300);
    }
    const home = (r: typeof base) => r.economy!.summary.gpusByClass['rtx-4090@home'].active;
    expect(home(crash)).toBeLessThan(home(base));
    expect(crash.economy!.summary.final.priceUsd).toBeLessThan(base.economy!.summary.final.priceUsd);
    expect(crash.run.timeToTrainS).toBeGreaterThan(base.run.timeToTrainS);
  });

  it('a node that does half the verified work earns half', () => {
    // Two home rigs alike but for a 2× slowdown on one: proportional batch shares give it half
    // the tokens, so half the verified work, so half of its class's rewards.
    const t = tree({ preset: 'base', days: 30 }, 2e12);
    (t.system.sites as unknown[]).splice(1, 1,
      { name: 'fast', kind: 'home', nodes: [{ gpu: 'rtx-4090', count: 1, gpusPerNode: 1 }], wan: 'fiber' },
      { name: 'slow', kind: 'home', nodes: [{ gpu: 'rtx-4090', count: 1, gpusPerNode: 1, slowdown: 2 }], wan: 'fiber' });
    const res = simulate(scenario(t));
    const e = res.details.run.economy!;
    const nodes = res.details.run.nodes;
    const fast = nodes.find((n) => n.name === 'fast/n0')!, slow = nodes.find((n) => n.name === 'slow/n0')!;
    expect(e.nodeEarningsUsd[fast.id]).toBeGreaterThan(0);
    expect(rel(slow.tokens / fast.tokens, 0.5)).toBeLessThan(0.02);
    expect(rel(e.nodeEarningsUsd[slow.id] / e.nodeEarningsUsd[fast.id], slow.tokens / fast.tokens)).toBeLessThan(1e-6);
  });

  it('cloud GPUs withheld from the run (timeline) stop earning, and the mix of work shifts away from them', () => {
    const withCloud = (withhold: boolean) => {
      const t = tree({ preset: 'base', days: 200 }, 3e13);
      t.system.sites.push({ name: 'cloud', kind: 'cloud', nodes: [{ gpu: 'h100-sxm', count: 1, gpusPerNode: 8 }] } as never);
      if (withhold) (t.system as Record<string, unknown>).timeline = [{ at: '2 days', withhold: { gpu: 'h100-sxm', kinds: ['cloud'] } }];
      return simulate(scenario(t));
    };
    const open = withCloud(false), held = withCloud(true);
    const earned = (r: typeof open) => {
      const n = r.details.run.nodes.find((x) => x.name === 'cloud/n0')!;
      return r.details.run.economy!.nodeEarningsUsd[n.id];
    };
    // Withheld, the cloud GPUs did no verified work after day 2, so they earned less.
    expect(earned(open)).toBeGreaterThan(0);
    expect(earned(held)).toBeLessThan(earned(open));
    const mix = (r: typeof open) => r.details.run.nodes.filter((n) => n.name.startsWith('cloud')).reduce((x, n) => x + n.tokens, 0) /
      r.details.run.nodes.reduce((x, n) => x + n.tokens, 0);
    expect(mix(held)).toBeLessThan(mix(open));
    // In the run, the cloud node trained only before day 2.
    const node = held.details.run.nodes.find((n) => n.name === 'cloud/n0')!;
    expect(node.onlineS).toBeLessThanOrEqual(2 * 86400 + 1e-6);
  });

  it('writes one economy.csv row per day with the class columns', () => {
    const rows: Record<string, number>[] = [];
    const s = scenario(tree({ preset: 'base', days: 20 }, 2e12));
    simulate(s, { onEconomyRow: (r) => rows.push({ ...r }) });
    expect(rows).toHaveLength(20);
    const cols = economyColumns(s.economy!.spec);
    expect(cols).toContain(classColumn('rtx-4090@home'));
    for (const r of rows) for (const c of cols) expect(Number.isFinite(r[c]), c).toBe(true);
  });

  it('says when training outlasted the economy, and by how long', () => {
    const short = simulate(scenario(tree({ preset: 'base', days: 5 }, 2e12)));
    expect(short.run.timeToTrainS).toBeGreaterThan(5 * 86400);
    expect(short.economy!.trainingAfterEconomyS).toBeCloseTo(short.run.timeToTrainS - 5 * 86400, 6);
    expect(formatSummary(short)).toMatch(/note: training went on .+ after the economy's last day \(day 5\)/);
    const covered = simulate(scenario(tree({ preset: 'base', days: 20 }, 2e11)));
    expect(covered.run.timeToTrainS).toBeLessThan(20 * 86400);
    expect(covered.economy!.trainingAfterEconomyS).toBe(0);
    expect(formatSummary(covered)).not.toMatch(/after the economy's last day/);
  });

  it('leaves runs without an economy untouched: the same result with or without the ledger the economy reads', () => {
    const s = scenario({ ...tree({}), economy: undefined });
    expect(simulate(s).economy).toBeNull();
    const plain = simulateRun(s, s.run, { seed: 1, regions: loadCatalog().regions });
    const ledgered = simulateRun(s, s.run, { seed: 1, regions: loadCatalog().regions, ledgerBinS: 86400 });
    expect(JSON.stringify(ledgered)).toBe(JSON.stringify(plain));
  });
});

describe('fitting an economy to the system', () => {
  it('scales its extensive quantities by the ratio of H100-equivalents and keeps prices', () => {
    const s = scenario(tree({ preset: 'base', days: 10 }, 1e12));
    const e = s.economy!;
    // The system: 16 H100 + 6 RTX 4090 at their BF16 peaks ÷ the H100's; the preset: 20,000 H100-eq.
    const h100 = 989.4e12, rtx = s.run.topology.sites[1].nodes[0].gpu.peakFlopS.bf16;
    expect(rel(e.scale, (16 + 6 * rtx / h100) / 20000)).toBeLessThan(1e-9);
    const raw = scenario({ ...tree({ preset: 'base', days: 10 }, 1e12), economy: undefined });
    expect(raw.economy).toBeNull();
    expect(e.spec.token.initialPriceUsd).toBe(300);
    expect(rel(e.spec.token.initialSupply, 10e6 * e.scale)).toBeLessThan(1e-12);
    expect(e.spec.hyperscaler.initialH100eq).toBe(4e6);
    // Classes without nodes in the system are left out, and said so.
    expect(e.droppedClasses).toEqual(['a100-80gb@tier2', 'h100-sxm@cloud', 'b200@tier2']);
    // Reserve nodes: 10 × the day-0 GPUs of each class, held out of the fleet.
    const reserve = s.run.topology.sites.filter((x) => x.name.includes('-reserve-'));
    expect(reserve.reduce((x, site) => x + site.nodes.reduce((y, g) => y + g.count * g.gpusPerNode, 0), 0)).toBe(10 * 22);
  });
});
