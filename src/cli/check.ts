/**
 * `dtsim check <results> --baseline baseline.json [--tolerance metric=5%] [--junit FILE]
 * [--markdown FILE] [--update-baseline]`: the CI regression gate. Exit 0 when every metric is
 * within tolerance (or improved), 1 on a regression, a change of a metric without a direction,
 * or a missing point; 2 on bad input. `--update-baseline` writes the baseline from the results
 * and exits 0.
 */
import { appendFileSync, existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import {
  CheckError, checkJunit, checkMarkdown, checkResults, formatCheck, makeBaseline, parseToleranceArgs, readBaseline, readResults,
} from '../check/check';
import { junitXml } from '../check/junit';
import { writeAtomic } from '../sweep/store';

export interface CheckArgs {
  readonly results: string;
  readonly baseline: string;
  readonly tolerance: readonly string[];
  readonly junit?: string;
  readonly markdown?: string;
  readonly updateBaseline: boolean;
  readonly metrics?: string;
  readonly quiet: boolean;
}

type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };

export function checkBuilder(y: Argv) {
  return y
    .positional('results', { type: 'string', demandOption: true, describe: 'a sweep output folder, its results.csv, a summary.json or a run output folder' })
    .option('baseline', { type: 'string', demandOption: true, describe: 'baseline JSON (metrics per point, tolerances)' })
    .option('tolerance', { type: 'string', array: true, default: [], describe: 'metric=5% (relative) or metric=0.01 (absolute); 5% alone sets the default' })
    .option('junit', { type: 'string', describe: 'write JUnit XML here' })
    .option('markdown', { type: 'string', describe: 'write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY; appended when the file exists)' })
    .option('update-baseline', { type: 'boolean', default: false, describe: 'write the baseline from these results instead of checking' })
    .option('metrics', { type: 'string', describe: 'with --update-baseline and no baseline yet: comma-separated metrics to keep (default: the sweep\'s metrics)' })
    .option('quiet', { type: 'boolean', default: false });
}

export async function checkCommand(a: CheckArgs, io: Io = { out: process.stdout, err: process.stderr }): Promise<number> {
  try {
    const results = await readResults(a.results);
    if (a.updateBaseline) {
      const old = existsSync(a.baseline) ? readBaseline(a.baseline) : null;
      const metrics = a.metrics ? a.metrics.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
      const b = makeBaseline(results, old, metrics);
      const tol = parseToleranceArgs(a.tolerance);
      const out = Object.keys(tol).length ? { ...b, tolerances: { ...b.tolerances, ...tol } } : b;
      writeAtomic(a.baseline, `${JSON.stringify(out, null, 2)}\n`);
      if (!a.quiet) io.out.write(`wrote ${a.baseline}: ${out.points.length} points, ${new Set(out.points.flatMap((p) => Object.keys(p.metrics))).size} metrics\n`);
      return 0;
    }
    const report = checkResults(results, readBaseline(a.baseline), a.baseline, parseToleranceArgs(a.tolerance));
    if (!a.quiet || !report.passed) io.out.write(`${formatCheck(report)}\n`);
    if (a.junit) writeAtomic(a.junit, junitXml('dtsim check', [checkJunit(report)]));
    if (a.markdown) {
      const md = checkMarkdown(report);
      if (existsSync(a.markdown)) appendFileSync(a.markdown, md);
      else writeAtomic(a.markdown, md);
    }
    return report.passed ? 0 : 1;
  } catch (e) {
    if (e instanceof CheckError) {
      io.err.write(`dtsim: check: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
