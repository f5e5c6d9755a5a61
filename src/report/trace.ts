/**
 * `dtsim run --trace FILE`: a Chrome / Perfetto trace (JSON trace event format,
 * {"traceEvents": [...], "displayTimeUnit": "ms"}, timestamps in microseconds) of one window
 * of simulated time. Events are streamed to the file in 64 KiB chunks as the run emits them:
 * nothing is held in memory but the current chunk. Open the file at https://ui.perfetto.dev
 * (Open trace file) or in chrome://tracing.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { DEFAULT_TRACE_WINDOW, WindowTracer, type TraceEvent, type TraceSink, type TraceWindow } from '../trace/tracer';
import { parseQuantity } from '../scenario/units';

const CHUNK = 1 << 16;

/** Writes trace events to a file as a JSON object, one event per line. */
export class TraceFileSink implements TraceSink {
  private fd: number | null;
  private parts: string[] = [];
  private pending = 0;
  private first = true;
  /** Events and bytes written so far. */
  events = 0;
  bytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
    this.raw('{"traceEvents":[\n');
  }

  write(event: TraceEvent): void {
    if (this.fd === null) return;
    this.raw(this.first ? JSON.stringify(event) : `,\n${JSON.stringify(event)}`);
    this.first = false;
    this.events++;
  }

  close(): void {
    if (this.fd === null) return;
    this.raw('\n],\n"displayTimeUnit":"ms"}\n');
    this.flush();
    closeSync(this.fd);
    this.fd = null;
  }

  private raw(s: string): void {
    this.parts.push(s);
    this.pending += s.length;
    if (this.pending >= CHUNK) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0 || this.fd === null) return;
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    writeSync(this.fd, buf);
    this.bytes += buf.length;
    this.parts = [];
    this.pending = 0;
  }
}

/** A tracer recording `window` into `path`; close() completes the file. */
export interface TraceFile {
  readonly tracer: WindowTracer;
  readonly sink: TraceFileSink;
  close(): void;
}

export function openTrace(path: string, window: TraceWindow = DEFAULT_TRACE_WINDOW): TraceFile {
  const sink = new TraceFileSink(path);
  const tracer = new WindowTracer(sink, window);
  return { tracer, sink, close: () => sink.close() };
}

/**
 * `--trace-window START,END`: two durations ("2 h", "30 days"; a bare number is seconds). An
 * explicit window is not limited to a number of periods. Throws a RangeError with a usage message.
 */
export function parseTraceWindow(text: string): TraceWindow {
  const parts = text.split(',');
  const secs = (p: string): number => {
    const t = p.trim();
    if (t !== '' && Number.isFinite(Number(t))) return Number(t);
    const q = parseQuantity(t, 'time');
    if (!q.ok) throw new RangeError(`--trace-window: expected START,END as durations like "2 h,3 h" or seconds, got "${text}"`);
    return q.value;
  };
  if (parts.length !== 2) throw new RangeError(`--trace-window: expected START,END (two durations, e.g. "0,2 h"), got "${text}"`);
  const [startS, endS] = parts.map(secs);
  if (!(startS >= 0) || !(endS > startS)) throw new RangeError(`--trace-window: END must be after START ≥ 0, got "${text}"`);
  return { startS, endS, periods: Infinity };
}
