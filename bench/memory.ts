/**
 * Peak memory of a synchronous computation. The process RSS is sampled from a worker
 * thread (it keeps running while the main thread is busy), and cross-checked against the
 * kernel's high-water mark (getrusage maxrss). The V8 heap of the main thread can only be
 * read from the main thread: callers sample it with `sampleHeap()` at convenient points.
 */
import { Worker } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';

const SAMPLER = `
const { workerData } = require('node:worker_threads');
const peak = new Int32Array(workerData.buffer);
const tick = () => {
  const kib = Math.ceil(process.memoryUsage.rss() / 1024);
  if (kib > Atomics.load(peak, 0)) Atomics.store(peak, 0, kib);
  Atomics.add(peak, 1, 1);
};
tick();
setInterval(tick, workerData.intervalMs);
`;

export interface MemoryPeaks {
  /** Highest RSS seen by the sampler (bytes). */
  readonly rssSampledBytes: number;
  readonly rssSamples: number;
  /** Kernel high-water mark of the whole process since it started (bytes). */
  readonly maxRssBytes: number;
  /** Highest V8 used-heap size seen by sampleHeap() (bytes), and the heap reserved then. */
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  readonly heapSamples: number;
}

export class MemoryMonitor {
  private readonly shared = new SharedArrayBuffer(8);
  private readonly peak = new Int32Array(this.shared);
  private worker: Worker | null = null;
  private heapUsed = 0;
  private heapTotal = 0;
  private heapSamples = 0;

  /** Starts the RSS sampler; resolves once it has taken its first sample. */
  async start(intervalMs = 5): Promise<void> {
    this.worker = new Worker(SAMPLER, { eval: true, workerData: { buffer: this.shared, intervalMs } });
    this.worker.unref();
    while (Atomics.load(this.peak, 1) === 0) await new Promise((r) => setTimeout(r, 1));
    this.sampleHeap();
  }

  /** Records the main thread's heap now (cheap enough to call every simulated period). */
  sampleHeap(): void {
    const h = getHeapStatistics();
    if (h.used_heap_size > this.heapUsed) {
      this.heapUsed = h.used_heap_size;
      this.heapTotal = h.total_heap_size;
    }
    this.heapSamples++;
  }

  async stop(): Promise<MemoryPeaks> {
    this.sampleHeap();
    // Let the sampler see the final state, then stop it.
    await new Promise((r) => setTimeout(r, 20));
    await this.worker?.terminate();
    this.worker = null;
    return {
      rssSampledBytes: Atomics.load(this.peak, 0) * 1024,
      rssSamples: Atomics.load(this.peak, 1),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      heapUsedBytes: this.heapUsed,
      heapTotalBytes: this.heapTotal,
      heapSamples: this.heapSamples,
    };
  }
}
