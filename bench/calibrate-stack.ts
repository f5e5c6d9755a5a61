// Fits src/compute/stack.ts: published llm-foundry MFU vs dtsim MFU. Run: npx tsx bench/calibrate-stack.ts
// (set the table in stack.ts to 1.0 first to refit; the printed ratios are the new factors).
import { scenarioFromTree } from '../src/scenario/load.ts';
import { simulate } from '../src/sim/simulate.ts';
// llm-foundry benchmark rows [V] (mosaicml/llm-foundry scripts/train/benchmarking/README.md, commit 061f2c7c): FSDP full shard, seq 2048, 8 GPUs unless noted.
const shapes: Record<string, any> = {
  '1b': { layers: 24, hidden: 2048, heads: 16 }, '3b': { layers: 32, hidden: 2560, heads: 20 },
  '7b': { layers: 32, hidden: 4096, heads: 32 }, '13b': { layers: 40, hidden: 5120, heads: 40 },
  '30b': { layers: 48, hidden: 7168, heads: 56 }, '70b': { layers: 80, hidden: 8192, heads: 64 },
};
const rows: [string, string, number, number, string][] = [
  ['a100-80gb', '1b', 8, 59.86, 'none'], ['a100-80gb', '3b', 8, 62.11, 'none'], ['a100-80gb', '7b', 8, 64.23, 'none'],
  ['a100-80gb', '13b', 8, 59.57, 'none'], ['a100-80gb', '30b', 8, 55.30, 'full'], ['a100-80gb', '70b', 64, 53.33, 'full'],
  ['h100-sxm', '1b', 8, 41.82, 'none'], ['h100-sxm', '7b', 8, 46.44, 'none'], ['h100-sxm', '13b', 8, 39.79, 'none'],
  ['h100-sxm', '30b', 8, 38.11, 'full'], ['h100-sxm', '70b', 64, 42.57, 'full'],
];
for (const [gpu, size, gpus, pub, rc] of rows) {
  const tree = {
    name: 'cal', model: { ...shapes[size], vocab: 50368, seqLength: 2048, ffn: 'gelu' },
    training: { tokens: 2e9, batchSequences: 512, microBatch: gpu === 'h100-sxm' && size === '70b' ? 2 : 4, recompute: rc },
    system: { sites: [{ name: 's', kind: 'hyperscaler', nodes: [{ gpu, count: gpus / 8, gpusPerNode: 8 }] }],
      strategy: { kind: 'data-parallel', zero: 3 }, faults: { failures: false } },
  };
  try {
    const r = simulate(scenarioFromTree(tree, 'cal'));
    console.log(gpu, size, gpus, 'published', pub, 'dtsim', (100 * r.run.mfu).toFixed(2), 'ratio', (pub / (100 * r.run.mfu)).toFixed(3));
  } catch (e) { console.log(gpu, size, (e as Error).message.slice(0, 200)); }
}
