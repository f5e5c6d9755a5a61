/**
 * dtsim run --trace: the file is a Chrome / Perfetto JSON trace (trace event format) of one
 * window of simulated time. Checked here: it parses; every event has the fields its phase
 * needs; the spans of one track never overlap; async b/e pairs match; everything lies inside
 * the window; tracing changes no result; the default scenario's default window is small.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulate } from '../../src/sim/simulate';
import { openTrace, parseTraceWindow } from '../../src/report/trace';
import { DEFAULT_TRACE_WINDOW, type TraceWindow } from '../../src/trace/tracer';
import { applyOverrides, readScenarioTree, scenarioFromTree } from '../../src/scenario/load';
import { dilocoTree, dpTree, homeSite, link, scenario, tree } from '../sim/fixtures';
import type { Scenario } from '../../src/scenario/types';

interface Ev {
  ph: string; name: string; cat?: string; ts: number; dur?: number; pid: number; tid: number; id?: number; s?: string; args?: Record<string, unknown>;
}

const dir = mkdtempSync(join(tmpdir(), 'dtsim-trace-'));
let files = 0;

/** Simulates `s` with a trace of `window`; returns the parsed file, the window's end and the results. */
function traced(s: Scenario, window?: TraceWindow) {
  const path = join(dir, `t${files++}.json`);
  const t = openTrace(path, window);
  let result;
  try {
    result = simulate(s, { tracer: t.tracer });
  } finally {
    t.close();
  }
  const text = readFileSync(path, 'utf8');
  const json = JSON.parse(text) as { traceEvents: Ev[]; displayTimeUnit: string };
  return { json, events: json.traceEvents, endS: t.tracer.untilS, startS: t.tracer.window.startS, result, bytes: statSync(path).size };
}

/** The structural rules of the trace event format that Perfetto's JSON importer relies on. */
function checkStructure(events: Ev[], startS: number, endS: number): void {
  const eps = 1e-3; // µs (timestamps are rounded to the nanosecond)
  for (const e of events) {
    expect(typeof e.ph).toBe('string');
    expect(typeof e.name).toBe('string');
    expect(Number.isFinite(e.ts)).toBe(true);
    expect(Number.isInteger(e.pid)).toBe(true);
    expect(Number.isInteger(e.tid)).toBe(true);
    if (e.ph === 'M') continue;
    expect(['X', 'i', 'b', 'e']).toContain(e.ph);
    expect(e.ts).toBeGreaterThanOrEqual(startS * 1e6 - eps);
    if (e.ph === 'X') {
      expect(e.dur).toBeGreaterThan(0);
      expect(e.ts + e.dur!).toBeLessThanOrEqual(endS * 1e6 + eps);
    } else {
      expect(e.ts).toBeLessThanOrEqual(endS * 1e6 + eps);
    }
    if (e.ph === 'b' || e.ph === 'e') expect(Number.isInteger(e.id)).toBe(true);
    if (e.ph === 'i') expect(['t', 'p', 'g']).toContain(e.s);
  }
  // Complete events of one thread never overlap (a node's track, or a pipeline worker's).
  const byThread = new Map<string, Ev[]>();
  for (const e of events) {
    if (e.ph !== 'X') continue;
    const k = `${e.pid}/${e.tid}`;
    if (!byThread.has(k)) byThread.set(k, []);
    byThread.get(k)!.push(e);
  }
  for (const [k, spans] of byThread) {
    spans.sort((a, b) => a.ts - b.ts);
    for (let i = 1; i < spans.length; i++) {
      const prev = spans[i - 1], cur = spans[i];
      if (cur.ts < prev.ts + prev.dur! - eps) throw new Error(`${k}: "${cur.name}" at ${cur.ts} µs overlaps "${prev.name}" ending at ${prev.ts + prev.dur!} µs`);
    }
  }
  // Every async begin has exactly one end with the same id, name, category and process, not before it.
  const open = new Map<number, Ev>();
  for (const e of events) {
    if (e.ph === 'b') {
      expect(open.has(e.id!)).toBe(false);
      open.set(e.id!, e);
    } else if (e.ph === 'e') {
      const b = open.get(e.id!);
      expect(b).toBeDefined();
      expect([e.name, e.cat, e.pid]).toEqual([b!.name, b!.cat, b!.pid]);
      expect(e.ts).toBeGreaterThanOrEqual(b!.ts);
      open.delete(e.id!);
    }
  }
  expect(open.size).toBe(0);
  // Every thread and process that holds events is named.
  const named = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => `${e.pid}/${e.tid}`));
  for (const k of byThread.keys()) expect(named.has(k)).toBe(true);
}

const cats = (events: Ev[], ph: string) => new Set(events.filter((e) => e.ph === ph).map((e) => e.cat));

describe('trace of a run', () => {
  it('DiLoCo: compute, communication and idle spans per node, flows by link class, inside the default window', () => {
    const { json, events, endS, startS, result } = traced(scenario(dilocoTree(true)));
    expect(json.displayTimeUnit).toBe('ms');
    checkStructure(events, startS, endS);
    // The default window: the first 3 periods (DiLoCo rounds) or the first hour.
    expect(endS).toBeLessThanOrEqual(DEFAULT_TRACE_WINDOW.endS);
    const rounds = events.filter((e) => e.ph === 'X' && e.cat === 'period');
    expect(rounds.length).toBeGreaterThan(0);
    expect(rounds.length).toBeLessThanOrEqual(3);
    for (const c of ['compute', 'comm', 'period']) expect(cats(events, 'X').has(c)).toBe(true);
    // Flows cross the home sites' access links; each says its bytes and route.
    const flows = events.filter((e) => e.ph === 'b');
    expect(flows.length).toBeGreaterThan(0);
    expect(cats(events, 'b').has('wan-access')).toBe(true);
    for (const f of flows) {
      expect(f.args!.bytes).toBeGreaterThanOrEqual(0);
      expect(Array.isArray(f.args!.route)).toBe(true);
    }
    // One process per site plus the run's, one thread per node.
    const procs = events.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => (e.args as { name: string }).name);
    expect(procs).toEqual([`run: ${result.run.label}`, 'a', 'b', 'c']);
  });

  it('streaming DiLoCo: the outer all-reduce under the next round is drawn on a run-level track of its own', () => {
    const t = dilocoTree(false);
    (t.system as { strategy: Record<string, unknown> }).strategy.streaming = true;
    const { events, startS, endS } = traced(scenario(t));
    checkStructure(events, startS, endS);
    const sync = events.filter((e) => e.ph === 'X' && e.name === 'outer all-reduce (streaming)');
    expect(sync.length).toBeGreaterThan(0);
    expect(new Set(sync.map((e) => `${e.pid}/${e.tid}`)).size).toBe(1);
  });

  it('tracing changes no result', () => {
    const s = scenario(dilocoTree(true));
    const plain = simulate(s);
    const { result } = traced(s);
    expect(result.run).toEqual(plain.run);
  });

  it('synchronous data parallelism with failures: restarts, checkpoints and failures in a window of its own', () => {
    const window = parseTraceWindow('0,40 min');
    expect(window).toEqual({ startS: 0, endS: 2400, periods: Infinity });
    const { events, endS, startS, result } = traced(scenario(dpTree(true)), window);
    expect(endS).toBe(2400);
    checkStructure(events, startS, endS);
    expect(result.run.events.failures).toBeGreaterThan(0);
    const instants = events.filter((e) => e.ph === 'i');
    expect(instants.some((e) => e.cat === 'failure')).toBe(true);
    const x = cats(events, 'X');
    for (const c of ['compute', 'fast-forward', 'checkpoint', 'restart']) expect(x.has(c)).toBe(true);
    const ff = events.find((e) => e.ph === 'X' && e.cat === 'fast-forward')!;
    expect(ff.args!.periods).toBeGreaterThanOrEqual(1);
  });

  it('a window later in the run holds only what lies inside it', () => {
    const { events, startS, endS } = traced(scenario(dpTree(true)), parseTraceWindow('20 min,30 min'));
    expect([startS, endS]).toEqual([1200, 1800]);
    checkStructure(events, startS, endS);
    expect(events.some((e) => e.ph === 'X')).toBe(true);
  });

  it('pipeline workers get a track each: forward, backward and bubble spans never overlap', () => {
    const t = tree({
      training: { tokens: 4 * 64 * 1024, batchSequences: 64, microBatch: 2 },
      system: {
        sites: [{ ...homeSite('dc', link('1 Gbit/s', '1 ms'), 2), nodes: [{ gpu: 'h100-sxm', count: 2, gpusPerNode: 2 }] }],
        strategy: { kind: 'pipeline', pipelineParallel: 2 },
        faults: { failures: false },
      },
    });
    const { events, startS, endS } = traced(scenario(t));
    checkStructure(events, startS, endS);
    for (const c of ['compute', 'bubble']) expect(cats(events, 'X').has(c)).toBe(true);
    const workerThreads = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && String(e.args!.name).includes('worker'));
    expect(workerThreads.length).toBeGreaterThan(0);
  });

  it('the default scenario: the default window is far below 50 MB', () => {
    // The first periods do not depend on the token budget: a shorter budget traces the same window quickly.
    const file = 'scenarios/flip-the-coin.yaml';
    const t = applyOverrides(readScenarioTree(file), ['training.tokens=3e9'], file) as Record<string, unknown>;
    const s = scenarioFromTree({ ...t, baseline: null }, file);
    const { events, startS, endS, bytes } = traced(s);
    checkStructure(events, startS, endS);
    expect(bytes).toBeLessThan(50e6);
    expect(events.filter((e) => e.ph === 'X' && e.cat === 'period').length).toBeGreaterThan(0);
  });

  it('rejects a malformed window', () => {
    expect(() => parseTraceWindow('2 h')).toThrow(/START,END/);
    expect(() => parseTraceWindow('3 h,2 h')).toThrow(/after START/);
    expect(() => parseTraceWindow('1 parsec,2 h')).toThrow(/durations/);
  });
});
