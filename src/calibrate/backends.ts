/**
 * gpu.js backends: opening one (with the Node set-up WebGPU and headless-gl need), and
 * finding out which one actually ran a kernel.
 *
 * gpu.js picks silently in its auto modes ('gpu', 'async': headless-gl if the `gl` package
 * built and a display exists, else WebAssembly) and a WebAssembly kernel degrades to the cpu
 * backend when it meets a feature it cannot compile (kernel.fallbackReason). So the backend
 * recorded is the class of the kernel that ran, read after its first call, never the mode
 * asked for.
 */
import { createRequire } from 'node:module';
import { GPU } from 'gpu.js';
import { isSoftwareRenderer } from './host';
import { BACKEND_NAMES, type BackendName } from './names';

const require = createRequire(import.meta.url);

export { BACKEND_NAMES, type BackendName };
export type RequestedBackend = BackendName | 'auto';

export interface BackendRequest {
  readonly name: RequestedBackend;
  /** WebAssembly worker threads: 1 = the synchronous single-thread path; >1 = the async contract with a pool. */
  readonly threads?: number;
}

/** Accumulator precision of each backend's kernels (see check.ts). */
export const ACCUMULATION: Readonly<Record<BackendName, 'f32' | 'f64'>> = {
  cpu: 'f64', webasm: 'f32', headlessgl: 'f32', webgpu: 'f32',
};

export class BackendUnavailable extends Error {}

/** Kernel classes of gpu.js 2.24 and the backend each is. HeadlessGLKernel reports mode 'gpu', so the class name decides. */
const CLASS_TO_BACKEND: Readonly<Record<string, BackendName>> = {
  CPUKernel: 'cpu',
  WebAssemblyKernel: 'webasm',
  HeadlessGLKernel: 'headlessgl',
  WebGPUKernel: 'webgpu',
};

export interface KernelIdentity {
  /** The backend that ran, or null for a class this code does not know (e.g. a browser WebGL kernel). */
  readonly backend: BackendName | null;
  readonly className: string;
  /** gpu.js's note when a WebAssembly kernel degraded to the cpu backend. */
  readonly fallbackReason: string | null;
}

/** Identifies the backend behind a kernel run shortcut (the function createKernel returns). */
export function identifyKernel(shortcut: unknown): KernelIdentity {
  const inner = (shortcut as { kernel?: unknown } | null)?.kernel as { constructor?: { name?: string; mode?: string }; fallbackReason?: unknown } | undefined;
  const className = inner?.constructor?.name ?? 'unknown';
  let backend: BackendName | null = CLASS_TO_BACKEND[className] ?? null;
  if (backend === null) {
    // A renamed class (bundlers): fall back on the static mode, which is unambiguous except for GL ('gpu').
    const mode = inner?.constructor?.mode;
    if (mode === 'cpu' || mode === 'webasm' || mode === 'webgpu') backend = mode;
  }
  const reason = inner?.fallbackReason;
  return { backend, className, fallbackReason: typeof reason === 'string' && reason ? reason : null };
}

/** What a backend ran on, as far as it can be asked. */
export interface AdapterInfo {
  readonly description: string;
  /** A software rasterizer or fallback adapter: the "GPU" is the CPU. */
  readonly software: boolean;
  /** WebGPU: the Dawn back end in use (vulkan, metal, d3d12, opengles, ...). */
  readonly api: string | null;
}

export interface OpenBackend {
  readonly request: BackendRequest;
  readonly gpu: GPU;
  /** gpu.js mode passed to new GPU(). */
  readonly mode: string;
  readonly asyncMode: boolean;
  readonly threads: number;
  /** Seconds to create the GPU object and, for WebGPU, the adapter and device. */
  readonly setupS: number;
  /** GPU adapter or GL renderer; null for the CPU backends (described by host.ts). */
  adapter: AdapterInfo | null;
  /** Waits for queued device work (GPU backends) so compute can be timed without readback. */
  readonly sync: ((shortcut: unknown) => Promise<void>) | null;
  close(): Promise<void>;
}

// ---------- WebGPU in Node (the `webgpu` package: Google's Dawn) ----------

interface DawnModule {
  create(flags: string[]): { requestAdapter(o?: unknown): Promise<unknown>; getPreferredCanvasFormat(): string; wgslLanguageFeatures: unknown };
  globals: Record<string, unknown>;
}

let webgpuApi: string | null = null;

/**
 * Installs navigator.gpu from the `webgpu` package: gpu.js reads the global navigator.gpu and
 * never imports `webgpu` itself. Tries Dawn's default back end (Vulkan, Metal or D3D12: a
 * real GPU) first, then its OpenGL ES back end, which needs a compatibility-mode adapter
 * (gpu.js asks for a core one) and, without a display, EGL_PLATFORM=surfaceless.
 * `dawnFlags` (e.g. ["backend=vulkan"]) replaces that search.
 */
async function installWebGpu(dawnFlags: readonly string[] | null): Promise<{ api: string }> {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && !process.env.EGL_PLATFORM) {
    process.env.EGL_PLATFORM = 'surfaceless';
  }
  let dawn: DawnModule;
  try {
    dawn = (await import('webgpu')) as unknown as DawnModule;
  } catch (e) {
    throw new BackendUnavailable(`webgpu backend: cannot load the 'webgpu' package (${(e as Error).message.split('\n')[0]}); it needs glibc ≥ 2.34 on Linux`);
  }
  Object.assign(globalThis, dawn.globals);
  const attempts: { flags: string[]; compat: boolean; api: string }[] = dawnFlags
    ? [{ flags: [...dawnFlags], compat: dawnFlags.some((f) => /opengl/.test(f)), api: dawnFlags.join(',') }]
    : [
      { flags: [], compat: false, api: 'default (vulkan/metal/d3d12)' },
      { flags: ['backend=opengles'], compat: true, api: 'opengles' },
    ];
  for (const a of attempts) {
    const g = dawn.create(a.flags);
    const request = g.requestAdapter.bind(g);
    const ask = (o?: unknown) => request(a.compat ? { featureLevel: 'compatibility', ...(o as object ?? {}) } : o);
    const adapter = await ask().catch(() => null);
    if (!adapter) continue;
    Object.defineProperty(globalThis, 'navigator', {
      configurable: true, writable: true,
      value: { gpu: { requestAdapter: ask, getPreferredCanvasFormat: () => g.getPreferredCanvasFormat(), wgslLanguageFeatures: g.wgslLanguageFeatures } },
    });
    webgpuApi = a.api;
    return { api: a.api };
  }
  throw new BackendUnavailable(`webgpu backend: Dawn found no adapter (tried ${attempts.map((a) => a.api).join(', ')})`);
}

function webgpuContextModule(): { WebGPUContext: { acquire(): Promise<{ adapter: { info?: Record<string, unknown>; isFallbackAdapter?: boolean }; device: { queue: { onSubmittedWorkDone(): Promise<void> } } }>; destroy(): Promise<void> } } {
  return require('gpu.js/src/backend/web-gpu/context.js');
}

function describeWebGpuAdapter(adapter: { info?: Record<string, unknown>; isFallbackAdapter?: boolean }, api: string): AdapterInfo {
  const info = adapter.info ?? {};
  const parts = ['vendor', 'architecture', 'device', 'description'].map((k) => String(info[k] ?? '')).filter(Boolean);
  const description = `${parts.join(' / ') || 'unnamed adapter'} (Dawn ${api})`;
  const fallback = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true;
  return { description, software: isSoftwareRenderer(description, fallback), api };
}

// ---------- headless-gl ----------

function describeGl(gl: { getParameter(p: number): unknown; getExtension(n: string): unknown; RENDERER: number; VENDOR: number; VERSION: number }): AdapterInfo {
  const ext = gl.getExtension('WEBGL_debug_renderer_info') as { UNMASKED_RENDERER_WEBGL: number; UNMASKED_VENDOR_WEBGL: number } | null;
  const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  const vendor = String(ext ? gl.getParameter(ext.UNMASKED_VENDOR_WEBGL) : gl.getParameter(gl.VENDOR));
  const description = `${vendor} / ${renderer} (${String(gl.getParameter(gl.VERSION))})`;
  return { description, software: isSoftwareRenderer(description), api: 'webgl1 (headless-gl / ANGLE)' };
}

// ---------- opening ----------

export interface OpenOptions {
  readonly dawnFlags?: readonly string[] | null;
}

/** Opens a backend, or throws BackendUnavailable with the reason. */
export async function openBackend(request: BackendRequest, opts: OpenOptions = {}): Promise<OpenBackend> {
  const t0 = performance.now();
  const threads = Math.max(1, Math.floor(request.threads ?? 1));
  let mode: string;
  let asyncMode = false;
  let adapter: AdapterInfo | null = null;
  let sync: OpenBackend['sync'] = null;
  switch (request.name) {
    case 'cpu':
      mode = 'cpu';
      break;
    case 'webasm':
      mode = 'webasm';
      asyncMode = threads > 1;
      break;
    case 'auto':
      // gpu.js's own choice with its default (synchronous) contract, so a WebAssembly kernel
      // runs on one thread; the kernel's class tells what it was.
      mode = 'gpu';
      break;
    case 'headlessgl':
      mode = 'headlessgl';
      if (!GPU.isHeadlessGLSupported) {
        throw new BackendUnavailable(
          "headlessgl backend: not available (the optional 'gl' package is not built, or there is no X display: " +
          'install its build dependencies, `npm install gl@8.1.6`, and run under xvfb-run; see README, Calibration)');
      }
      sync = async (shortcut) => {
        (shortcut as { kernel: { context: { finish(): void } } }).kernel.context.finish();
      };
      break;
    case 'webgpu': {
      mode = 'webgpu';
      asyncMode = true;
      const { api } = await installWebGpu(opts.dawnFlags ?? null);
      let ctx;
      try {
        ctx = await webgpuContextModule().WebGPUContext.acquire();
      } catch (e) {
        throw new BackendUnavailable(`webgpu backend: ${(e as Error).message}`);
      }
      adapter = describeWebGpuAdapter(ctx.adapter, api);
      const device = ctx.device;
      sync = () => device.queue.onSubmittedWorkDone();
      break;
    }
    default:
      throw new BackendUnavailable(`unknown backend '${String(request.name)}'; expected one of: ${[...BACKEND_NAMES, 'auto'].join(', ')}`);
  }
  let gpu: GPU;
  try {
    gpu = new GPU({ mode: mode as 'gpu' });
  } catch (e) {
    throw new BackendUnavailable(`${request.name} backend: ${(e as Error).message}`);
  }
  const setupS = (performance.now() - t0) / 1000;
  const open: OpenBackend = {
    request, gpu, mode, asyncMode, threads: request.name === 'webasm' ? threads : 1, setupS, adapter, sync,
    async close() {
      await gpu.destroy();
      if (request.name === 'webgpu') {
        await webgpuContextModule().WebGPUContext.destroy();
        delete (globalThis as { navigator?: unknown }).navigator;
      }
    },
  };
  return open;
}

/** Fills in the adapter of a GL kernel after its first call (the GL context exists only then). */
export function adapterOfKernel(shortcut: unknown, identity: KernelIdentity): AdapterInfo | null {
  if (identity.backend === 'headlessgl') {
    const gl = (shortcut as { kernel?: { context?: unknown } }).kernel?.context;
    if (gl && typeof (gl as { getParameter?: unknown }).getParameter === 'function') return describeGl(gl as Parameters<typeof describeGl>[0]);
    return { description: 'headless-gl (renderer unknown)', software: false, api: 'webgl1 (headless-gl / ANGLE)' };
  }
  if (identity.backend === 'webgpu') {
    const ctx = (shortcut as { kernel?: { context?: { adapter?: { info?: Record<string, unknown> } } } }).kernel?.context;
    if (ctx?.adapter) return describeWebGpuAdapter(ctx.adapter, webgpuApi ?? 'unknown');
  }
  return null;
}

/** gpu.js version, read from its package.json. */
export function gpujsVersion(): string {
  try {
    return (require('gpu.js/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function webgpuVersion(): string | null {
  try {
    return (require('webgpu/package.json') as { version: string }).version;
  } catch {
    return null;
  }
}
