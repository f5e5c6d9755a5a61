/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The HTML report in a real browser: Debian's Chromium driven by playwright-core opens reports
 * generated from small scenarios (and the default one) from file:// and checks that they draw
 * every chart without a console error or a network request, show the numbers of summary.json,
 * render a hostile scenario name as text, read at phone width, and print to PDF. Screenshots go
 * to reports/test-output/ (git-ignored).
 *
 * Skipped with a message when /usr/bin/chromium is absent, except under CI=true, where a missing
 * browser fails the suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { runCommand } from '../../src/cli/main';
import { reportCommand } from '../../src/cli/report';
import { expectedMarks } from '../../src/report/html/charts';
import { KEY_NUMBERS, valueAt } from '../../src/report/html/summary-text';
import type { ChartSpec, SummaryJson } from '../../src/report/html/types';
import { parseCsv } from '../../src/report/html/csv';
import { isMarkedEvent, parseTimeseries } from '../../src/report/html/transforms/timeseries';
import { GPU_AGGREGATES, MC_HEADLINE } from '../../src/report/html/transforms/economy';
import { fmtValue } from '../../src/report/html/format';
import { dilocoTree, dpTree } from '../sim/fixtures';

const CHROMIUM = '/usr/bin/chromium';
const HAVE = existsSync(CHROMIUM);
const CI = process.env.CI === 'true';
const OUT = resolve('reports/test-output');
// Scenario files live under a long folder name without a break opportunity: the reports quote their paths, and at
// phone width a long path must wrap rather than widen the page (CI's checkout path is longer than ours).
const SCENARIOS = join(OUT, 'scenarios', 'a_folder_name_long_enough_to_overflow_a_phone_screen_unless_it_wraps');
const HOSTILE = '<img src=x onerror="window.__xss=1">';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

if (!HAVE && !CI) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium); CI=true makes this a failure`);

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

/** Runs a scenario tree through `dtsim run` into reports/test-output/<name>; returns the folder. */
async function simulate(name: string, tree: Record<string, unknown>, runs?: number): Promise<string> {
  const file = join(SCENARIOS, `${name}.yaml`);
  writeFileSync(file, stringify(tree));
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  const code = await runCommand({ scenario: file, out: dir, json: false, set: [], fastForward: true, quiet: true, runs }, { out: sink(), err: sink() });
  expect(code).toBe(0);
  expect(existsSync(join(dir, 'index.html'))).toBe(true);
  return dir;
}

/**
 * A small coupled economy (2 tier-2 nodes of 8 H100, 6 home RTX 4090, a 0.9B model, 30 days of
 * the base economy; cf. test/economy-coupled/coupling.test.ts), run with --runs 3 for its bands.
 */
const economyTree = {
  name: 'economy-small', seed: 5,
  model: { layers: 16, hidden: 2048, heads: 16, vocab: 32000, seqLength: 1024 },
  training: { tokens: 2e12, batchTokens: 1048576, microBatch: 4 },
  system: {
    sites: [
      { name: 'dc', kind: 'tier2', nodes: [{ gpu: 'h100-sxm', count: 2, gpusPerNode: 8 }], wan: 'dia-10g' },
      { name: 'home', kind: 'home', count: 6, nodes: [{ gpu: 'rtx-4090', count: 1, gpusPerNode: 1 }], wan: 'fiber' },
    ],
    wan: { matrix: false }, strategy: { kind: 'diloco', innerSteps: 500, compression: 'int8' }, faults: { failures: false },
  },
  economy: { preset: 'base', days: 30, reserve: 2 },
};

const cluster = { sites: [{ name: 'cluster', kind: 'hyperscaler', nodes: [{ gpu: 'h100-sxm', count: 2, gpusPerNode: 8 }] }], strategy: { kind: 'data-parallel' }, faults: { failures: false } };

interface Opened {
  readonly page: Page;
  readonly url: string;
  readonly errors: string[];
  readonly requests: string[];
  readonly dialogs: string[];
  readonly summary: SummaryJson;
  readonly charts: ChartSpec[];
}

describe.skipIf(!HAVE && !CI)('HTML report in Chromium', () => {
  let ctx: BrowserContext;
  const dirs: Record<string, string> = {};
  let reportSeconds = 0;

  beforeAll(async () => {
    if (!HAVE) throw new Error(`CI=true but ${CHROMIUM} is missing: install it with apt-get install -y chromium`);
    mkdirSync(SCENARIOS, { recursive: true });
    ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'dtsim-chromium-')), { executablePath: CHROMIUM, headless: true, args: ARGS });

    // DiLoCo over three home sites with churn, against a small cluster.
    // One site's H100 runs on the shipped calibration profile: the report draws its curve.
    const churn = dilocoTree(true);
    ((churn.system as { sites: { nodes: { gpu: unknown }[] }[] }).sites[0].nodes[0]).gpu = { id: 'h100-sxm', profile: resolve('profiles/epyc-2vcpu.json') };
    dirs.churn = await simulate('churn', { ...churn, name: 'churn-vs-cluster', baseline: cluster });
    // Synchronous data parallel with failures; every string a scenario can supply is hostile.
    const dp = dpTree(true);
    dirs.hostile = await simulate('hostile', {
      ...dp, name: HOSTILE, description: '</script><script>window.__xss=2</script> & "quotes"',
      system: { ...(dp.system as object), label: '<b onmouseover="window.__xss=3">dc</b>' },
    });
    // Stopped by its time limit before the end: no ratio may be given.
    const slow = dilocoTree(false);
    (slow.system as Record<string, unknown>).engine = { maxTime: '5 min' };
    dirs.unfinished = await simulate('unfinished', { ...slow, name: 'unfinished', baseline: cluster });
    // A coupled economy over three seeds: fan bands, GPUs by class, cohort returns.
    dirs.economy = await simulate('economy', economyTree, 3);
    // The default scenario, as `npm start` runs it.
    dirs.default = resolve(OUT, 'flip-the-coin');
    rmSync(dirs.default, { recursive: true, force: true });
    expect(await runCommand({ scenario: 'scenarios/flip-the-coin.yaml', out: dirs.default, json: false, set: [], fastForward: true, quiet: true }, { out: sink(), err: sink() })).toBe(0);
    // Results without the optional files, rebuilt by `dtsim report`.
    dirs.bare = join(OUT, 'bare');
    rmSync(dirs.bare, { recursive: true, force: true });
    mkdirSync(dirs.bare);
    for (const f of ['summary.json', 'timeseries.csv']) cpSync(join(dirs.churn, f), join(dirs.bare, f));
    const t0 = performance.now();
    expect(await reportCommand({ dir: dirs.default, quiet: true })).toBe(0);
    reportSeconds = (performance.now() - t0) / 1000;
    expect(await reportCommand({ dir: dirs.bare, quiet: true })).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await ctx?.close();
  });

  async function open(name: string): Promise<Opened> {
    const file = join(dirs[name], 'index.html');
    const url = pathToFileURL(file).href;
    const page = await ctx.newPage();
    const errors: string[] = [], requests: string[] = [], dialogs: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.route(/^(https?|wss?|ftp):/, (route) => route.abort());
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.dataset.chartsDrawn !== undefined, undefined, { timeout: 10_000 });
    const charts = JSON.parse(await page.locator('#report-data').textContent() ?? '{}').charts as ChartSpec[];
    const summary = JSON.parse(readFileSync(join(dirs[name], 'summary.json'), 'utf8')) as SummaryJson;
    return { page, url, errors, requests, dialogs, summary, charts };
  }

  /** The shared checks of every report; returns the mark counts per chart. */
  async function check(name: string, o: Opened): Promise<void> {
    const { page } = o;
    expect(o.errors, 'console errors').toEqual([]);
    expect(o.requests.filter((u) => u !== o.url), 'requests beyond the page itself').toEqual([]);
    expect(o.dialogs).toEqual([]);

    // Every chart drew the marks its specification calls for.
    const drawn = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll<HTMLElement>('figure[data-chart]')].map((f) => [f.dataset.chart,
      Object.fromEntries(['mark-line', 'mark-event', 'mark-band', 'mark-bar', 'mark-site', 'mark-link'].map((c) => [c, f.querySelectorAll(`svg .${c}`).length]))])));
    expect(Object.keys(drawn)).toEqual(o.charts.map((c) => c.id));
    for (const c of o.charts) {
      const want = expectedMarks(c);
      for (const [cls, n] of Object.entries(want)) expect(drawn[c.id][cls], `${c.id} .${cls}`).toBe(n);
      expect(Object.values(want).reduce((a, b) => a + b, 0), `${c.id} draws something`).toBeGreaterThan(0);
    }
    // ...and the counts agree with summary.json itself.
    const s = o.summary;
    const runs = s.baseline ? [s.run, s.baseline] : [s.run];
    expect(drawn.topology['mark-site']).toBe(s.run.perSite.length);
    expect(drawn['gpu-mix']['mark-bar']).toBe(runs.flatMap((r) => Object.values(r.gpuTypes)).filter((v) => v > 0).length);
    expect(drawn['site-cost']['mark-bar']).toBeGreaterThanOrEqual(runs.flatMap((r) => r.perSite).filter((p) => p.costUsd > 0).length);
    if (o.charts.some((c) => c.id === 'progress')) expect(drawn.progress['mark-line']).toBeGreaterThanOrEqual(runs.length);

    // The numbers in the page are those of summary.json, formatted as the key-number table says.
    const figures = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('[data-key]')].map((e) => ({
      key: e.dataset.key!, value: e.dataset.value!, text: e.textContent!.trim(), cell: e.tagName === 'TD' && e.closest('table.key-numbers') !== null,
    })));
    expect(figures.length).toBeGreaterThan(20);
    for (const f of figures) {
      const v = valueAt(s, f.key);
      expect(v, f.key).not.toBeUndefined();
      expect(f.value, f.key).toBe(String(v));
      const k = KEY_NUMBERS.find((x) => f.key.endsWith(`.${x.path}`) && x.path);
      if (f.cell && k && typeof v === 'number' && !f.key.startsWith('comparison.')) expect(f.text, f.key).toBe(k.fmt(v));
    }

    // Keyboard: a focused mark shows its value in the tooltip, and reads it to screen readers.
    const bar = page.locator('svg .mark-bar').first();
    await bar.focus();
    const label = await bar.getAttribute('aria-label');
    expect(label).toBeTruthy();
    await expect.poll(() => page.locator('#tooltip').textContent()).toBe(label);
    expect(await page.locator('#tooltip').isVisible()).toBe(true);
    const layer = page.locator('svg .focus-layer').first();
    if (await layer.count()) {
      await layer.focus();
      const before = await page.locator('#tooltip').textContent();
      await page.keyboard.press('Home');
      expect(await page.locator('#tooltip').textContent()).not.toBe(before);
    }

    // Screenshots at desktop and phone width; at phone width nothing overflows the page sideways.
    await page.screenshot({ path: join(OUT, `${name}-desktop.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLElement>('[data-plot]')].every((p) => p.dataset.width === String(p.clientWidth)));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(OUT, `${name}-phone.png`), fullPage: true });

    // Dark variant.
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(21, 23, 26)');
    await page.emulateMedia({ colorScheme: 'light' });

    // Print to PDF on A4 and Letter.
    await page.setViewportSize({ width: 1280, height: 900 });
    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await page.pdf({ format, printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(20_000);
      writeFileSync(join(OUT, `${name}-${format}.pdf`), pdf);
    }
    expect(o.errors, 'console errors after interaction').toEqual([]);
    await page.close();
  }

  it('the default scenario: every chart, the numbers of summary.json, phone width, print', async () => {
    const o = await open('default');
    const size = readFileSync(join(dirs.default, 'index.html')).length;
    console.info(`default scenario report: ${(size / 1024).toFixed(0)} KiB; dtsim report took ${reportSeconds.toFixed(2)} s`);
    expect(size).toBeLessThanOrEqual(1.5e6);
    const lead = await o.page.locator('#summary .lead').textContent();
    expect(lead).toContain('decentralized trains 140 B tokens in 4.6 days, 11× the time of hyperscaler');
    expect(o.charts.map((c) => c.id)).toEqual(expect.arrayContaining(['progress', 'throughput-0', 'throughput-1', 'gpus-online', 'breakdown', 'site-time', 'topology', 'gpu-mix', 'site-cost']));
    await check('flip-the-coin', o);
  });

  it('a hostile scenario name renders as text and runs no script', async () => {
    const o = await open('hostile');
    expect(await o.page.locator('#scenario-name').textContent()).toBe(HOSTILE);
    expect(await o.page.title()).toBe(`dtsim report: ${HOSTILE}`);
    expect(await o.page.locator('img').count()).toBe(0);
    expect(await o.page.locator('header .desc').textContent()).toContain('</script><script>window.__xss=2</script>');
    await o.page.locator('svg .mark-bar').first().hover();
    expect(await o.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await check('hostile', o);
  });

  it('churn against a cluster: events on the time axes, per-site time, the calibration curve', async () => {
    const o = await open('churn');
    const cal = o.charts.find((c) => c.id === 'calibration');
    expect(cal?.kind === 'line' && cal.series.map((x) => x.key)).toEqual(['h100-sxm@epyc-2vcpu']);
    expect(await o.page.locator('#calibration h2').textContent()).toBe('Compute calibration');
    expect(o.summary.run.events.churn).toBeGreaterThan(0);
    // Every timeline event of timeseries.csv is marked on the time axes.
    const marked = parseTimeseries(parseCsv(readFileSync(join(dirs.churn, 'timeseries.csv'), 'utf8'))).filter((r) => isMarkedEvent(r.event));
    const progress = o.charts.find((c) => c.id === 'progress')!;
    expect(progress.kind === 'line' && progress.events.length).toBe(marked.length);
    expect(await o.page.locator('#chart-progress svg .mark-event').count()).toBe(marked.length);
    await check('churn', o);
  });

  it('an economy with --runs 3: fan bands, GPUs by class, cohort returns and the headline bands of summary.json', async () => {
    const o = await open('economy');
    const e = o.summary as SummaryJson & { economy: { monteCarlo: { runs: number; headline: Record<string, Record<'p10' | 'p50' | 'p90', number>> }; summary: { cohorts: { roi: number }[] } } };
    const mc = e.economy.monteCarlo;
    expect(mc.runs).toBe(3);
    const marks = (id: string, cls: string) => o.page.locator(`#chart-${id} svg .${cls}`).count();
    // A fan per banded column of economy-mc.csv: one P10–P90 band and one P50 line, at most 400 days.
    const mcCsv = parseCsv(readFileSync(join(dirs.economy, 'economy-mc.csv'), 'utf8'));
    const banded = mcCsv.columns.filter((c) => c.endsWith('_p50')).map((c) => c.slice(0, -4));
    expect(banded).toEqual(['price_usd', 'capacity_h100eq', 'capacity_share', 'absorption_ratio']);
    for (const b of banded) {
      expect(await marks(`economy-mc-${b}`, 'mark-band'), b).toBe(1);
      expect(await marks(`economy-mc-${b}`, 'mark-line'), b).toBe(1);
      const fan = o.charts.find((c) => c.id === `economy-mc-${b}`)!;
      expect(fan.kind === 'line' && fan.bands![0].points.length).toBe(Math.min(400, mcCsv.rows.length));
    }
    // A stacked layer per cohort class of economy.csv.
    const eco = parseCsv(readFileSync(join(dirs.economy, 'economy.csv'), 'utf8'));
    const classes = eco.columns.filter((c) => c.startsWith('gpus_') && !GPU_AGGREGATES.includes(c));
    expect(classes.length).toBe(2);
    expect(await marks('economy-gpu-classes', 'mark-band')).toBe(classes.length);
    // A bar per cohort with a non-zero return, left of zero when it lost money.
    const cohorts = e.economy.summary.cohorts;
    expect(cohorts.length).toBeGreaterThan(0);
    expect(await marks('economy-cohort-roi', 'mark-bar')).toBe(cohorts.filter((c) => c.roi !== 0).length);
    expect(await o.page.locator('#chart-economy-cohort-roi tbody tr').count()).toBe(cohorts.length);
    // Emission value, operators' reward and the subsidy they need, as three lines, and not again as generic charts.
    expect(await marks('economy-emission-subsidy', 'mark-line')).toBe(3);
    expect(o.charts.some((c) => c.id === 'economy-emission_value_usd')).toBe(false);
    // The headline bands are those of summary.json, formatted.
    const cells = await o.page.evaluate(() => [...document.querySelectorAll<HTMLElement>('#economy-mc-headline td[data-key]')].map((td) => ({ key: td.dataset.key!, value: td.dataset.value!, text: td.textContent! })));
    expect(cells.length).toBe(Object.keys(mc.headline).length * 3);
    for (const c of cells) {
      const [, , , fig, p] = c.key.split('.');
      const v = mc.headline[fig][p as 'p10'];
      expect(c.value, c.key).toBe(String(v));
      expect(c.text, c.key).toBe(fmtValue(v, MC_HEADLINE.find((h) => h.key === fig)!.format));
    }
    // Reading a fan with the keyboard names its band and its median.
    await o.page.locator('#chart-economy-mc-price_usd .focus-layer').focus();
    await expect.poll(() => o.page.locator('#tooltip').textContent()).toMatch(/P50 \(median\): USD .+\nP10–P90: USD .+ – USD /);
    await check('economy', o);
  });

  it('an unfinished run says so and is given no ratio', async () => {
    const o = await open('unfinished');
    expect(o.summary.run.finished).toBe(false);
    const text = await o.page.locator('#summary').textContent();
    expect(text).toContain('did not finish');
    expect(text).toContain('No time or cost ratio is given');
    expect(await o.page.locator('[data-key^="comparison."]').count()).toBe(0);
    await check('unfinished', o);
  });

  it('results without links.csv, nodes.csv or scenario.json: rebuilt by dtsim report, degraded with notes', async () => {
    const o = await open('bare');
    // scenario.json is absent: the assumptions are re-read from the scenario file, and say so.
    expect(await o.page.locator('#assumptions .warn').textContent()).toMatch(/saved without scenario\.json: the assumptions below are re-read from .*churn\.yaml/);
    expect(await o.page.locator('#chart-topology .notes').first().textContent()).toMatch(/No link measurements were saved/);
    expect(await o.page.locator('#about').textContent()).toMatch(/links\.csvabsentnot written for this run/);
    await check('bare', o);
  });
});
