/**
 * Writing the report: scenario.json (the scenario as run and its resolved assumptions, saved at
 * run time so the report can be rebuilt later) and index.html.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../../compute/catalog';
import type { Scenario } from '../../scenario/types';
import { scenarioAssumptions } from './assumptions';
import { reportBundle } from './bundle';
import { SCENARIO_RECORD } from './load';
import { buildPage } from './page';
import type { ReportInputs, ScenarioRecord } from './types';

export function scenarioRecord(tree: unknown, scenario: Scenario, catalog: Catalog, note?: string): ScenarioRecord {
  return { schemaVersion: 1, scenario: tree, assumptions: scenarioAssumptions(tree, scenario, catalog), ...(note ? { note } : {}) };
}

/** JSON with non-finite numbers (an unlimited link) written as null. */
export function writeScenarioRecord(dir: string, rec: ScenarioRecord): string {
  const file = join(dir, SCENARIO_RECORD);
  writeFileSync(file, `${JSON.stringify(rec, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
  return file;
}

/** The page as a string. */
export async function renderReport(inp: ReportInputs): Promise<string> {
  return buildPage(inp, await reportBundle());
}

/** Writes index.html into `dir`; returns its path and size in bytes. */
export async function writeReport(dir: string, inp: ReportInputs): Promise<{ file: string; bytes: number }> {
  const html = await renderReport(inp);
  const file = join(dir, 'index.html');
  writeFileSync(file, html);
  return { file, bytes: Buffer.byteLength(html) };
}
