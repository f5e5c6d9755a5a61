/**
 * The command line: a thin shell over the library. Parses arguments, calls simulate /
 * validation / catalog functions, writes files, and is the only place that sets exit codes.
 */
import yargs from 'yargs';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readScenarioTree, applyOverrides, scenarioFromTree, ScenarioError } from '../scenario/load';
import { scenarioJsonSchema } from '../scenario/schema';
import { simulate, type SimulateOptions, type SimulationResult } from '../sim/simulate';
import { InfeasibleLayout } from '../strategy/layout';
import { loadCatalog, formatCatalog } from '../compute/catalog';
import { MODEL_PRESETS } from '../workload/presets';
import { paramCount } from '../workload/model';
import { formatSummary } from '../report/text';
import { csvText, openEconomyCsv, openTimeseries, resultJson, writeSummary } from '../report/write';
import { economyColumns } from '../economy/day';
import { MC_DAILY } from '../sim/montecarlo';
import { runMonteCarlo } from './montecarlo';
import { defaultWorkers } from '../sweep/pool';
import { writeTables } from '../report/tables';
import { openTrace, parseTraceWindow } from '../report/trace';
import { formatCount } from '../report/format';
import { formatLinks, formatRegions, formatSites, linksJson, regionsJson, sitesJson } from '../report/listing';
import { mergeBuilder, mergeCommand, sweepBuilder, sweepCommand } from './sweep';
import { checkBuilder, checkCommand } from './check';
import { junitXml } from '../check/junit';
import { calibrateBuilder, calibrateCommand } from '../calibrate/cli';
import { reportBuilder, reportCommand, writeRunReport } from './report';

export interface RunArgs {
  readonly scenario: string;
  readonly out?: string;
  readonly seed?: number;
  readonly json: boolean;
  readonly set: readonly string[];
  readonly fastForward: boolean;
  readonly quiet: boolean;
  /** Monte Carlo runs of a scenario with an economy (seeds seed, seed+1, …). */
  readonly runs?: number;
  /** Worker threads for the Monte Carlo runs after the first (default: cores − 1; 0 = all in this thread). */
  readonly workers?: number;
  /** false (--no-baseline): drop the scenario's baseline. */
  readonly baseline?: boolean;
  /** --trace FILE [--trace-window START,END]: a Perfetto / Chrome trace of the system under study. */
  readonly trace?: string;
  readonly traceWindow?: string;
}

/** Runs one scenario and writes its outputs; returns the exit code. */
export async function runCommand(a: RunArgs, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } = { out: process.stdout, err: process.stderr }): Promise<number> {
  const overridden = applyOverrides(readScenarioTree(a.scenario), a.set, a.scenario) as Record<string, unknown>;
  const tree = a.baseline === false ? { ...overridden, baseline: null } : overridden;
  const scenario = scenarioFromTree(tree, a.scenario);
  const dir = a.out ?? join('reports', scenario.name);
  mkdirSync(dir, { recursive: true }); // fail before a long run, not after it
  // A column per GPU type of either system: GPUs training by type over time.
  const gpuTypes = [...new Set([scenario.run, scenario.baseline].flatMap((r) => r ? r.topology.sites.flatMap((s) => s.nodes.map((g) => g.gpu.id)) : []))];
  const ts = openTimeseries(join(dir, 'timeseries.csv'), gpuTypes);
  const econ = scenario.economy ? openEconomyCsv(join(dir, 'economy.csv'), economyColumns(scenario.economy.spec)) : null;
  const tty = !a.quiet && (io.err as NodeJS.WriteStream).isTTY === true;
  // A TTY gets a live percentage; a log (CI, a batch job) gets a plain line every 10 %.
  const step = tty ? 1 : 10;
  const started = Date.now();
  let lastPct = -1, lastLabel = '';
  let result;
  const trace = a.trace ? openTrace(a.trace, a.traceWindow ? usage(() => parseTraceWindow(a.traceWindow!)) : undefined) : null;
  try {
    const sim = async (opts: SimulateOptions): Promise<SimulationResult> => {
      if (!(a.runs && a.runs > 1 && scenario.economy)) return simulate(scenario, opts);
      // The first run takes this thread: one worker fewer than the cores, unless told.
      const mc = await runMonteCarlo(scenario, tree, a.scenario, a.runs, a.workers ?? defaultWorkers() - 1, opts);
      writeFileSync(join(dir, 'economy-mc.csv'), csvText(['day', ...MC_DAILY.flatMap((c) => [`${c}_p10`, `${c}_p50`, `${c}_p90`])], mc.monteCarlo.daily));
      return { ...mc.first, economy: { ...mc.first.economy!, monteCarlo: mc.monteCarlo } };
    };
    result = await sim({
      seed: a.seed, tracer: trace?.tracer,
      fastForward: a.fastForward ? undefined : false,
      onRow: (row) => ts.write(row),
      onEconomyRow: econ ? (row) => econ.write(row) : undefined,
      onProgress: a.quiet ? undefined : (label, f) => {
        const pct = step * Math.floor((100 * Math.min(1, f)) / step);
        if (label !== lastLabel) lastPct = -1;
        lastLabel = label;
        if (pct === lastPct) return;
        lastPct = pct;
        if (tty) io.err.write(`\r${label}: ${pct}%   `);
        else io.err.write(`${label}: ${pct}% of the tokens (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
      },
    });
  } finally {
    if (tty) io.err.write('\r\x1b[K');
    trace?.close();
    await ts.close();
    await econ?.close();
  }
  writeSummary(dir, result);
  writeTables(dir, [result.details.run, ...(result.details.baseline ? [result.details.baseline] : [])]);
  const html = await writeRunReport(dir, tree, scenario, io); // index.html (HTML report)
  if (a.json) io.out.write(resultJson(result));
  else if (!a.quiet) io.out.write(`${formatSummary(result)}\n\nwrote summary.json, timeseries.csv, nodes.csv and links.csv in ${dir}\n`);
  if (html && !a.json && !a.quiet) io.out.write(`report: ${html}\n`);
  if (trace && !a.json && !a.quiet) io.out.write(`trace: ${a.trace} (${trace.sink.events} events, ${trace.tracer.window.startS}–${+trace.tracer.untilS.toFixed(1)} s simulated; open in https://ui.perfetto.dev)\n`);
  return 0;
}

/** `dtsim catalog [--models | --links | --sites | --regions] [--json]`. */
export function catalogListing(a: { models?: boolean; links?: boolean; sites?: boolean; regions?: boolean; json?: boolean }): string {
  const cat = loadCatalog();
  const [json, text]: [() => unknown, () => string] =
    a.models ? [() => [...MODEL_PRESETS.values()], () => catalogText(true)]
    : a.links ? [() => linksJson(cat), () => formatLinks(cat)]
    : a.sites ? [() => sitesJson(cat), () => formatSites(cat)]
    : a.regions ? [() => regionsJson(cat), () => formatRegions(cat)]
    : [() => [...cat.gpus.values()], () => catalogText(false)];
  return a.json ? JSON.stringify(json(), null, 2) : text();
}

function catalogText(models: boolean): string {
  if (!models) return formatCatalog(loadCatalog());
  const rows = [...MODEL_PRESETS.values()].map((m) =>
    `${m.name.padEnd(16)} ${formatCount(paramCount(m)).padStart(7)}  l=${m.layers} h=${m.hidden} heads=${m.heads}/${m.kvHeads} ffn=${m.ffnHidden} ${m.ffnKind} V=${m.vocab} s=${m.seqLength}  ${m.source}`);
  return ['preset           params   shape  source', ...rows].join('\n');
}

/** Parses argv and runs the command; returns the process exit code (never throws for user errors). */
export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  const wrap = (fn: (args: any) => Promise<number> | number) => async (args: any) => {
    code = await fn(args);
  };
  try {
    await yargs([...argv])
      .scriptName('dtsim')
      .usage('$0 <command> [options]')
      .command('run <scenario>', 'simulate a scenario file and write summary.json and timeseries.csv', (y) => y
        .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (YAML or JSON)' })
        .option('out', { type: 'string', describe: 'output folder (default reports/<scenario name>)' })
        .option('seed', { type: 'number', describe: 'override the scenario seed' })
        .option('json', { type: 'boolean', default: false, describe: 'print summary.json to stdout instead of the text summary' })
        .option('set', { type: 'string', array: true, default: [], describe: 'override a field, e.g. --set system.strategy.innerSteps=500' })
        .option('fast-forward', { type: 'boolean', default: true, describe: 'skip identical periods (--no-fast-forward simulates every step)' })
        .option('runs', { type: 'number', default: 1, describe: 'Monte Carlo runs over seeds (scenarios with an economy): P10/P50/P90 bands in summary.json and economy-mc.csv' })
        .option('workers', { type: 'number', describe: 'worker threads for the Monte Carlo runs after the first (default: cores - 1; 0 runs all in this thread); results do not depend on it' })
        .option('baseline', { type: 'boolean', default: true, describe: "--no-baseline drops the scenario's baseline" })
        .option('quiet', { type: 'boolean', default: false })
        .option('trace', { type: 'string', describe: 'write a Chrome/Perfetto trace of the system run to this file (open in https://ui.perfetto.dev)' })
        .option('trace-window', { type: 'string', describe: 'simulated time to trace, START,END ("2 h,3 h"; default: the first 3 periods or the first hour)' }),
      wrap((a) => runCommand({ scenario: a.scenario, out: a.out, seed: wholeOption('seed', a.seed, 0), runs: wholeOption('runs', a.runs, 1), workers: wholeOption('workers', a.workers, 0), json: a.json, set: a.set.map(String), fastForward: a.fastForward, quiet: a.quiet, baseline: a.baseline, trace: a.trace, traceWindow: a.traceWindow })))
      .command('schema', 'print the JSON Schema of scenario files', () => {}, wrap(() => {
        process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
        return 0;
      }))
      .command('catalog', 'print the GPU catalog, model presets, links, site kinds or WAN regions, with sources', (y) => y
        .option('models', { type: 'boolean', describe: 'list model presets instead of GPUs' })
        .option('links', { type: 'boolean', describe: 'access-link presets, scale-out fabrics and intra-node links' })
        .option('sites', { type: 'boolean', describe: 'site kinds and the defaults each brings' })
        .option('regions', { type: 'boolean', describe: 'WAN regions and the measured region-pair matrix' })
        .option('json', { type: 'boolean', default: false })
        .conflicts({ models: ['links', 'sites', 'regions'], links: ['sites', 'regions'], sites: 'regions' }),
      wrap((a) => {
        process.stdout.write(`${catalogListing(a)}\n`);
        return 0;
      }))
      .command('validate', 'compare predictions with published training runs; exit 1 when a target is missed', (y) => y
        .option('junit', { type: 'string', describe: 'write JUnit XML here (a case per published figure, and the summary targets)' }),
      wrap(async (a) => {
        const v = await import('../validate/validate');
        const rows = v.runValidation();
        process.stdout.write(`${v.formatValidation(rows)}\n`);
        if (a.junit) writeFileSync(a.junit, junitXml('dtsim validate', v.validationJunit(rows)));
        return v.validationPasses(rows) ? 0 : 1;
      }))
      .command('report <dir>', 'rebuild index.html from the results in a folder, without simulating', reportBuilder, wrap((a) => reportCommand(a)))
      .command('calibrate', 'time gpu.js matmul kernels on this machine; write a node profile and calibration.html', calibrateBuilder, wrap((a) => calibrateCommand(a)))
      .command('sweep <sweep>', 'run a parameter sweep in worker threads: resumable, shardable (--shard i/n, Slurm, Kubernetes)', sweepBuilder,
        wrap((a) => sweepCommand({ sweep: a.sweep, out: a.out, workers: a.workers, shard: a.shard, baseline: a.baseline, quiet: a.quiet })))
      .command('merge <dirs..>', 'combine sweep shard folders into one results.csv, byte-identical to a single run', mergeBuilder,
        wrap((a) => mergeCommand({ dirs: a.dirs.map(String), out: a.out, quiet: a.quiet })))
      .command('check <results>', 'compare sweep or run metrics with a stored baseline; exit 1 on a regression', checkBuilder,
        wrap((a) => checkCommand({ results: a.results, baseline: a.baseline, tolerance: a.tolerance.map(String), junit: a.junit, markdown: a.markdown, updateBaseline: a.updateBaseline, metrics: a.metrics, quiet: a.quiet })))
      .demandCommand(1, 'give a command: run, schema, catalog, validate or calibrate')
      .strict()
      .help()
      .fail((msg, err) => {
        if (err) throw err;
        throw new UsageError(msg);
      })
      .parseAsync();
  } catch (err) {
    return report(err);
  }
  return code;
}

class UsageError extends Error {}

/** A whole-number option at least `min`, or a usage error naming it (yargs reads "abc" as NaN). */
function wholeOption(name: string, v: number | undefined, min: number): number | undefined {
  if (v === undefined || (Number.isInteger(v) && v >= min)) return v;
  throw new UsageError(`--${name}: expected a whole number of at least ${min}, got ${Number.isNaN(v) ? 'something else' : v}`);
}

/** `fn()`, its errors reported as usage errors (exit code 2). */
function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function report(err: unknown): number {
  if (err instanceof ScenarioError) {
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  if (err instanceof InfeasibleLayout) {
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  if (err instanceof UsageError) {
    process.stderr.write(`dtsim: ${err.message}\nrun 'dtsim --help' for usage\n`);
    return 2;
  }
  const e = err as Error;
  process.stderr.write(`dtsim: internal error: ${e?.message ?? String(err)}\n`);
  if (process.env.DTSIM_DEBUG) process.stderr.write(`${e?.stack}\n`);
  else process.stderr.write('(set DTSIM_DEBUG=1 for a stack trace; please report it)\n');
  return 3;
}
