/**
 * Reads a results folder into ReportInputs: summary.json (required), timeseries.csv, and, when
 * present, links.csv, nodes.csv, economy.csv, economy-mc.csv and scenario.json. A missing optional file is
 * recorded and the report degrades; a missing or unreadable summary is a ReportError.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from './csv';
import { parseTimeseries } from './transforms/timeseries';
import type { CsvTable, ReportInputs, ScenarioRecord, SummaryJson } from './types';

export class ReportError extends Error {}

export const SCENARIO_RECORD = 'scenario.json';
export const OPTIONAL_CSV = ['links.csv', 'nodes.csv', 'economy.csv', 'economy-mc.csv'] as const;
/** Daily files downsampled to MAX_ECONOMY_ROWS. */
const DAILY_CSV: readonly string[] = ['economy.csv', 'economy-mc.csv'];
/** Economy rows inlined in the page at most (a five-year run has 1,825). */
const MAX_ECONOMY_ROWS = 400;

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ReportError(`${file}: not readable JSON (${(e as Error).message})`);
  }
}

/** Checks the parts of summary.json the report relies on; returns it typed. */
export function checkSummary(v: unknown, file: string): SummaryJson {
  const o = v as Partial<SummaryJson> | null;
  const bad = (what: string) => new ReportError(`${file}: ${what}; expected a dtsim summary.json (schema version 2)`);
  if (!o || typeof o !== 'object') throw bad('not an object');
  if (typeof o.schemaVersion !== 'number' || o.schemaVersion < 2) throw bad(`schemaVersion is ${JSON.stringify(o.schemaVersion)}`);
  if (!o.scenario || typeof o.scenario.name !== 'string') throw bad('no scenario.name');
  for (const [k, r] of [['run', o.run], ['baseline', o.baseline]] as const) {
    if (k === 'baseline' && r === undefined) continue;
    if (!r || typeof r.timeToTrainS !== 'number' || !r.breakdown || !Array.isArray(r.perSite)) throw bad(`${k} is missing timeToTrainS, breakdown or perSite`);
  }
  return o as SummaryJson;
}

function readCsv(file: string): CsvTable | null {
  return existsSync(file) ? parseCsv(readFileSync(file, 'utf8')) : null;
}

/**
 * Loads the result files of `dir`. `fallbackScenario` may supply the scenario record when
 * scenario.json is absent (e.g. by re-reading the scenario file).
 */
export function loadResults(dir: string, fallbackScenario?: (summary: SummaryJson) => ScenarioRecord | null): ReportInputs {
  const sFile = join(dir, 'summary.json');
  if (!existsSync(sFile)) throw new ReportError(`${sFile}: not found; give a folder written by 'dtsim run'`);
  const summary = checkSummary(readJson(sFile), sFile);
  const files: { name: string; present: boolean; note?: string }[] = [{ name: 'summary.json', present: true }];

  const tsTable = readCsv(join(dir, 'timeseries.csv'));
  const timeseries = tsTable ? parseTimeseries(tsTable) : null;
  files.push({ name: 'timeseries.csv', present: tsTable !== null, note: tsTable ? `${timeseries!.length} rows` : 'charts over time are left out' });

  const extra: Record<string, CsvTable | null> = {};
  for (const f of OPTIONAL_CSV) {
    extra[f] = readCsv(join(dir, f));
    let note = extra[f] ? `${extra[f]!.rows.length} rows` : f === 'economy-mc.csv' ? 'written by dtsim run --runs N for a scenario with an economy' : 'not written for this run';
    // Years of daily economy rows would dominate the page: chart every k-th day (the file has them all).
    const t = extra[f];
    if (DAILY_CSV.includes(f) && t && t.rows.length > MAX_ECONOMY_ROWS) {
      const k = Math.ceil(t.rows.length / MAX_ECONOMY_ROWS);
      extra[f] = { columns: t.columns, rows: t.rows.filter((_, i) => i % k === 0 || i === t.rows.length - 1) };
      note = `${t.rows.length} rows; the charts show every ${k}th day`;
    }
    files.push({ name: f, present: extra[f] !== null, note });
  }

  let scenario: ScenarioRecord | null = null;
  const recFile = join(dir, SCENARIO_RECORD);
  if (existsSync(recFile)) {
    const rec = readJson(recFile) as ScenarioRecord;
    if (rec && rec.schemaVersion === 1 && Array.isArray(rec.assumptions)) scenario = rec;
    files.push({ name: SCENARIO_RECORD, present: true, note: scenario ? 'the scenario as run and its resolved assumptions' : 'unrecognised format, ignored' });
  } else {
    scenario = fallbackScenario?.(summary) ?? null;
    files.push({ name: SCENARIO_RECORD, present: false, note: scenario?.note ?? 'assumptions cannot be listed' });
  }
  return { summary, timeseries, links: extra['links.csv'], nodes: extra['nodes.csv'], economy: extra['economy.csv'], economyMc: extra['economy-mc.csv'], scenario, files };
}
