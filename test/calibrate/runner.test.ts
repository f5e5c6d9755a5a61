/**
 * The calibration runner on the CPU backends at small sizes (fast; no GPU, no numpy):
 * every kernel is correct, a deliberately wrong kernel is caught and nothing is written,
 * fallbacks are detected and never labelled a GPU.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GPU } from 'gpu.js';
import { runCalibration, CalibrationError, deviceKind, modelShapes, type CalibrateOptions } from '../../src/calibrate/runner';
import { KERNELS, type KernelDef } from '../../src/calibrate/kernels';
import { BackendUnavailable, identifyKernel, openBackend, type OpenBackend } from '../../src/calibrate/backends';
import { calibrateCommand, type CalibrateArgs } from '../../src/calibrate/cli';
import { loadProfile } from '../../src/calibrate/profile';
import { getPreset } from '../../src/workload/presets';

const base: CalibrateOptions = {
  name: 'test', backends: [{ name: 'cpu' }], sizes: [64], runs: 5, naiveMaxSize: 0, maxRunSeconds: 10,
  allowFallback: false, python: null, seed: 3,
};

/** The README kernel with its loop one term short: a plausible bug. */
const WRONG: KernelDef = {
  ...KERNELS.naive,
  name: 'wrong',
  source: KERNELS.naive.source.replace('i < this.constants.k', 'i < this.constants.k - 1'),
};

describe('kernels on the CPU backends', () => {
  for (const backend of [{ name: 'cpu' as const }, { name: 'webasm' as const, threads: 1 }, { name: 'webasm' as const, threads: 2 }]) {
    it(`naive, bt and bt-r4 agree with float64 on ${backend.name}×${backend.threads ?? 1}`, async () => {
      const p = await runCalibration({
        ...base, backends: [backend], sizes: [64],
        kernels: [KERNELS.naive, KERNELS.bt, KERNELS['bt-r4']],
        model: { name: 'tiny', microBatch: 1, shape: { ...getPreset('gpt3-xl'), hidden: 64, heads: 4, kvHeads: 4, ffnHidden: 96, seqLength: 20 } },
      });
      expect(p.backend).toBe(backend.name);
      expect(p.kernelClass).toBe(backend.name === 'cpu' ? 'CPUKernel' : 'WebAssemblyKernel');
      expect(p.device.kind).toBe('cpu');
      const kernels = new Set(p.measurements.map((m) => m.kernel));
      expect(kernels).toEqual(new Set(['naive', 'bt', 'bt-r4']));
      for (const m of p.measurements) {
        expect(m.check.worstRatio).toBeLessThan(1);
        expect(m.check.accumulation).toBe(backend.name === 'cpu' ? 'f64' : 'f32');
        expect(m.runs).toBe(5);
        expect(m.gflops).toBeCloseTo(m.flop / m.medianS / 1e9, 2);
        expect(m.firstCallS).toBeGreaterThan(0);
      }
      // Rectangular layer shapes (20 tokens: m = 20, a multiple of 4) ran too.
      expect(p.measurements.some((m) => m.label === 'qkv' && m.m === 20 && m.n === 192 && m.k === 64)).toBe(true);
      expect(Math.max(...p.curve.points.map((q) => q[1]))).toBe(1);
    });
  }

  it('lists the GEMMs of one layer at micro-batch × sequence tokens', () => {
    const shapes = modelShapes({ name: 'gpt3-xl', microBatch: 2, shape: { ...getPreset('gpt3-xl'), seqLength: 256 } });
    expect(shapes.map((s) => s.label)).toEqual(['qkv', 'attn-scores', 'attn-values', 'attn-out', 'ffn-up', 'ffn-down']);
    expect(shapes[0]).toMatchObject({ m: 512, n: 3 * 2048, k: 2048 });
    expect(shapes[1]).toMatchObject({ m: 256, n: 256, k: 128 });
  });
});

describe('correctness check', () => {
  it('a deliberately wrong kernel aborts the run with the entry, the error and the tolerance', async () => {
    for (const backend of [{ name: 'cpu' as const }, { name: 'webasm' as const, threads: 1 }]) {
      const run = runCalibration({ ...base, backends: [backend], kernels: [WRONG] });
      await expect(run).rejects.toBeInstanceOf(CalibrationError);
      await expect(run).rejects.toThrow(/kernel wrong 64×64×64: first result is wrong at C\[\d+\]\[\d+\]: got .*float64 reference .*> tolerance .*(f64|f32) accumulation over k = 64\); no profile written/);
    }
  });

  it('the command writes no profile and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtsim-cal-'));
    const out = join(dir, 'p.json');
    const err: string[] = [];
    const code = await calibrateCommand(args({ backend: 'cpu', out }), { out: { write: () => true }, err: { write: (s: string) => err.push(s) } }, [WRONG]);
    expect(code).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(dir, 'calibration.html'))).toBe(false);
    expect(err.join('')).toMatch(/dtsim calibrate: cpu \(CPUKernel\) kernel wrong .* is wrong at C/);
  });
});

describe('which backend ran', () => {
  it('identifies kernels by class, not by the mode asked for', () => {
    class HeadlessGLKernel { static mode = 'gpu'; }
    class CPUKernel { static mode = 'cpu'; fallbackReason = 'webasm: unsupported feature'; }
    class Renamed { static mode = 'webasm'; }
    expect(identifyKernel({ kernel: new HeadlessGLKernel() })).toEqual({ backend: 'headlessgl', className: 'HeadlessGLKernel', fallbackReason: null });
    expect(identifyKernel({ kernel: new CPUKernel() })).toMatchObject({ backend: 'cpu', fallbackReason: 'webasm: unsupported feature' });
    expect(identifyKernel({ kernel: new Renamed() }).backend).toBe('webasm');
    expect(identifyKernel({}).backend).toBeNull();
  });

  it('auto records what gpu.js picked, as a CPU device when it is a CPU backend', async () => {
    const p = await runCalibration({ ...base, backends: [{ name: 'auto' }] });
    const b = p.backends[0];
    expect(b.requested).toBe('auto');
    expect(['cpu', 'webasm', 'headlessgl', 'webgpu']).toContain(b.backend);
    expect(b.kernelClass).toBe(p.measurements[0].kernelClass);
    if (b.backend === 'cpu' || b.backend === 'webasm') expect(p.device.kind).toBe('cpu');
  });

  it('a fallback (GL asked, CPUKernel ran) stops the run, or is recorded as cpu with --allow-fallback', async () => {
    // A "headlessgl" backend whose kernels are really gpu.js's cpu ones: what a silent fallback looks like.
    const fake: typeof openBackend = async (request) => {
      const real = await openBackend({ name: 'cpu' });
      return { ...real, request } as OpenBackend;
    };
    const asked = { ...base, backends: [{ name: 'headlessgl' as const }], open: fake };
    await expect(runCalibration(asked)).rejects.toThrow(/asked for the headlessgl backend, but gpu.js ran CPUKernel; rerun with --allow-fallback/);
    const p = await runCalibration({ ...asked, allowFallback: true });
    expect(p.backend).toBe('cpu');
    expect(p.backends[0]).toMatchObject({ requested: 'headlessgl', backend: 'cpu', kernelClass: 'CPUKernel', deviceKind: 'cpu' });
    expect(p.device.kind).toBe('cpu');
  });

  it('a GPU backend that is not there is a clear error', async () => {
    if (GPU.isHeadlessGLSupported) return; // a machine with headless-gl built and a display
    await expect(openBackend({ name: 'headlessgl' })).rejects.toBeInstanceOf(BackendUnavailable);
    await expect(openBackend({ name: 'headlessgl' })).rejects.toThrow(/headlessgl backend: not available/);
  });

  it('software rasterizers and the CPU backends are never a GPU', () => {
    expect(deviceKind('webasm', null)).toBe('cpu');
    expect(deviceKind('cpu', { description: 'NVIDIA RTX 4090', software: false, api: null })).toBe('cpu');
    expect(deviceKind('webgpu', { description: 'llvmpipe (LLVM 15)', software: true, api: 'opengles' })).toBe('cpu');
    expect(deviceKind('webgpu', { description: 'nvidia / ada / RTX 4090', software: false, api: 'vulkan' })).toBe('gpu');
    expect(deviceKind('headlessgl', null)).toBe('cpu');
  });
});

describe('dtsim calibrate', () => {
  it('writes a profile that loads, and calibration.html beside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtsim-cal-'));
    const out = join(dir, 'small.json');
    const text: string[] = [];
    const err: string[] = [];
    const code = await calibrateCommand(args({ backend: 'cpu,webasm:1', sizes: '32,64', naiveMax: 64, out }),
      { out: { write: (s: string) => text.push(s) }, err: { write: (s: string) => err.push(s) } });
    expect(code).toBe(0);
    const p = loadProfile(out);
    expect(p.backends.map((b) => b.backend)).toEqual(['cpu', 'webasm']);
    expect(p.measurements.filter((m) => m.kernel === 'naive')).toHaveLength(4);
    const html = readFileSync(join(dir, 'calibration.html'), 'utf8');
    expect(html).toMatch(/<svg[^>]*>/);
    expect(html).toMatch(/FP32 peak/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    // Not a TTY: plain progress lines, no carriage returns.
    expect(err.join('')).toMatch(/^calibrate \[1\/\d+\] cpu bt-r4 32×32×32: /m);
    expect(err.join('')).not.toMatch(/\r/);
    expect(text.join('')).toMatch(/wrote .*small\.json/);
  });

  it('rejects bad options with exit code 2', async () => {
    const err: string[] = [];
    const io = { out: { write: () => true }, err: { write: (s: string) => err.push(s) } };
    expect(await calibrateCommand(args({ backend: 'metal' }), io)).toBe(2);
    expect(await calibrateCommand(args({ runs: 3 }), io)).toBe(2);
    expect(await calibrateCommand(args({ model: 'gpt-9' }), io)).toBe(2);
    expect(err.join('')).toMatch(/unknown backend 'metal'[\s\S]*at least 5[\s\S]*unknown preset 'gpt-9'/);
  });
});

function args(over: Partial<CalibrateArgs>): CalibrateArgs {
  return {
    backend: 'cpu', sizes: '64', microBatch: 1, runs: 5, naiveMax: 0, maxRunSeconds: 10, python: 'python3', numpy: false,
    allowFallback: false, seed: 1, json: false, schema: false, quiet: false, ...over,
  };
}
