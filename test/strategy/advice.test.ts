import { describe, it, expect } from 'vitest';
import { applyOverrides, scenarioFromTree } from '../../src/scenario/load';
import { Platform } from '../../src/platform/platform';
import { loadCatalog } from '../../src/compute/catalog';
import { buildLayout, checkLayout, candidateChanges, memoryAdvice, InfeasibleLayout, type LayoutInput } from '../../src/strategy/layout';
import { formatGB } from '../../src/workload/memory';

/** `count` homes on fiber, each one node of `gpusPerNode` RTX 4090s (24 GB). */
const homes = (count: number, gpusPerNode: number) => ({ name: 'home', kind: 'home', count, wan: 'fiber', nodes: [{ gpu: 'rtx-4090', gpusPerNode }] });

function homeTree(model: string, count: number, gpusPerNode: number, strategy: Record<string, unknown>, training: Record<string, unknown> = {}) {
  return {
    model,
    training: { tokens: 1e9, batchTokens: 4e6, microBatch: 1, recompute: 'selective', ...training },
    system: { sites: [homes(count, gpusPerNode)], wan: { matrix: false }, strategy, faults: { failures: false } },
  };
}

const DILOCO = { kind: 'diloco', innerSteps: 100 };
const DP = { kind: 'data-parallel' };

/** The scenario as run.ts lays it out: every node present. */
function layoutInput(tree: unknown): { inp: LayoutInput; all: number[] } {
  const s = scenarioFromTree(tree, 'home.yaml');
  const platform = new Platform(s.run.topology, loadCatalog().regions);
  return { inp: { platform, model: s.model, training: s.training, strategy: s.run.strategy }, all: platform.nodes.map((n) => n.id) };
}

/** The InfeasibleLayout message for a tree (fails the test if it lays out). */
function infeasible(tree: unknown): string {
  const { inp, all } = layoutInput(tree);
  try {
    buildLayout(inp, all);
  } catch (e) {
    expect(e).toBeInstanceOf(InfeasibleLayout);
    return (e as Error).message;
  }
  throw new Error('expected InfeasibleLayout');
}

interface Suggestion { readonly sets: string[]; readonly need: string; readonly gpu?: string }

/** "would fit: a=1 + b=2 (16.9 GB); c=3 (20.0 GB on h100-sxm)" → its suggestions. */
function suggestions(msg: string): Suggestion[] {
  const at = msg.indexOf('; would fit: ');
  if (at < 0) return [];
  return msg.slice(at + '; would fit: '.length).split('; ').map((s) => {
    const m = /^(\S+=\S+(?: \+ \S+=\S+)*) \((\d+\.\d GB)(?: on (\S+))?\)$/.exec(s);
    expect(m, `suggestion '${s}'`).not.toBeNull();
    return { sets: m![1].split(' + '), need: m![2], gpu: m![3] };
  });
}

const cases: [string, ReturnType<typeof homeTree>][] = [
  ['7B DiLoCo, 4 homes × 8 GPUs', homeTree('llama2-7b', 4, 8, DILOCO)],
  ['7B DiLoCo, 8 homes × 1 GPU (only larger groups help)', homeTree('llama2-7b', 8, 1, DILOCO)],
  ['7B data parallel, 8 homes × 1 GPU', homeTree('llama2-7b', 8, 1, DP)],
  ['7B data parallel, 2 homes × 8 GPUs, ZeRO 0, micro-batch 4, no recompute', homeTree('llama2-7b', 2, 8, { ...DP, zero: 0 }, { microBatch: 4, recompute: 'none' })],
  ['7B pipeline, 8 homes × 1 GPU, GPipe', homeTree('llama2-7b', 8, 1, { kind: 'pipeline', pipelineParallel: 2, schedule: 'gpipe' })],
  ['70B DiLoCo, 8 homes × 8 GPUs', homeTree('llama2-70b', 8, 8, DILOCO)],
  ['70B data parallel, 16 homes × 8 GPUs', homeTree('llama2-70b', 16, 8, DP)],
];

describe('memory advice: every suggestion fits when applied with --set', () => {
  for (const [name, tree] of cases) {
    it(name, () => {
      const msg = infeasible(tree);
      expect(msg.split('\n')).toHaveLength(1);
      const sugs = suggestions(msg);
      expect(sugs.length, msg).toBeGreaterThan(0);
      for (const sug of sugs) {
        // Applied exactly as `dtsim run --set ...` would, the scenario loads (resolve.ts accepts it) ...
        const applied = applyOverrides(tree, sug.sets, 'home.yaml');
        const { inp, all } = layoutInput(applied);
        // ... lays out without InfeasibleLayout, and needs exactly the memory the advice said.
        expect(() => buildLayout(inp, all), sug.sets.join(' ')).not.toThrow();
        const c = checkLayout(inp, all);
        expect(c.fits).toBe(true);
        expect(formatGB(c.tightest!.need.totalBytes)).toBe(sug.need);
      }
    });
  }

  it('the headline need is the one checkLayout computes', () => {
    const tree = homeTree('llama2-7b', 4, 8, DILOCO);
    const { inp, all } = layoutInput(tree);
    const c = checkLayout(inp, all);
    expect(c.fits).toBe(false);
    expect(infeasible(tree)).toMatch(new RegExp(`^llama2-7b needs ${formatGB(c.tightest!.need.totalBytes)} per GPU on rtx-4090 \\(24\\.0 GB\\): weights `));
    // The example of the README: ZeRO-3 over the 8 GPUs of each home.
    expect(infeasible(homeTree('llama2-7b', 4, 8, DILOCO, { recompute: 'full' }))).toContain('would fit: system.strategy.zero=3 (16.9 GB)');
  });
});

describe('memory advice offers only changes the scenario allows', () => {
  const fieldsOf = (inp: LayoutInput, all: number[]) => candidateChanges(inp, all).flat().flatMap((o) => o.sets);

  it('no tensor parallelism on one-GPU nodes, and only divisors of GPUs per node and of the heads', () => {
    const one = layoutInput(homeTree('llama2-7b', 8, 1, DP));
    expect(fieldsOf(one.inp, one.all).some((s) => s.includes('tensorParallel'))).toBe(false);
    const eight = layoutInput(homeTree('llama2-7b', 2, 8, DP));
    expect(fieldsOf(eight.inp, eight.all).filter((s) => s.includes('tensorParallel'))).toEqual([
      'system.strategy.tensorParallel=2', 'system.strategy.tensorParallel=4', 'system.strategy.tensorParallel=8',
    ]);
    // 6 GPUs per node: 3 divides 6 but not Llama-2 7B's 32 heads.
    const six = layoutInput(homeTree('llama2-7b', 2, 6, DP));
    expect(fieldsOf(six.inp, six.all).filter((s) => s.includes('tensorParallel'))).toEqual(['system.strategy.tensorParallel=2']);
  });

  it('no pipeline parallelism for DiLoCo; data parallel switches kind to pipeline', () => {
    const d = layoutInput(homeTree('llama2-70b', 8, 8, DILOCO));
    expect(fieldsOf(d.inp, d.all).some((s) => s.includes('pipelineParallel') || s.includes('kind='))).toBe(false);
    const p = layoutInput(homeTree('llama2-7b', 8, 1, DP));
    const pipe = candidateChanges(p.inp, p.all).flat().filter((o) => o.sets.some((s) => s.includes('pipelineParallel')));
    expect(pipe.length).toBeGreaterThan(0);
    for (const o of pipe) expect(o.sets[0]).toBe('system.strategy.kind=pipeline');
  });

  it('names the baseline fields when laying out the baseline', () => {
    const { inp, all } = layoutInput(homeTree('llama2-7b', 4, 8, DILOCO));
    const sets = fieldsOf({ ...inp, field: 'baseline' }, all);
    expect(sets).toContain('baseline.strategy.zero=2');
    expect(sets.filter((s) => s.startsWith('system.'))).toEqual([]);
  });

  it('memoryAdvice: each fit passes checkLayout; single changes are preferred to combinations', () => {
    const { inp, all } = layoutInput(homeTree('llama2-7b', 4, 8, DILOCO, { recompute: 'full' }));
    const adv = memoryAdvice(inp, all);
    expect(adv.fits.length).toBeGreaterThan(1);
    for (const a of adv.fits) {
      expect(checkLayout(a.config, all).fits).toBe(true);
      expect(a.sets).toHaveLength(1);
    }
    expect(adv.least).toBeNull();
  });

  it('GPipe holding every micro-batch is told to switch to 1F1B', () => {
    const msg = infeasible(homeTree('llama2-7b', 8, 1, { kind: 'pipeline', pipelineParallel: 2, schedule: 'gpipe' }));
    expect(suggestions(msg).some((s) => s.sets.includes('system.strategy.schedule=1f1b'))).toBe(true);
  });
});

describe('when nothing fits, the message says so plainly', () => {
  it.each([
    ['70B DiLoCo on 4 homes × 8 GPUs', homeTree('llama2-70b', 4, 8, DILOCO)],
    ['70B data parallel on 2 homes × 1 GPU', homeTree('llama2-70b', 2, 1, DP)],
  ])('%s', (_, tree) => {
    const msg = infeasible(tree);
    expect(msg.split('\n')).toHaveLength(1);
    expect(msg).not.toContain('would fit');
    expect(msg).toMatch(/; nothing fits: no change to system\.strategy\.zero, .*training\.recompute.*, alone or combined, fits in 24\.0 GB \(the least is \d+\.\d GB, with \S+=\S+( \+ \S+=\S+)*\); it needs GPUs with more memory, or more GPUs to shard the model over$/);
    // The least is real: applying it loads, and needs what the message says, which does not fit.
    const least = /the least is (\d+\.\d GB), with (.*?)\)/.exec(msg)!;
    const { inp, all } = layoutInput(applyOverrides(tree, least[2].split(' + '), 'home.yaml'));
    const c = checkLayout(inp, all);
    expect(c.fits).toBe(false);
    expect(formatGB(c.tightest!.need.totalBytes)).toBe(least[1]);
  });

  it('and when no field can be changed at all', () => {
    // Already ZeRO-3, full recompute, micro-batch 1, one GPU per node, one DiLoCo group.
    const tree = homeTree('llama2-70b', 2, 1, { ...DILOCO, zero: 3, groups: 1 }, { recompute: 'full' });
    expect(infeasible(tree)).toMatch(/; nothing fits: no strategy or training field can be changed to lower it; it needs GPUs with more memory, or more GPUs to shard the model over$/);
  });
});
