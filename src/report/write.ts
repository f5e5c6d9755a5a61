/**
 * Files a run writes: summary.json (versioned, documented in README) and timeseries.csv,
 * streamed row by row with fast-csv.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { format as csvFormat } from 'fast-csv';
import type { SimulationResult } from '../sim/simulate';
import type { TimeseriesRow } from '../sim/run';

/**
 * JSON of the result with absent parts omitted (never null) and a guard against non-finite
 * numbers: a NaN in an output is a bug, reported with its path instead of written.
 */
export function resultJson(res: SimulationResult): string {
  const check = (v: unknown, path: string): unknown => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`internal error: ${path} is ${v}`);
    if (Array.isArray(v)) return v.map((x, i) => check(x, `${path}[${i}]`));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = check(x, `${path}.${k}`);
      return out;
    }
    return v;
  };
  const { details: _details, ...summary } = res;
  return `${JSON.stringify(check(summary, 'summary'), null, 2)}\n`;
}

export const TIMESERIES_COLUMNS = [
  'run', 'time_s', 'tokens', 'effective_tokens', 'tokens_lost', 'active_nodes', 'active_gpus', 'period_s', 'throughput_tokens_per_s', 'event',
] as const;

/** Column of timeseries.csv with the training GPUs of one type (GPU id). */
export const gpuTypeColumn = (gpu: string): string => `gpus_${gpu}`;

export interface TimeseriesWriter {
  write(row: TimeseriesRow): void;
  close(): Promise<void>;
}

/**
 * Opens timeseries.csv and writes each row to the file as it comes: simulate() runs without
 * yielding to the event loop, so an asynchronous stream would hold every row until the run
 * ends and a killed run would leave an empty file. fast-csv formats synchronously when read in
 * flowing mode; each chunk goes straight to the file descriptor.
 */
export function openTimeseries(file: string, gpuTypes: readonly string[] = []): TimeseriesWriter {
  const fd = openSync(file, 'w');
  const csv = csvFormat({ headers: [...TIMESERIES_COLUMNS, ...gpuTypes.map(gpuTypeColumn)], alwaysWriteHeaders: true });
  csv.on('data', (chunk: Buffer) => writeSync(fd, chunk));
  return {
    write: (r) => {
      csv.write([r.run, r.timeS, r.tokens, r.effectiveTokens, r.tokensLost, r.activeNodes, r.activeGpus, r.periodS, r.throughputTokensPerS, r.event,
        ...gpuTypes.map((g) => r.activeGpusByType?.[g] ?? 0)]);
    },
    close: () => new Promise((resolve, reject) => {
      csv.on('end', () => {
        closeSync(fd);
        resolve();
      });
      csv.on('error', reject);
      csv.end();
    }),
  };
}

/** economy.csv: one row per simulated day, written as the days pass (same synchronous path as timeseries.csv). */
export function openEconomyCsv(file: string, columns: readonly string[]): { write(row: Readonly<Record<string, number>>): void; close(): Promise<void> } {
  const fd = openSync(file, 'w');
  const csv = csvFormat({ headers: [...columns], alwaysWriteHeaders: true });
  csv.on('data', (chunk: Buffer) => writeSync(fd, chunk));
  return {
    write: (row) => { csv.write(columns.map((c) => row[c] ?? 0)); },
    close: () => new Promise((resolve, reject) => {
      csv.on('end', () => {
        closeSync(fd);
        resolve();
      });
      csv.on('error', reject);
      csv.end();
    }),
  };
}

/** CSV text of rows over `columns` (fast-csv, synchronous). */
export function csvText(columns: readonly string[], rows: readonly Readonly<Record<string, number>>[]): string {
  const chunks: string[] = [];
  const f = csvFormat({ headers: [...columns], alwaysWriteHeaders: true });
  f.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  for (const r of rows) f.write(columns.map((c) => r[c] ?? 0));
  f.end();
  return `${chunks.join('')}\n`;
}

export function writeSummary(dir: string, res: SimulationResult): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'summary.json');
  writeFileSync(file, resultJson(res));
  return file;
}
