/**
 * The report page: static HTML for everything that reads without JavaScript (executive summary,
 * key numbers, assumptions, tables, the scenario), the chart specifications inlined as JSON,
 * and the bundled d3 code that draws them. Every string from a scenario or a result file goes
 * through `esc`; the JSON through `jsonForScript`. A Content-Security-Policy allows only this
 * one script (by hash) and no network access at all.
 */
import { createHash } from 'node:crypto';
import { stringify as yamlStringify } from 'yaml';
import { esc, jsonForScript } from './escape';
import { toCsv } from './csv';
import { buildSections, type ChartSection } from './charts';
import { executiveSummary, KEY_NUMBERS, valueAt, type Paragraph } from './summary-text';
import { fmtBitRate, fmtCount, fmtDuration, fmtNumber, fmtPct, fmtTokens, fmtUsd, fmtBytes, fmtValue } from './format';
import { REPORT_CSS } from './style';
import { EVENT_COLORS, HEAT_COLORS, HEAT_STEPS, KIND_COLORS } from './palette';
import type { ChartSpec, ReportInputs, Sourced, SystemAssumptions } from './types';

/** Data the browser bundle reads from the page. */
export interface PageData {
  readonly charts: readonly ChartSpec[];
}


function segmentsHtml(p: Paragraph): string {
  return p.map((s) => {
    if (typeof s === 'string') return esc(s);
    const inner = s.strong ? `<strong>${esc(s.text)}</strong>` : esc(s.text);
    return s.key !== undefined ? `<span data-key="${esc(s.key)}" data-value="${esc(String(s.value))}">${inner}</span>` : inner;
  }).join('');
}

function cellNum(key: string, value: unknown, text: string): string {
  return `<td class="num" data-key="${esc(key)}" data-value="${esc(String(value))}">${esc(text)}</td>`;
}

function keyNumbers(inp: ReportInputs): string {
  const s = inp.summary;
  const runs: ['run' | 'baseline', typeof s.run][] = s.baseline ? [['run', s.run], ['baseline', s.baseline]] : [['run', s.run]];
  const showRatio = s.baseline !== undefined && s.comparison !== undefined;
  const head = `<tr><th scope="col">Figure</th>${runs.map(([, r]) => `<th scope="col" class="num">${esc(r.label)}</th>`).join('')}${showRatio ? '<th scope="col" class="num">ratio run ÷ baseline</th>' : ''}</tr>`;
  const rows = KEY_NUMBERS.filter((k) => k.path || (showRatio && k.ratio && typeof valueAt(s.comparison, k.ratio) === 'number')).map((k) => {
    const cells = runs.map(([role, r]) => {
      const v = k.path ? valueAt(r, k.path) : undefined;
      if (!k.path) return '<td class="num"></td>';
      return typeof v === 'number' ? cellNum(`${role}.${k.path}`, v, k.fmt(v)) : '<td class="num">—</td>';
    }).join('');
    let ratio = '';
    if (showRatio) {
      const rv = k.ratio ? valueAt(s.comparison, k.ratio) : undefined;
      ratio = typeof rv === 'number' ? cellNum(`comparison.${k.ratio}`, rv, `${fmtNumber(rv)}×`) : '<td class="num"></td>';
    }
    return `<tr><th scope="row">${esc(k.label)}</th>${cells}${ratio}</tr>`;
  });
  const finished = runs.map(([role, r]) => `<td class="num" data-key="${role}.finished" data-value="${r.finished}">${r.finished ? 'yes' : 'no — stopped at the time limit'}</td>`).join('');
  rows.unshift(`<tr><th scope="row">Finished</th>${finished}${showRatio ? '<td></td>' : ''}</tr>`);
  return `<div class="scroll"><table class="key-numbers"><caption class="muted" style="text-align:left">Key numbers (ratios only when both runs finished)</caption><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function headline(inp: ReportInputs): string {
  const s = inp.summary, r = s.run, c = s.comparison;
  const tiles: string[] = [];
  const tile = (big: string, small: string, key?: string, value?: unknown) =>
    tiles.push(`<div${key ? ` data-key="${esc(key)}" data-value="${esc(String(value))}"` : ''}><b>${esc(big)}</b><span>${esc(small)}</span></div>`);
  tile(fmtDuration(r.timeToTrainS), r.finished ? `time to train (${r.label})` : `NOT FINISHED: ${fmtPct(r.progress)} of the tokens in this time (${r.label})`, 'run.timeToTrainS', r.timeToTrainS);
  if (c?.bothFinished && c.timeToTrainRatio !== undefined) tile(`${fmtNumber(c.timeToTrainRatio)}×`, 'the baseline’s time', 'comparison.timeToTrainRatio', c.timeToTrainRatio);
  else if (s.baseline) tile('no ratio', c?.note ?? 'a run did not finish');
  tile(fmtUsd(r.costUsd), 'cost', 'run.costUsd', r.costUsd);
  if (c?.costRatio !== undefined) tile(`${fmtNumber(c.costRatio)}×`, 'the baseline’s cost', 'comparison.costRatio', c.costRatio);
  tile(fmtPct(r.mfu), 'MFU over online GPU time', 'run.mfu', r.mfu);
  tile(fmtTokens(r.effectiveTokens), `effective tokens (of ${fmtTokens(r.tokensTrained)} raw)`, 'run.effectiveTokens', r.effectiveTokens);
  return `<div class="kv">${tiles.join('')}</div>`;
}

const dflt = <T>(v: Sourced<T>, text: string) =>
  v.from === 'default' ? `${esc(text)} <span class="dflt" title="${esc(`default: ${v.source ?? ''}`)}">†</span>` : esc(text);

function sitesTable(a: SystemAssumptions): string {
  const rows = a.sites.map((s) => {
    const gpus = s.nodeGroups.map((g) => `${g.nodes} × ${g.gpusPerNode} ${g.gpu}`).join(', ');
    const fab = s.fabric.value.id ? `${s.fabric.value.id} (${fmtBitRate(s.fabric.value.bytesPerS ?? 0)} per port as collectives reach it${s.fabric.value.oversubscription > 1 ? `, ${fmtNumber(s.fabric.value.oversubscription)}:1 oversubscribed` : ''})` : 'none (one machine)';
    const acc = s.access.value;
    const accText = `${acc.id ? `${acc.id}: ` : ''}${fmtBitRate(acc.upBytesPerS)} up / ${fmtBitRate(acc.downBytesPerS)} down, ${fmtNumber(acc.latencyS * 1000)} ms`;
    const cost = s.costModel.value === 'rental'
      ? 'rental (hourly GPU price)'
      : `owned: depreciation over ${fmtNumber(s.depreciationYears.value)} years${s.hostingUsdPerKWMonth.value > 0 ? `, colocation USD ${fmtNumber(s.hostingUsdPerKWMonth.value)}/kW/month` : ''}`;
    return `<tr><th scope="row">${esc(s.name)}</th><td>${esc(s.kind)}</td><td>${esc(s.region ?? '—')}</td><td>${esc(gpus)}</td><td>${dflt(s.fabric, fab)}</td><td>${dflt(s.access, accText)}</td><td class="num">${dflt(s.pue, fmtNumber(s.pue.value))}</td><td class="num">${dflt(s.electricityUsdPerKWh, `USD ${fmtNumber(s.electricityUsdPerKWh.value)}/kWh`)}</td><td>${dflt(s.costModel, cost)}</td></tr>`;
  });
  const table = `<div class="scroll"><table><thead><tr><th scope="col">Site</th><th scope="col">Kind</th><th scope="col">Region</th><th scope="col">GPUs (nodes × GPUs)</th><th scope="col">Fabric</th><th scope="col">WAN access</th><th scope="col" class="num">PUE</th><th scope="col" class="num">Electricity</th><th scope="col">Cost model</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
  return a.sites.length > 12 ? `<details><summary>${a.sites.length} sites</summary>${table}</details>` : table;
}

function nodesTable(a: SystemAssumptions): string {
  const rows = a.sites.flatMap((s) => s.nodeGroups.map((g) => `<tr><th scope="row">${esc(s.name)}</th><td>${esc(g.gpu)}</td><td class="num">${g.nodes} × ${g.gpusPerNode}</td><td class="num">${esc(fmtBitRate(g.intraNodeBytesPerS))}</td><td class="num">${esc(g.nicBytesPerS === null ? 'no limit' : fmtBitRate(g.nicBytesPerS))}</td><td class="num">${esc(fmtDuration(g.nodeMtbfS))}</td><td class="num">${s.costModel.value === 'rental' ? `USD ${esc(fmtNumber(g.rentalUsdPerGpuH))}/GPU-h` : esc(fmtUsd(g.capexUsdPerGpu))}</td></tr>`));
  return `<details><summary>Nodes: links, failure rate, price (${rows.length} groups)</summary><div class="scroll"><table><thead><tr><th scope="col">Site</th><th scope="col">GPU</th><th scope="col" class="num">nodes × GPUs</th><th scope="col" class="num">GPU-to-GPU link</th><th scope="col" class="num">NIC</th><th scope="col" class="num">node MTBF</th><th scope="col" class="num">price (rental, or capital per GPU)</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></details>`;
}

function defaultSources(a: SystemAssumptions): string {
  const seen = new Map<string, string>();
  const put = (label: string, v: Sourced<unknown>) => {
    if (v.from === 'default' && v.source && !seen.has(label)) seen.set(label, v.source);
  };
  for (const s of a.sites) {
    put(`${s.kind} fabric`, s.fabric);
    put(`${s.kind} WAN access`, s.access);
    put(`${s.kind} PUE`, s.pue);
    put(`${s.kind} electricity price`, s.electricityUsdPerKWh);
    put(`${s.kind} cost model`, s.costModel);
    if (s.costModel.value === 'owned') put(`${s.kind} depreciation`, s.depreciationYears);
    if (s.costModel.value === 'owned' && s.hostingUsdPerKWMonth.value > 0) put(`${s.kind} colocation`, s.hostingUsdPerKWMonth);
  }
  put('token efficiency', a.strategy.tokenEfficiency);
  put('TCP window', a.wan.tcpWindowBytes);
  put('TCP streams', a.wan.streams);
  if (a.faults.churn) put('churn', a.faults.churn);
  if (seen.size === 0) return '';
  return `<details><summary>Where the defaults (†) come from</summary><ul class="src">${[...seen].map(([k, v]) => `<li><b>${esc(k)}</b>: ${esc(v)}</li>`).join('')}</ul><p class="src">Source keys resolve in src/data/sources.md of the dtsim repository.</p></details>`;
}

function wanText(a: SystemAssumptions): string {
  const w = a.wan;
  const parts: string[] = [];
  if (w.matrix && w.pairs.length > 0) {
    const rows = w.pairs.map((p) => `<tr><td>${esc(p.a)} ↔ ${esc(p.b)}</td><td class="num">${esc(fmtNumber(p.rttS * 1000))} ms</td><td class="num">${esc(fmtBitRate(p.bytesPerS))}</td></tr>`).join('');
    parts.push(`<p>Between regions, the <b>measured WAN matrix</b> applies (${esc(w.matrixSource)}): round-trip time and throughput per region pair, on top of each site’s access link. Within a region: ${esc(fmtNumber(w.withinRegion.rttS * 1000))} ms, ${esc(fmtBitRate(w.withinRegion.bytesPerS))}.</p>`);
    parts.push(`<details${w.pairs.length <= 8 ? ' open' : ''}><summary>Region pairs (${w.pairs.length})</summary><div class="scroll"><table><thead><tr><th scope="col">Regions</th><th scope="col" class="num">RTT</th><th scope="col" class="num">throughput</th></tr></thead><tbody>${rows}</tbody></table></div></details>`);
  } else if (w.matrix) {
    parts.push('<p>The measured WAN matrix is on, but the sites do not span two known regions: only access links and latencies apply.</p>');
  } else {
    parts.push(`<p>No measured WAN matrix: sites talk over their access links${w.backboneLatencyS > 0 ? ` plus ${esc(fmtNumber(w.backboneLatencyS * 1000))} ms of backbone latency` : ''}.</p>`);
  }
  const win = w.tcpWindowBytes.value;
  parts.push(`<p>Each WAN flow is capped by TCP at streams × window ÷ RTT: ${dflt(w.streams, `${w.streams.value} stream${w.streams.value > 1 ? 's' : ''}`)} of ${dflt(w.tcpWindowBytes, win === null ? 'no window limit' : fmtBytes(win))} per transfer${win !== null ? ` (${esc(fmtBitRate((w.streams.value * win) / 0.1))} at 100 ms RTT)` : ''}.</p>`);
  return parts.join('');
}

function faultsText(a: SystemAssumptions): string {
  const f = a.faults;
  const out: string[] = [];
  out.push(f.failures
    ? `<p>Node failures: on, at each node group’s MTBF (table above); repair ${dflt(f.repairS, fmtDuration(f.repairS.value))}, job restart ${dflt(f.restartS, fmtDuration(f.restartS.value))}, checkpoints ${f.checkpointIntervalS === null ? 'at Young’s interval √(2·write·MTTI)' : `every ${esc(fmtDuration(f.checkpointIntervalS))}`}, each taking ${esc(fmtDuration(f.checkpointWriteS))}.</p>`
    : '<p>Node failures: off.</p>');
  if (f.churn) {
    const c = f.churn.value;
    out.push(`<p>Churn: ${dflt(f.churn, `${c.kinds.join(', ')} machines stay online ${fmtDuration(c.meanOnlineS)} and offline ${fmtDuration(c.meanOfflineS)} on average${c.shape !== 1 ? ` (Weibull shape ${fmtNumber(c.shape)})` : ''}`)}.</p>`);
  } else out.push('<p>Churn: none.</p>');
  return out.join('');
}

function assumptionsHtml(inp: ReportInputs): string {
  const rec = inp.scenario;
  if (!rec) return '<p class="warn">The scenario’s resolved settings were not saved with these results (scenario.json is missing), so the assumptions behind them cannot be listed. Re-run the scenario with this version of dtsim to include them.</p>';
  const note = rec.note ? `<p class="warn">${esc(rec.note)}</p>` : '';
  return note + rec.assumptions.map((a) => `
<h3>${esc(a.label)} <span class="muted">(${a.role === 'run' ? 'the system under study' : 'the baseline'})</span></h3>
<p><b>Strategy:</b> ${esc(a.strategy.text)}.</p>
<p><b>Token efficiency</b> η = ${dflt(a.strategy.tokenEfficiency, fmtNumber(a.strategy.tokenEfficiency.value))}${a.strategy.tokenEfficiency.from === 'default' ? ` — ${esc(a.strategy.tokenEfficiency.source ?? '')}` : ' (set by the scenario)'}. Effective tokens = raw tokens × η.</p>
${sitesTable(a)}${nodesTable(a)}
${wanText(a)}${faultsText(a)}${defaultSources(a)}`).join('') + '<p class="src">† a default the scenario did not set; hover or see the list for its source.</p>';
}

function tableHtml(c: ChartSpec): string {
  const t = c.table;
  const n = t.rows.length;
  const cell = (v: string | number) => (typeof v === 'number' ? `<td class="num">${esc(fmtNumber(v, 6))}</td>` : `<td>${esc(v)}</td>`);
  const csv = `data:text/csv;charset=utf-8,${encodeURIComponent(toCsv(t.columns, t.rows))}`;
  const link = `<a class="dl" href="${esc(csv)}" download="${esc(t.csvName)}">Download the numbers (CSV, ${n} rows)</a>`;
  if (n > 60) return `<p class="dl">${link} <span class="muted">— ${n} rows, too many for a table here.</span></p>`;
  const unit = c.tableUnit ? `<p class="notes">Values in ${esc(c.tableUnit)}.</p>` : '';
  return `<details${n <= 12 ? ' open' : ''} class="numbers"><summary>The numbers (${n} rows)</summary>${unit}<div class="scroll"><table><thead><tr>${t.columns.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${t.rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table></div></details><p>${link}</p>`;
}

function legendHtml(c: ChartSpec): string {
  const items: string[] = [];
  if (c.kind === 'line') {
    for (const b of c.bands ?? []) items.push(`<li><span class="sw${b.tip === 'range' ? ' band' : ''} c${b.color}"></span>${esc(b.label)}</li>`);
    for (const s of c.series) items.push(`<li><span class="sw ${s.dash ? 'dash' : 'line'} c${s.color}"></span>${esc(s.label)}</li>`);
    for (const k of [...new Set(c.events.map((e) => e.kind))]) items.push(`<li><span class="sw c${EVENT_COLORS[k] ?? 7}"></span>event: ${esc(k)}</li>`);
    for (const r of c.refLines) items.push(`<li><span class="sw dash c7"></span>${esc(r.label)}</li>`);
  } else if (c.kind === 'bars') {
    for (const s of c.segments) items.push(`<li><span class="sw${s.hatch ? ' hatch' : ''} c${s.color}"></span>${esc(s.label)}</li>`);
  } else {
    for (const k of [...new Set(c.nodes.map((n) => n.kind))]) items.push(`<li><span class="sw c${KIND_COLORS[k] ?? 7}" style="border-radius:50%"></span>${esc(k)} site</li>`);
    items.push('<li><span class="sw c8" style="width:9px;height:9px;transform:rotate(45deg)"></span>WAN hub (region)</li>');
    items.push(`<li><span class="sw ring"></span>${c.hasUtilization ? 'bottleneck (outlined)' : 'narrowest link (outlined)'}</li>`);
    if (c.hasUtilization) {
      const edges = [0, ...HEAT_STEPS, 1].map((v) => `${Math.round(v * 100)}`);
      HEAT_COLORS.forEach((col, i) => items.push(`<li><span class="sw line c${col}"></span>utilization ${i === HEAT_COLORS.length - 1 ? `≥ ${edges[i]} %` : `${edges[i]}–${edges[i + 1]} %`}</li>`));
    } else items.push('<li><span class="sw line c7"></span>link (not measured)</li>');
  }
  return `<ul class="legend" aria-label="Legend">${items.join('')}</ul>`;
}


function chartHtml(c: ChartSpec): string {
  const notes = (c.notes ?? []).map((n) => `<p class="notes">${esc(n)}</p>`).join('');
  return `<figure class="chart" id="chart-${esc(c.id)}" data-chart="${esc(c.id)}" aria-labelledby="title-${esc(c.id)}">
<figcaption><h3 id="title-${esc(c.id)}">${esc(c.title)}</h3><p>${esc(c.caption)}</p></figcaption>
${legendHtml(c)}<div class="plot" data-plot="${esc(c.id)}"><noscript><p class="notes">The chart needs JavaScript; its numbers are below.</p></noscript></div>
${notes}${tableHtml(c)}</figure>`;
}

/** The Monte Carlo headline bands: a table with each figure's P10 / P50 / P90 (keys into summary.json) and a CSV download. */
function bandsHtml(b: NonNullable<ChartSection['bands']>): string {
  const cols = ['p10', 'p50', 'p90'] as const;
  const rows = b.rows.map((r) => `<tr><th scope="row">${esc(r.label)}</th>${cols.map((p) => cellNum(`economy.monteCarlo.headline.${r.key}.${p}`, r.band[p], fmtValue(r.band[p], r.format))).join('')}</tr>`).join('');
  const csv = toCsv(['figure', 'p10', 'p50', 'p90'], b.rows.map((r) => [r.key, r.band.p10, r.band.p50, r.band.p90]));
  const seeds = b.seeds.length > 0 ? ` (seeds ${b.seeds.length > 8 ? `${b.seeds[0]}–${b.seeds[b.seeds.length - 1]}` : b.seeds.join(', ')})` : '';
  return `<figure class="chart" id="economy-mc-headline" aria-labelledby="title-economy-mc-headline"><figcaption><h3 id="title-economy-mc-headline">Monte Carlo: headline figures over ${esc(b.runs)} runs</h3><p>P10, median and P90 of each figure at the end of each run over ${esc(b.runs)} seeds${esc(seeds)} (summary.json economy.monteCarlo.headline); the baseline is simulated once.</p></figcaption>
<div class="scroll"><table class="mc-bands"><thead><tr><th scope="col">Figure</th><th scope="col" class="num">P10</th><th scope="col" class="num">P50</th><th scope="col" class="num">P90</th></tr></thead><tbody>${rows}</tbody></table></div>
<p><a class="dl" href="${esc(`data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`)}" download="economy-mc-headline.csv">Download the numbers (CSV, ${b.rows.length} rows)</a></p></figure>`;
}

function sectionHtml(s: ChartSection): string {
  return `<section id="${esc(s.id)}" aria-labelledby="h-${esc(s.id)}"><h2 id="h-${esc(s.id)}">${esc(s.title)}</h2>${s.missing.map((m) => `<p class="notes">${esc(m)}</p>`).join('')}${s.bands ? bandsHtml(s.bands) : ''}${s.charts.map(chartHtml).join('\n')}</section>`;
}

function scenarioHtml(inp: ReportInputs): string {
  const sc = inp.summary.scenario;
  const meta = `<p>Model <b>${esc(sc.model ?? '?')}</b>${sc.params ? ` (${esc(fmtTokens(sc.params))} parameters)` : ''}, ${esc(fmtTokens(sc.tokens))} tokens, seed ${esc(sc.seed ?? '?')}${sc.file ? `, from <code>${esc(sc.file)}</code>` : ''}.</p>`;
  if (!inp.scenario) return `${meta}<p class="notes">The scenario as run (scenario.json) was not saved with these results.</p>`;
  const text = yamlStringify(inp.scenario.scenario, { lineWidth: 100 });
  return `${meta}<p>As run (after <code>extends</code> and any <code>--set</code> overrides):</p><pre>${esc(text)}</pre>`;
}

function filesHtml(inp: ReportInputs): string {
  const rows = inp.files.map((f) => `<tr><td><code>${esc(f.name)}</code></td><td>${f.present ? 'found' : 'absent'}</td><td>${esc(f.note ?? '')}</td></tr>`).join('');
  const sim = inp.summary.run.simulator;
  return `<div class="scroll"><table class="files"><thead><tr><th scope="col">File</th><th scope="col">Status</th><th scope="col">Note</th></tr></thead><tbody>${rows}</tbody></table></div>
<p>summary.json schema version ${esc(inp.summary.schemaVersion)}.${sim ? ` The simulator processed ${esc(fmtCount(sim.events))} events and ${esc(fmtCount(sim.flowSolves))} flow solves for the run.` : ''} All figures are simulated; how dtsim models compute, networks, faults, energy and cost, and the sources of its defaults, are described in its README.</p>
<p>How to read the figures: <b>raw tokens</b> are tokens processed; <b>effective tokens</b> weigh them by the token efficiency of the training method. <b>MFU</b> is model FLOPs ÷ peak FLOPs of the GPUs <i>while online</i>; <b>fleet MFU</b> divides by every GPU for the whole run. A run that did not finish is shown with its progress, never with a time ratio.</p>`;
}

/** The complete page. `script` is the bundled browser code. */
export function buildPage(inp: ReportInputs, script: string): string {
  const s = inp.summary;
  const sections = buildSections(inp);
  const data: PageData = { charts: sections.flatMap((x) => x.charts) };
  const safeScript = script.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
  const hash = createHash('sha256').update(safeScript, 'utf8').digest('base64');
  const csp = `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  const unfinished = [s.run, s.baseline].filter((r) => r && !r.finished) as (typeof s.run)[];
  const banner = unfinished.length
    ? `<p class="warn" role="note">${unfinished.map((r) => `<strong>${esc(r.label)}</strong> did not finish: it trained ${esc(fmtPct(r.progress))} of the tokens before its time limit of ${esc(fmtDuration(r.timeToTrainS))}.`).join(' ')}</p>` : '';
  const nav = [['summary', 'Summary'], ['assumptions', 'Assumptions'], ...sections.map((x) => [x.id, x.title]), ['scenario', 'Scenario'], ['about', 'About']]
    .map(([id, t]) => `<li><a href="#${esc(id)}">${esc(t)}</a></li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="generator" content="dtsim report">
<title>dtsim report: ${esc(s.scenario.name)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<p class="meta">dtsim simulation report</p>
<h1 id="scenario-name">${esc(s.scenario.name)}</h1>
${s.scenario.description ? `<p class="desc">${esc(s.scenario.description.trim())}</p>` : ''}
</header>
<nav aria-label="Contents"><ul>${nav}</ul></nav>
<main>
<section id="summary" aria-labelledby="h-summary"><h2 id="h-summary">Executive summary</h2>
${banner}${headline(inp)}
<div class="lead">${executiveSummary(s).map((p) => `<p>${segmentsHtml(p)}</p>`).join('\n')}</div>
${keyNumbers(inp)}
</section>
<section id="assumptions" aria-labelledby="h-assumptions"><h2 id="h-assumptions">Assumptions that drive the result</h2>
<p>The settings below shape the numbers above. Those marked † are defaults of dtsim that the scenario did not choose.</p>
${assumptionsHtml(inp)}
</section>
${sections.map(sectionHtml).join('\n')}
<section id="scenario" aria-labelledby="h-scenario"><h2 id="h-scenario">The scenario</h2>${scenarioHtml(inp)}</section>
<section id="about" aria-labelledby="h-about"><h2 id="h-about">About these results</h2>${filesHtml(inp)}</section>
</main>
<footer><p>Generated by dtsim from the result files listed above. Self-contained: opens offline and makes no network request.</p></footer>
<div id="tooltip" role="tooltip" hidden></div>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${safeScript}</script>
</body>
</html>
`;
}
