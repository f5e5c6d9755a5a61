/**
 * Tracing a run: the simulation code tells a `Tracer` what each node did when (compute,
 * communication, bubble and idle spans), which flows crossed the network, and what changed
 * (failures, churn, timeline events). The default is no tracer at all: callers check
 * `tracer?.enabled` before building anything, so an untraced run pays one property read per
 * step and per flow. `WindowTracer` records one window of simulated time into a `TraceSink`
 * (src/report/trace.ts streams it to a Chrome / Perfetto JSON file) and switches itself off
 * once the window has passed.
 *
 * A leaf module: it knows tracks and seconds, nothing about platforms or strategies.
 */

export type TraceArg = string | number | boolean | readonly (string | number)[];
export type TraceArgs = Readonly<Record<string, TraceArg>>;

/**
 * Where an event goes. Run-level tracks are negative; a node's track is
 * `nodeTrack(node, lane)`, lane > 0 for the further pipeline workers a node hosts (each
 * worker's spans must not overlap, so each gets its own track).
 */
export type Track = number;
/** Periods (steps, DiLoCo rounds), fast-forwarded blocks, checkpoints, restarts, waiting. */
export const RUN_TRACK: Track = -1;
/** Streaming DiLoCo's outer all-reduce, which runs under the next round. */
export const SYNC_TRACK: Track = -2;
/** Dated changes (timeline events, outages ending). */
export const TIMELINE_TRACK: Track = -3;
/** Tracks per node (its pipeline workers). */
export const LANES = 1024;
export const nodeTrack = (node: number, lane = 0): Track => node * LANES + lane;

/** Span categories (the `cat` of "X" events); flows use their link class. */
export type SpanCategory = 'compute' | 'comm' | 'bubble' | 'idle' | 'fast-forward' | 'checkpoint' | 'restart' | 'waiting' | 'period';

export interface TraceMeta {
  /** The run's label ('decentralized', 'system', ...). */
  readonly label: string;
  readonly sites: readonly string[];
  readonly nodes: readonly { readonly name: string; readonly site: number }[];
}

export interface Tracer {
  /** True while recording; when false, callers skip building events. */
  readonly enabled: boolean;
  /** Nothing after this simulated time is recorded (the window's end as known now). */
  readonly untilS: number;
  /** Names the tracks; called once at the start of a run. */
  describe(meta: TraceMeta): void;
  /** Something a track did from `startS` to `endS` ("X" complete event). */
  span(track: Track, name: string, cat: string, startS: number, endS: number, args?: TraceArgs): void;
  /** Something that happened at `atS` ("i" instant; run-level tracks give a global instant). */
  instant(track: Track, name: string, cat: string, atS: number, args?: TraceArgs): void;
  /** A transfer from `startS` to `endS`, sent by `track`'s node ("b"/"e" async pair with an id). */
  flow(track: Track, name: string, cat: string, startS: number, endS: number, args?: TraceArgs): void;
  /**
   * `count` periods (a step or a DiLoCo round each, or a fast-forwarded block) of `periodS`
   * seconds each run from `startS`: the default window closes at the end of its N-th period.
   * Called when the periods are known and nothing after `startS` has been recorded yet (at the
   * end of a detailed period, at the start of a fast-forwarded block).
   */
  periods(startS: number, count: number, periodS: number): void;
  /** Simulated time has reached `nowS`: recording stops once it is past the window. */
  advance(nowS: number): void;
  /** Asks for `events` optional events (repeated fast-forwarded steps); false once the trace's budget for them is spent. */
  reserve(events: number): boolean;
}

/** One event of the Chrome trace event format (timestamps in microseconds). */
export interface TraceEvent {
  readonly ph: 'X' | 'i' | 'b' | 'e' | 'M';
  readonly name: string;
  readonly cat?: string;
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly id?: number;
  /** Instant scope: 't' thread, 'g' global. */
  readonly s?: 't' | 'g';
  readonly args?: TraceArgs;
}

export interface TraceSink {
  write(event: TraceEvent): void;
}

/** The simulated time a trace covers: [startS, endS], and at most `periods` periods from the start of the run. */
export interface TraceWindow {
  readonly startS: number;
  readonly endS: number;
  readonly periods: number;
}

/** Default: the first 3 periods of the run, or its first hour, whichever ends first. */
export const DEFAULT_TRACE_WINDOW: TraceWindow = { startS: 0, endS: 3600, periods: 3 };

/**
 * Fast-forwarded inner steps are drawn step by step up to this many events in a trace (about
 * 30 MB); beyond it, as one span per node and stretch.
 */
export const REPLAY_BUDGET = 200_000;

const RUN_PID = 1;
const RUN_TIDS: Record<number, [number, string]> = {
  [RUN_TRACK]: [1, 'trainer'], [SYNC_TRACK]: [2, 'outer sync (background)'], [TIMELINE_TRACK]: [3, 'timeline'],
};
/** Node track t is thread NODE_TID0 + t (thread ids are unique across processes). */
const NODE_TID0 = 100;

/** Microseconds, rounded to the nanosecond so that touching spans touch exactly. */
const us = (s: number): number => Math.round(s * 1e9) / 1e3;

/** Records the events of one window of simulated time into a sink; see `Tracer`. */
export class WindowTracer implements Tracer {
  enabled = true;
  private endS: number;
  private periodsSeen = 0;
  private nextFlowId = 1;
  private meta: TraceMeta | null = null;
  private readonly named = new Set<Track>();
  private replayLeft = REPLAY_BUDGET;

  constructor(private readonly sink: TraceSink, readonly window: TraceWindow = DEFAULT_TRACE_WINDOW) {
    if (!(window.startS >= 0) || !(window.endS > window.startS)) throw new RangeError(`trace window ${window.startS}..${window.endS} s is empty`);
    this.endS = window.endS;
  }

  /** The end of the recorded window (final once `enabled` is false). */
  get untilS(): number {
    return this.endS;
  }

  describe(meta: TraceMeta): void {
    this.meta = meta;
    this.meta_(RUN_PID, 0, 'process_name', { name: `run: ${meta.label}` });
    this.meta_(RUN_PID, 0, 'process_sort_index', { sort_index: 0 });
    meta.sites.forEach((site, s) => {
      this.meta_(s + 2, 0, 'process_name', { name: site });
      this.meta_(s + 2, 0, 'process_sort_index', { sort_index: s + 1 });
    });
  }

  span(track: Track, name: string, cat: string, startS: number, endS: number, args?: TraceArgs): void {
    const a = Math.max(startS, this.window.startS), b = Math.min(endS, this.endS);
    if (!(b > a)) return;
    const [pid, tid] = this.where(track);
    const ts = us(a);
    const dur = Math.round((us(b) - ts) * 1e3) / 1e3;
    if (!(dur > 0)) return;
    this.sink.write(args ? { ph: 'X', name, cat, ts, dur, pid, tid, args } : { ph: 'X', name, cat, ts, dur, pid, tid });
  }

  instant(track: Track, name: string, cat: string, atS: number, args?: TraceArgs): void {
    if (atS < this.window.startS || atS > this.endS) return;
    const [pid, tid] = this.where(track);
    const s = track < 0 ? 'g' : 't';
    this.sink.write(args ? { ph: 'i', name, cat, ts: us(atS), pid, tid, s, args } : { ph: 'i', name, cat, ts: us(atS), pid, tid, s });
  }

  flow(track: Track, name: string, cat: string, startS: number, endS: number, args?: TraceArgs): void {
    const a = Math.max(startS, this.window.startS), b = Math.min(endS, this.endS);
    if (!(b >= a) || startS > this.endS || endS < this.window.startS) return;
    const [pid, tid] = this.where(track);
    const id = this.nextFlowId++;
    this.sink.write(args ? { ph: 'b', name, cat, ts: us(a), pid, tid, id, args } : { ph: 'b', name, cat, ts: us(a), pid, tid, id });
    this.sink.write({ ph: 'e', name, cat, ts: us(b), pid, tid, id });
  }

  periods(startS: number, count: number, periodS: number): void {
    if (!this.enabled || this.periodsSeen >= this.window.periods) return;
    const before = this.periodsSeen;
    this.periodsSeen += count;
    if (this.periodsSeen >= this.window.periods) this.endS = Math.max(startS, Math.min(this.endS, startS + (this.window.periods - before) * periodS));
  }

  advance(nowS: number): void {
    if (nowS >= this.endS) this.enabled = false;
  }

  reserve(events: number): boolean {
    if (events > this.replayLeft) return false;
    this.replayLeft -= events;
    return true;
  }

  /** Process and thread of a track; names a node's thread the first time it is used. */
  private where(track: Track): [number, number] {
    if (track < 0) {
      const [tid, name] = RUN_TIDS[track] ?? [4, 'other'];
      if (!this.named.has(track)) {
        this.named.add(track);
        this.meta_(RUN_PID, tid, 'thread_name', { name });
        this.meta_(RUN_PID, tid, 'thread_sort_index', { sort_index: tid });
      }
      return [RUN_PID, tid];
    }
    const node = Math.floor(track / LANES), lane = track % LANES;
    const info = this.meta?.nodes[node];
    const pid = info ? info.site + 2 : RUN_PID;
    const tid = NODE_TID0 + track;
    if (!this.named.has(track)) {
      this.named.add(track);
      const name = info?.name ?? `node ${node}`;
      this.meta_(pid, tid, 'thread_name', { name: lane === 0 ? name : `${name} worker ${lane}` });
      this.meta_(pid, tid, 'thread_sort_index', { sort_index: track });
    }
    return [pid, tid];
  }

  private meta_(pid: number, tid: number, name: string, args: TraceArgs): void {
    this.sink.write({ ph: 'M', name, ts: 0, pid, tid, args });
  }
}

/**
 * Passes events through to a tracer and keeps the spans of the current step, so that a step
 * repeated by fast-forward (identical steps skipped in one block) can be drawn k more times,
 * shifted by the step's duration. Flows and instants are not repeated.
 */
export class StepRecorder implements Tracer {
  private spans: [Track, string, string, number, number, TraceArgs | undefined][] = [];
  constructor(private readonly inner: Tracer) {}
  get enabled(): boolean {
    return this.inner.enabled;
  }
  get untilS(): number {
    return this.inner.untilS;
  }
  describe(meta: TraceMeta): void {
    this.inner.describe(meta);
  }
  span(track: Track, name: string, cat: string, startS: number, endS: number, args?: TraceArgs): void {
    this.spans.push([track, name, cat, startS, endS, args]);
    this.inner.span(track, name, cat, startS, endS, args);
  }
  instant(track: Track, name: string, cat: string, atS: number, args?: TraceArgs): void {
    this.inner.instant(track, name, cat, atS, args);
  }
  flow(track: Track, name: string, cat: string, startS: number, endS: number, args?: TraceArgs): void {
    this.inner.flow(track, name, cat, startS, endS, args);
  }
  periods(startS: number, count: number, periodS: number): void {
    this.inner.periods(startS, count, periodS);
  }
  advance(nowS: number): void {
    this.inner.advance(nowS);
  }
  reserve(events: number): boolean {
    return this.inner.reserve(events);
  }
  /** Forgets the spans recorded so far (call before each step). */
  clear(): void {
    this.spans = [];
  }
  /**
   * Draws the recorded step `k` more times, each `stepS` later than the one before, up to the
   * window's end; past the trace's budget for repeated steps, one span per track for all k.
   */
  replay(k: number, stepS: number): void {
    if (k <= 0 || !this.inner.enabled) return;
    const within = Math.max(0, Math.min(k, Math.ceil((this.inner.untilS - Math.min(...this.spans.map((x) => x[3]))) / stepS)));
    if (!this.inner.reserve(within * this.spans.length)) {
      const stretch = new Map<Track, [number, number]>();
      for (const [track, , , a, b] of this.spans) {
        const r = stretch.get(track);
        stretch.set(track, r ? [Math.min(r[0], a), Math.max(r[1], b)] : [a, b]);
      }
      for (const [track, [a, b]] of stretch) {
        this.inner.span(track, `${k} inner steps (fast-forwarded)`, 'fast-forward', a + stepS, b + k * stepS, { steps: k, stepS });
      }
      return;
    }
    for (let j = 1; j <= k && this.inner.enabled; j++) {
      const shift = j * stepS;
      let any = false;
      for (const [track, name, cat, a, b, args] of this.spans) {
        if (a + shift > this.inner.untilS) continue;
        any = true;
        this.inner.span(track, name, cat, a + shift, b + shift, { ...args, fastForwarded: true });
      }
      if (!any) return;
    }
  }
}
