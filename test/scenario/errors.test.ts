import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ScenarioError, loadScenario, readScenarioTree, applyOverrides, scenarioFromTree } from '../../src/scenario/load';
import { InfeasibleLayout } from '../../src/strategy/layout';
import { simulate } from '../../src/sim/simulate';
import { tree, homeSite, link } from '../sim/fixtures';

/** The ScenarioError thrown for `t` (fails the test if none is). */
function errorOf(t: unknown, file = 'test.yaml'): ScenarioError {
  try {
    scenarioFromTree(t, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

const sys = (t: Record<string, unknown>) => t.system as Record<string, any>;

describe('scenario errors name the file, the field and what was expected', () => {
  it('a wrong unit: data size where a data rate belongs', () => {
    const t = tree();
    sys(t).sites[0].wan = { up: '10 GB', down: '1 Gbit/s', latency: '10 ms' };
    const e = errorOf(t, 'my-run.yaml');
    expect(e.message).toContain('my-run.yaml');
    expect(e.message).toContain('system.sites[0].wan.up');
    expect(e.message).toContain('expected a data rate');
    expect(e.message).toContain('"10 GB"');
    expect(e.file).toBe('my-run.yaml');
    expect(e.issues.map((i) => i.path)).toEqual(['system.sites[0].wan.up']);
    // One line per problem: "file: path: message".
    expect(e.message).toMatch(/^my-run\.yaml: system\.sites\[0\]\.wan\.up: expected a data rate like .*, got "10 GB"$/);
  });

  it('a bare number for a quantity, and several problems at once', () => {
    const t = tree();
    sys(t).sites[1].fabricLatency = 5; // "5" what? seconds? ms?
    (t.training as Record<string, unknown>).tokens = 'lots';
    const e = errorOf(t);
    const paths = e.issues.map((i) => i.path);
    expect(paths).toContain('system.sites[1].fabricLatency');
    expect(paths).toContain('training.tokens');
    expect(e.message).toMatch(/system\.sites\[1\]\.fabricLatency: expected a duration/);
    expect(e.message.split('\n')).toHaveLength(e.issues.length);
  });

  it('unknown fields are named, wherever they are', () => {
    const t = tree({ colour: 'blue' });
    sys(t).strategy.innerStep = 10; // typo of innerSteps
    const e = errorOf(t);
    expect(e.message).toContain("unknown field 'colour'");
    expect(e.message).toMatch(/system\.strategy: unknown field 'innerStep'/);
  });

  it('an unknown GPU id lists the known ones', () => {
    const t = tree();
    sys(t).sites[0].nodes[0].gpu = 'h900';
    const e = errorOf(t);
    expect(e.message).toContain('system.sites[0].nodes[0].gpu');
    expect(e.message).toContain("unknown GPU 'h900'");
    for (const id of ['h100-sxm', 'a100-80gb', 'rtx-4090', 'mi300x']) expect(e.message).toContain(id);
  });

  it('unknown presets and enum values list the choices', () => {
    const t = tree({ model: 'llama9' });
    expect(errorOf(t).message).toMatch(/model: unknown model preset 'llama9'; expected one of: .*llama2-7b/);
    const u = tree();
    sys(u).strategy.kind = 'fsdp';
    expect(errorOf(u).message).toMatch(/system\.strategy\.kind: expected one of "data-parallel", "pipeline", "diloco", got "fsdp"/);
    const w = tree();
    sys(w).sites[0].wan = 'carrier-pigeon';
    expect(errorOf(w).message).toMatch(/system\.sites\[0\]\.wan: unknown access link 'carrier-pigeon'; expected one of: .*fiber/);
  });

  it('DiLoCo without H says so', () => {
    const t = tree();
    sys(t).strategy = { kind: 'diloco' };
    expect(errorOf(t).message).toContain('system.strategy.innerSteps: expected the number of inner steps H');
  });
});

describe('an infeasible memory layout', () => {
  /** The InfeasibleLayout message simulate() gives for a scenario tree (fails the test if none). */
  function infeasibleMessage(t: unknown, file: string): string {
    let err: unknown;
    try {
      simulate(scenarioFromTree(t, file));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InfeasibleLayout);
    return (err as Error).message;
  }

  it('is an InfeasibleLayout naming the GB needed, the GPU, and saying plainly when nothing fits', () => {
    // Llama-2 70B with Adam (2 + 2 + 12 B/param ≈ 1.1 TB of states) on two single 24 GB RTX 4090s:
    // no ZeRO stage, pipeline or recompute setting brings that within 2 × 24 GB. It is a valid
    // scenario file; only simulating it fails.
    const t = tree({ model: 'llama2-70b', training: { tokens: 1e9, batchTokens: 4e6 } });
    sys(t).sites = [homeSite('a', 'fiber', 1, 'rtx-4090'), homeSite('b', 'fiber', 1, 'rtx-4090')];
    const msg = infeasibleMessage(t, 'big.yaml');
    expect(msg.split('\n')).toHaveLength(1);
    expect(msg).toMatch(/^big\.yaml: system\.strategy: llama2-70b needs \d+(\.\d)? GB per GPU on rtx-4090 \(24\.0 GB\)/);
    expect(msg).toMatch(/weights [\d.]+ GB, gradients [\d.]+ GB, optimizer [\d.]+ GB, activations [\d.]+ GB/);
    // Weights alone: 2 B × ≈ 69 G params ≈ 138 GB.
    expect(msg).toContain('weights 138.0 GB');
    expect(msg).not.toContain('would fit');
    expect(msg).toMatch(/; nothing fits: no change to system\.strategy\.zero, .*alone or combined, fits in 24\.0 GB \(the least is [\d.]+ GB, with [^)]+\); it needs GPUs with more memory, or more GPUs to shard the model over$/);
  });

  it('suggests scenario fields for --set, and each suggestion, applied, runs', () => {
    // Llama-2 7B by DiLoCo over two homes with one 8 × RTX 4090 rig each, ZeRO-1: 39 GB per GPU.
    const t = tree({ model: 'llama2-7b', training: { tokens: 8e6, batchTokens: 4e6, microBatch: 1, recompute: 'full' } });
    sys(t).sites = [1, 2].map((i) => ({ name: `home${i}`, kind: 'home', wan: 'fiber', nodes: [{ gpu: 'rtx-4090', gpusPerNode: 8 }] }));
    sys(t).strategy = { kind: 'diloco', innerSteps: 2, zero: 1 };
    const msg = infeasibleMessage(t, 'home.yaml');
    expect(msg).toMatch(/^home\.yaml: system\.strategy: llama2-7b needs 39\.3 GB per GPU on rtx-4090 \(24\.0 GB\): .*; would fit: system\.strategy\.zero=3 \(16\.9 GB\); system\.strategy\.tensorParallel=4 \(17\.4 GB\)$/);
    const suggestions = msg.slice(msg.indexOf('would fit: ') + 'would fit: '.length).split('; ').map((x) => x.replace(/ \(.*\)$/, '').split(' + '));
    for (const sets of suggestions) {
      const r = simulate(scenarioFromTree(applyOverrides(t, sets, 'home.yaml'), 'home.yaml'));
      expect(r.run.finished, sets.join(' ')).toBe(true);
    }
  });
});

describe('extends and overrides', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtsim-scenario-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('extends merges a base file: objects key by key, lists replaced, paths relative to the file', () => {
    const base = tree({ name: 'base', description: 'the base' });
    writeFileSync(join(dir, 'base.yaml'), stringify(base));
    // The child changes the budget and H, and replaces the site list with one fast pair.
    const child = {
      extends: './base.yaml',
      name: 'child',
      training: { tokens: 5e8 },
      system: {
        sites: [homeSite('x', link('10 Gbit/s', '5 ms')), homeSite('y', link('10 Gbit/s', '5 ms'))],
        strategy: { innerSteps: 50 },
      },
    };
    writeFileSync(join(dir, 'child.yaml'), stringify(child));
    const s = loadScenario(join(dir, 'child.yaml'));
    expect(s.name).toBe('child');
    expect(s.description).toBe('the base');
    expect(s.training.tokens).toBe(5e8);
    // Kept from the base: batch, micro-batch, model, DiLoCo kind and grouping.
    expect(s.training.globalBatchTokens).toBe(262144);
    expect(s.training.microBatchSeqs).toBe(4);
    expect(s.model.hidden).toBe(512);
    expect(s.run.strategy.kind).toBe('diloco');
    expect(s.run.strategy.diloco).toMatchObject({ innerSteps: 50, groups: 'site' });
    expect(s.run.faults.failures).toBe(false);
    // Replaced: the list of sites, with the child's links.
    expect(s.run.topology.sites.map((x) => x.name)).toEqual(['x', 'y']);
    expect(s.run.topology.sites[0].wan.uplinkBytesPerS).toBe(1.25e9);
    // A grandchild two levels down, in another folder.
    writeFileSync(join(dir, 'grand.json'), JSON.stringify({ extends: 'child.yaml', seed: 99 }));
    const g = loadScenario(join(dir, 'grand.json'));
    expect(g.seed).toBe(99);
    expect(g.training.tokens).toBe(5e8);
    expect(g.run.strategy.diloco?.innerSteps).toBe(50);
    // And it runs.
    expect(simulate(g).run.finished).toBe(true);
  });

  it('errors in a merged tree still name the file loaded, and cycles are reported', () => {
    writeFileSync(join(dir, 'bad.yaml'), stringify({ extends: 'base.yaml', system: { sites: [{ ...homeSite('z', { up: '1 Gbit', down: '1 Gbit/s', latency: '1 ms' }) }] } }));
    let err: unknown;
    try {
      loadScenario(join(dir, 'bad.yaml'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as Error).message).toContain('bad.yaml: system.sites[0].wan.up: expected a data rate');
    writeFileSync(join(dir, 'a.yaml'), 'extends: b.yaml\n');
    writeFileSync(join(dir, 'b.yaml'), 'extends: a.yaml\n');
    expect(() => readScenarioTree(join(dir, 'a.yaml'))).toThrow(/extends cycle/);
    expect(() => loadScenario(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml: cannot read file/);
  });

  it('--set overrides reach into lists and parse values as YAML', () => {
    const t = applyOverrides(tree(), ['system.sites[1].wan.up=2 Gbit/s', 'system.strategy.innerSteps=25', 'seed=3'], 'test.yaml');
    const s = scenarioFromTree(t, 'test.yaml');
    expect(s.run.topology.sites[1].wan.uplinkBytesPerS).toBe(2.5e8);
    expect(s.run.topology.sites[0].wan.uplinkBytesPerS).toBe(1.25e8);
    expect(s.run.strategy.diloco?.innerSteps).toBe(25);
    expect(s.seed).toBe(3);
    const bad = applyOverrides(tree(), ['system.sites[0].wan.latency=fast'], 'test.yaml');
    expect(errorOf(bad).message).toContain('system.sites[0].wan.latency: expected a duration');
    expect(() => applyOverrides(tree(), ['nonsense'], 'test.yaml')).toThrow(/--set expects path=value/);
  });
});
