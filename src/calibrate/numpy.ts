/**
 * numpy's float32 matmul (BLAS sgemm) on the same square sizes, as a benchmark peer: what the
 * hardware reaches with a native, tuned library. Optional: python3 with numpy is not a
 * dependency (Debian: `apt-get install -y python3-numpy`); without it the profile says so.
 */
import { spawnSync } from 'node:child_process';

export interface NumpyResult {
  readonly python: string;
  readonly version: string;
  readonly blas: string;
  /** Per size: the BLAS library's default threading, and one thread (the better of the two is the comparison). */
  readonly results: readonly { readonly n: number; readonly medianS: number; readonly gflops: number; readonly singleThreadGflops: number }[];
}

const SCRIPT = String.raw`
import json, sys, time
import numpy as np
sizes = json.loads(sys.argv[1]); runs = int(sys.argv[2])
blas = "unknown"
try:
    cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    blas = "%s %s" % (cfg.get("name", "?"), cfg.get("version", ""))
except Exception:
    pass
rng = np.random.default_rng(1)
out = []
for n in sizes:
    a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    a @ b
    t = time.perf_counter(); a @ b; one = time.perf_counter() - t
    loops = max(1, int(0.02 / max(one, 1e-9)))
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        for _ in range(loops):
            a @ b
        ts.append((time.perf_counter() - t) / loops)
    ts.sort()
    med = ts[len(ts) // 2]
    out.append({"n": n, "medianS": med, "gflops": 2 * n ** 3 / med / 1e9})
print(json.dumps({"version": np.__version__, "blas": blas.strip(), "results": out}))
`;

/** Runs the benchmark; returns null with a reason when python3 or numpy is missing. */
export function numpyBenchmark(python: string, sizes: readonly number[], runs: number): { result: NumpyResult | null; note: string } {
  const all = runOnce(python, sizes, runs, {});
  if (!all.result) return all;
  const one = runOnce(python, sizes, runs, { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
  const single = new Map((one.result?.results ?? []).map((r) => [r.n, r.gflops]));
  return {
    result: { ...all.result, results: all.result.results.map((r) => ({ ...r, singleThreadGflops: single.get(r.n) ?? r.gflops })) },
    note: `${all.note}; also with one BLAS thread (OPENBLAS_NUM_THREADS=1)`,
  };
}

function runOnce(python: string, sizes: readonly number[], runs: number, env: Record<string, string>): { result: NumpyResult | null; note: string } {
  const r = spawnSync(python, ['-c', SCRIPT, JSON.stringify(sizes), String(runs)], { encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...env } });
  if (r.error) return { result: null, note: `numpy benchmark not run: ${python}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}` };
  if (r.status !== 0) {
    const last = (r.stderr || '').trim().split('\n').pop() ?? '';
    return { result: null, note: `numpy benchmark not run: ${python} exited ${r.status}${last ? ` (${last})` : ''}` };
  }
  try {
    const j = JSON.parse(r.stdout.trim().split('\n').pop()!) as Omit<NumpyResult, 'python'>;
    return { result: { python, ...j }, note: `numpy ${j.version} (${j.blas}) float32 a @ b, median of ${runs} samples (each ≥ 20 ms of repeated calls) after one warm-up` };
  } catch {
    return { result: null, note: `numpy benchmark not run: unexpected output from ${python}` };
  }
}
