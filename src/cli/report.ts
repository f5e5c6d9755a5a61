/**
 * `dtsim report <dir>`: rebuilds index.html from the results saved in a folder, without
 * simulating again; and the hook `dtsim run` calls after writing its results.
 */
import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import { loadCatalog } from '../compute/catalog';
import { loadScenario, readScenarioTree } from '../scenario/load';
import type { Scenario } from '../scenario/types';
import { loadResults, ReportError } from '../report/html/load';
import { scenarioRecord, writeReport, writeScenarioRecord } from '../report/html/write';
import type { ScenarioRecord, SummaryJson } from '../report/html/types';

type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };
const STD: Io = { out: process.stdout, err: process.stderr };

/**
 * After `dtsim run`: saves scenario.json and writes index.html beside summary.json. A failure
 * here is reported on stderr without losing the run (its results are already written and
 * `dtsim report` can retry). Returns the page's path, or null.
 */
export async function writeRunReport(dir: string, tree: unknown, scenario: Scenario, io: Io = STD): Promise<string | null> {
  try {
    writeScenarioRecord(dir, scenarioRecord(tree, scenario, loadCatalog()));
    return (await writeReport(dir, loadResults(dir))).file;
  } catch (e) {
    io.err.write(`dtsim: could not write the HTML report (${(e as Error).message}); the results are saved, retry with 'dtsim report ${dir}'\n`);
    return null;
  }
}

/** When scenario.json is absent: re-read the scenario file named in summary.json, if it is still there. */
function fromScenarioFile(summary: SummaryJson): ScenarioRecord | null {
  const file = summary.scenario.file;
  if (!file || !existsSync(file)) return null;
  try {
    const s = loadScenario(file);
    const changed = s.training.tokens !== summary.scenario.tokens || s.name !== summary.scenario.name;
    const note = `These results were saved without scenario.json: the assumptions below are re-read from ${file} as it is now; --set overrides of the original run are not known${changed ? ', and the file no longer matches the results (name or tokens differ)' : ''}.`;
    return scenarioRecord(readScenarioTree(file), s, loadCatalog(), note);
  } catch {
    return null;
  }
}

export const reportBuilder = (y: Argv) => y
  .positional('dir', { type: 'string', demandOption: true, describe: 'a folder written by dtsim run (summary.json, timeseries.csv, ...)' })
  .option('quiet', { type: 'boolean', default: false });

/** `dtsim report <dir>`; returns the exit code (2 when the folder holds no readable results). */
export async function reportCommand(a: { dir: string; quiet?: boolean }, io: Io = STD): Promise<number> {
  const t0 = performance.now();
  try {
    const inputs = loadResults(a.dir, fromScenarioFile);
    const { file, bytes } = await writeReport(a.dir, inputs);
    if (!a.quiet) io.out.write(`wrote ${file} (${(bytes / 1024).toFixed(0)} KiB) in ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
    return 0;
  } catch (e) {
    if (e instanceof ReportError) {
      io.err.write(`dtsim report: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
