import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCalibration } from '../../src/calibrate/runner';
import { buildCurve, isotonic, loadProfile, profileJsonSchema, ProfileError, type Profile } from '../../src/calibrate/profile';

let good: Profile;
const dir = mkdtempSync(join(tmpdir(), 'dtsim-profile-'));

beforeAll(async () => {
  good = await runCalibration({
    name: 'fixture', backends: [{ name: 'cpu' }], sizes: [32, 64], runs: 5, naiveMaxSize: 0, maxRunSeconds: 10,
    allowFallback: false, python: null, seed: 1,
  });
});

/** Writes `good` changed by `edit` and returns the error message of loading it. */
function loadError(name: string, edit: (p: Record<string, any>) => void): string {
  const p = structuredClone(good) as Record<string, any>;
  edit(p);
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(p));
  try {
    loadProfile(file);
  } catch (e) {
    expect(e).toBeInstanceOf(ProfileError);
    const msg = (e as Error).message;
    expect(msg.split('\n')).toHaveLength(1);
    expect(msg.startsWith(`${file}: `)).toBe(true);
    return msg.slice(file.length + 2);
  }
  throw new Error(`${name}: loaded without error`);
}

describe('bad profile files: one line naming the file and the field', () => {
  it('missing fields', () => {
    expect(loadError('no-plateau', (p) => delete p.plateau)).toMatch(/^plateau: expected string, got nothing/);
    expect(loadError('no-medians', (p) => delete p.measurements[0].medianS)).toMatch(/^measurements\[0\]\.medianS: expected number/);
  });

  it('wrong units', () => {
    expect(loadError('peak-bytes', (p) => { p.peak.fp32 = '166 GB/s'; })).toMatch(/^peak\.fp32: expected a compute rate like "989\.4 TFLOP\/s", got "166 GB\/s"/);
    expect(loadError('plateau-number', (p) => { p.plateau = 2.3; })).toMatch(/^plateau: expected string, got 2\.3/);
    expect(loadError('gflops-in-flops', (p) => { p.measurements[0].gflops *= 1e9; })).toMatch(/^measurements\[0\]\.gflops: expected flop ÷ medianS = .* GFLOP\/s, got .* \(wrong units\?/);
    expect(loadError('ms-not-s', (p) => { p.measurements[0].medianS *= 1000; })).toMatch(/^measurements\[0\]\.gflops: .*wrong units/);
    expect(loadError('percent', (p) => { p.curve.points[0][1] = 45; })).toMatch(/^curve\.points\[0\]: efficiency 45 is above 1\.1: give a fraction of the plateau, not a percent/);
    expect(loadError('gflop-axis', (p) => { p.curve.points = p.curve.points.map(([f, e]: number[]) => [f / 1e9, e]); })).toMatch(/^curve\.points\[0\]: GEMM size .* is not a FLOP count/);
  });

  it('a curve that does not rise where it must', () => {
    expect(loadError('decreasing', (p) => { p.curve.points = [[1e6, 0.5], [1e7, 0.3], [1e8, 1]]; })).toMatch(/^curve\.points\[1\]: efficiency must not decrease below the plateau \(0\.5 at 1000000 FLOP, then 0\.3 at 10000000\)/);
    expect(loadError('unsorted', (p) => { p.curve.points = [[1e7, 0.5], [1e6, 0.6], [1e8, 1]]; })).toMatch(/^curve\.points\[1\]: GEMM sizes must be strictly ascending/);
    expect(loadError('no-plateau-point', (p) => { p.curve.points = [[1e6, 0.5], [1e8, 0.9]]; })).toMatch(/^curve\.points\[1\]: the highest point is the plateau and must be 1, got 0\.9/);
  });

  it('a curve may fall past its plateau (caches on CPUs)', () => {
    const p = structuredClone(good) as Record<string, any>;
    p.curve.points = [[1e6, 0.5], [1e7, 1], [1e8, 0.6]];
    const file = join(dir, 'falls.json');
    writeFileSync(file, JSON.stringify(p));
    expect(loadProfile(file).curve.points).toHaveLength(3);
  });

  it('an unknown backend, and a CPU run labelled a GPU', () => {
    expect(loadError('metal', (p) => { p.backend = 'metal'; })).toMatch(/^backend: expected "cpu" or "webasm" or "headlessgl" or "webgpu", got "metal"/);
    expect(loadError('cpu-as-gpu', (p) => { p.device.kind = 'gpu'; })).toMatch(/^device\.kind: a cpu run executes on the CPU and cannot be labelled a GPU/);
    expect(loadError('few-runs', (p) => { p.measurements[0].runs = 3; })).toMatch(/^measurements\[0\]\.runs: /);
  });

  it('a file that is not there or not JSON', () => {
    expect(() => loadProfile(join(dir, 'none.json'))).toThrow(/none\.json: cannot read profile \(ENOENT\)/);
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(() => loadProfile(join(dir, 'bad.json'))).toThrow(/bad\.json: not valid JSON/);
  });
});

describe('the efficiency curve', () => {
  it('fits measured throughput non-decreasing (pool adjacent violators)', () => {
    expect(isotonic([1, 3, 2, 4])).toEqual([1, 2.5, 2.5, 4]);
    expect(isotonic([5, 4, 3])).toEqual([4, 4, 4]);
    expect(isotonic([1, 2, 3])).toEqual([1, 2, 3]);
  });

  it('is achieved ÷ the best median against GEMM FLOP, fitted non-decreasing below the best', () => {
    const { curve, plateauFlopS } = buildCurve([
      { flop: 1e6, gflops: 0.5 }, { flop: 1e8, gflops: 2 }, { flop: 1e7, gflops: 0.3 }, { flop: 1e9, gflops: 1.8 }, { flop: 1e7, gflops: 0.5 },
    ], 'test');
    expect(plateauFlopS).toBeCloseTo(2e9, 3);
    // 1e7 (mean 0.4) dips below 1e6 (0.5): both become 0.45; past the plateau 1.8 is kept.
    expect(curve.points.map(([f, e]) => [f, Number(e.toFixed(6))])).toEqual([[1e6, 0.225], [1e7, 0.225], [1e8, 1], [1e9, 0.9]]);
  });
});

describe('JSON Schema and shipped profiles', () => {
  it('profiles/profile.schema.json is the schema the code exports', () => {
    const shipped = JSON.parse(readFileSync('profiles/profile.schema.json', 'utf8'));
    expect(shipped).toEqual(JSON.parse(JSON.stringify(profileJsonSchema())));
  });

  it('every shipped profile loads', () => {
    const files = readdirSync('profiles').filter((f) => f.endsWith('.json') && f !== 'profile.schema.json');
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const p = loadProfile(join('profiles', f));
      expect(p.curve.points.length).toBeGreaterThan(3);
      expect(p.software.gpujs).toBe('2.24.1');
    }
  });
});
