/**
 * gpu.js matrix-multiply kernels: C[m×n] = A[m×k] · B[k×n], float32 in and out.
 *
 * Kernel sources are plain strings, not TypeScript functions: gpu.js parses the source text
 * of a kernel, and a transpiled function (tsx, vitest) need not be the text we wrote.
 *
 * - `naive`: the matmul of the gpu.js README, one output per thread, B read down a column.
 * - `bt`: B passed transposed (Bᵀ, n×k), so both operands are read along rows.
 * - `bt-r4`: Bᵀ and a 4×1 register tile: each thread returns Array(4), the outputs of 4
 *   consecutive rows of C in one column, so one Bᵀ load feeds 4 multiply-adds; the inner loop
 *   is unrolled by 2. On the WebAssembly backend the SIMD path runs 4 adjacent columns per
 *   step (gpu.js WebAssemblyKernel.dispatchSpans), which makes it a 4×4 tile per SIMD step
 *   (gpu.js gathers a lane-varying read with 4 scalar loads, so fewer of them per FLOP is the
 *   main gain); on GL and WebGPU it is one vec4 output per invocation. Needs m divisible by 4
 *   and k even.
 *
 * Thread ids: thread.x walks the n columns of C, thread.y the m rows (m/4 for bt-r4).
 */

export type KernelName = 'naive' | 'bt' | 'bt-r4';
export const KERNEL_NAMES: readonly KernelName[] = ['naive', 'bt', 'bt-r4'];

export interface KernelDef {
  /** Name recorded in the profile. */
  readonly name: string;
  /** Whether the second argument is B (k×n) or Bᵀ (n×k). */
  readonly layout: 'b' | 'bt';
  /** Output rows per thread: 1 (returns a number) or 4 (returns Array(4)). */
  readonly rows: 1 | 4;
  /** The inner loop's step: k must be a multiple of it. */
  readonly kStep: 1 | 2;
  /** gpu.js kernel source; the inner dimension is `this.constants.k`. */
  readonly source: string;
  readonly description: string;
}

export const KERNELS: Readonly<Record<KernelName, KernelDef>> = {
  naive: {
    name: 'naive',
    layout: 'b',
    rows: 1,
    kStep: 1,
    source: `function (a, b) {
  let sum = 0;
  for (let i = 0; i < this.constants.k; i++) {
    sum += a[this.thread.y][i] * b[i][this.thread.x];
  }
  return sum;
}`,
    description: 'gpu.js README matmul: one output per thread, B read down a column',
  },
  bt: {
    name: 'bt',
    layout: 'bt',
    rows: 1,
    kStep: 1,
    source: `function (a, bt) {
  let sum = 0;
  for (let i = 0; i < this.constants.k; i++) {
    sum += a[this.thread.y][i] * bt[this.thread.x][i];
  }
  return sum;
}`,
    description: 'B transposed: both operands read along rows',
  },
  'bt-r4': {
    name: 'bt-r4',
    layout: 'bt',
    rows: 4,
    kStep: 2,
    source: `function (a, bt) {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const y = this.thread.y * 4;
  for (let i = 0; i < this.constants.k; i += 2) {
    const b = bt[this.thread.x][i];
    const c = bt[this.thread.x][i + 1];
    s0 += a[y][i] * b + a[y][i + 1] * c;
    s1 += a[y + 1][i] * b + a[y + 1][i + 1] * c;
    s2 += a[y + 2][i] * b + a[y + 2][i + 1] * c;
    s3 += a[y + 3][i] * b + a[y + 3][i + 1] * c;
  }
  return [s0, s1, s2, s3];
}`,
    description: 'B transposed, 4×1 register tile per thread (4×4 per WebAssembly SIMD step), inner loop unrolled by 2',
  },
};

/** The fastest kernel that fits the shape: bt-r4 when m is a multiple of 4 and k even, else bt. */
export function bestKernelFor(m: number, k: number): KernelDef {
  return kernelFits(KERNELS['bt-r4'], m, k) ? KERNELS['bt-r4'] : KERNELS.bt;
}

/** Whether `def` can compute an m×k · k×n product. */
export function kernelFits(def: KernelDef, m: number, k: number): boolean {
  return m % def.rows === 0 && k % def.kStep === 0;
}

/** Bᵀ (n×k, row-major) of B (k×n, row-major). */
export function transpose(b: Float32Array, k: number, n: number): Float32Array {
  const t = new Float32Array(n * k);
  for (let p = 0; p < k; p++) {
    const row = p * n;
    for (let j = 0; j < n; j++) t[j * k + p] = b[row + j];
  }
  return t;
}

/**
 * A gpu.js result as a flat row-major m×n Float32Array. Scalar kernels return m rows of n
 * floats; bt-r4 returns m/4 rows of n Float32Array(4) holding rows 4y..4y+3 of column x.
 */
export function flatten(out: unknown, m: number, n: number, rows: 1 | 4): Float32Array {
  const c = new Float32Array(m * n);
  const outer = out as ArrayLike<ArrayLike<number | ArrayLike<number>>>;
  if (!outer || typeof outer.length !== 'number' || outer.length !== m / rows) {
    throw new Error(`kernel returned ${describeShape(out)}, expected ${m / rows} rows`);
  }
  for (let y = 0; y < m / rows; y++) {
    const row = outer[y];
    if (!row || row.length !== n) throw new Error(`kernel row ${y} has ${row ? row.length : 'no'} entries, expected ${n}`);
    if (rows === 1) {
      for (let x = 0; x < n; x++) c[y * n + x] = row[x] as number;
    } else {
      for (let x = 0; x < n; x++) {
        const v = row[x] as ArrayLike<number>;
        for (let r = 0; r < 4; r++) c[(4 * y + r) * n + x] = v[r];
      }
    }
  }
  return c;
}

function describeShape(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object' && 'length' in (v as object)) return `${(v as { constructor: { name: string } }).constructor.name} of length ${(v as ArrayLike<unknown>).length}`;
  return typeof v;
}

/** Seeded uniform values in [-1, 1) as float32 (a 32-bit LCG: reproducible, fast, not for statistics). */
export function randomMatrix(count: number, seed: number): Float32Array {
  const a = new Float32Array(count);
  let s = (seed * 2654435761) >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 4294967296) * 2 - 1;
  }
  return a;
}
