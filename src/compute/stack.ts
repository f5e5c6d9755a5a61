/**
 * Software-stack efficiency: the share of the modelled kernel time (GEMMs at their measured
 * efficiency + element-wise kernels at memory bandwidth) that a real training framework
 * achieves end to end on one node (kernel launches, unfused ops, optimizer, data loading).
 *
 * Fitted once, by `bench/calibrate-stack.ts`, to the llm-foundry FSDP benchmark table
 * [V FOUNDRY: mosaicml/llm-foundry scripts/train/benchmarking/README.md] (1b, 3b, 7b, 30b on 8 GPUs and 70b on 64 GPUs, seq 2048):
 * published MFU ÷ dtsim MFU without this factor. A100-80GB: 0.856, 0.861, 0.840, 0.916, 0.893
 * → mean 0.873. H100 SXM: 0.714 (1b), 0.700 (7b), 0.711 (30b), 0.814 (70b) → mean 0.735.
 * These runs are not among the validation cases (Megatron, Llama 2, INTELLECT-1, Yuan et al.).
 * Other GPUs take the mean of the two, 0.80 [D], until gpu.js calibration profiles measure them.
 */
const FITTED: Readonly<Record<string, number>> = {
  ampere: 0.873,
  hopper: 0.735,
};

const FAMILY: Readonly<Record<string, keyof typeof FITTED>> = {
  'a100-40gb': 'ampere', 'a100-80gb': 'ampere',
  'h100-sxm': 'hopper', 'h100-pcie': 'hopper', h800: 'hopper', h200: 'hopper', h20: 'hopper',
};

export const DEFAULT_STACK_EFFICIENCY = 0.8;

export function stackEfficiency(gpuId: string): number {
  // A catalog GPU with a calibration profile is "<id>@<profile>" (src/calibrate/apply.ts): same family.
  const family = FAMILY[gpuId.split('@')[0]];
  return family ? FITTED[family] : DEFAULT_STACK_EFFICIENCY;
}
