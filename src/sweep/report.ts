/**
 * report.html of a sweep: one self-contained page (inline SVG and CSS, no script, no network)
 * with line plots of chosen metrics over a swept field (one line per value of a second field,
 * the mean over the remaining fields and seeds, every point as a dot), heatmaps of a metric over
 * two fields, the target-search answers and the results table. Deterministic: the same results
 * give the same bytes. Plain styling of its own; it can adopt the run report's style
 * (src/report/html) once that exists.
 *
 * Charts come from the sweep's `report:` block, or by default: each swept field (up to three)
 * against time to train and cost, and a heatmap over the first two swept fields.
 */
import { metricValue, toNumber } from './condition';
import { paramColumns, pointValues, unitSize, valueText, type Plan } from './plan';
import type { UnitOutcome } from './results';
import type { PointRecord } from './store';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Scale {
  /** Divide values by this for display. */
  readonly div: number;
  readonly unit: string;
}

/** A display unit for a metric: days or hours for durations, USD, otherwise plain. */
function metricScale(metric: string, values: readonly number[]): Scale {
  const max = Math.max(0, ...values.map(Math.abs));
  if (/S$/.test(metric)) return max >= 2 * 86400 ? { div: 86400, unit: 'days' } : max >= 7200 ? { div: 3600, unit: 'h' } : { div: 1, unit: 's' };
  if (/Usd$/.test(metric)) return { div: 1, unit: 'USD' };
  if (/J$/.test(metric)) return { div: 3.6e9, unit: 'MWh' };
  if (/Bytes|bytes/.test(metric)) return max >= 1e12 ? { div: 1e12, unit: 'TB' } : max >= 1e9 ? { div: 1e9, unit: 'GB' } : { div: 1, unit: 'B' };
  return { div: 1, unit: '' };
}

/** At most 4 significant digits, k/M/G/T suffixes for large numbers. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return '';
  const a = Math.abs(x);
  for (const [v, s] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e4, 'k']] as const) if (a >= v) return `${Number((x / v).toPrecision(3))}${s}`;
  return String(Number(x.toPrecision(4)));
}

/** Viridis-like colour for t in [0, 1]. */
function color(t: number): string {
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((v, k) => Math.round(v + f * (stops[i + 1][k] - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** The last two parts of a long field path ("strategy.innerSteps"), for legends. */
function shortPath(p: string): string {
  if (p.length <= 24) return p;
  const parts = p.split('.');
  const tail = parts.slice(-2).join('.');
  return tail.length <= 24 ? `…${tail}` : `…${p.slice(-23)}`;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

interface Datum {
  readonly vals: readonly unknown[];
  readonly rec: PointRecord;
}

function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function linePlot(cols: readonly string[], data: readonly Datum[], x: string, metric: string, series?: string): string {
  const xi = cols.indexOf(x), si = series ? cols.indexOf(series) : -1;
  const pts = data.flatMap((d) => {
    const y = d.rec.status === 'ok' ? toNumber(metricValue(d.rec.summary, metric)) : null;
    return y === null ? [] : [{ xv: d.vals[xi], xs: valueText(d.vals[xi]), s: si >= 0 ? valueText(d.vals[si]) : '', y }];
  });
  if (pts.length === 0) return `<p class="note">${esc(metric)} over ${esc(x)}: no finished points.</p>`;
  const xsOrder = [...new Set(data.map((d) => valueText(d.vals[xi])))];
  const numeric = data.every((d) => toNumber(d.vals[xi]) !== null);
  const xnum = new Map(xsOrder.map((s, i) => [s, numeric ? toNumber(data.find((d) => valueText(d.vals[xi]) === s)!.vals[xi])! : i]));
  const xvals = [...xnum.values()];
  const xmin = Math.min(...xvals), xmax = Math.max(...xvals);
  const log = numeric && xmin > 0 && xmax / xmin >= 20;
  const sc = metricScale(metric, pts.map((p) => p.y));
  const ys = pts.map((p) => p.y / sc.div);
  let ymin = Math.min(...ys), ymax = Math.max(...ys);
  if (ymin === ymax) {
    ymin -= Math.abs(ymin) * 0.1 || 1;
    ymax += Math.abs(ymax) * 0.1 || 1;
  }
  const pad = (ymax - ymin) * 0.05;
  ymin = ymin >= 0 && ymin - pad < 0 ? 0 : ymin - pad;
  ymax += pad;
  const W = 680, H = 340, L = 70, R = 180, T = 24, B = 50;
  const fx = (v: number) => {
    if (xmax === xmin) return L + (W - L - R) / 2;
    const f = log ? (Math.log(v) - Math.log(xmin)) / (Math.log(xmax) - Math.log(xmin)) : (v - xmin) / (xmax - xmin);
    return L + f * (W - L - R);
  };
  const fy = (v: number) => T + (1 - (v - ymin) / (ymax - ymin)) * (H - T - B);
  const out: string[] = [`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(`${metric} over ${x}`)}">`];
  for (const t of niceTicks(ymin, ymax)) {
    out.push(`<line x1="${L}" x2="${W - R}" y1="${fy(t).toFixed(1)}" y2="${fy(t).toFixed(1)}" class="grid"/>`,
      `<text x="${L - 6}" y="${(fy(t) + 4).toFixed(1)}" text-anchor="end">${esc(fmt(t))}</text>`);
  }
  const xticks = xsOrder.length <= 10 ? xsOrder : xsOrder.filter((_, i) => i % Math.ceil(xsOrder.length / 8) === 0);
  for (const s of xticks) {
    const px = fx(xnum.get(s)!);
    out.push(`<line x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${H - B}" y2="${H - B + 4}" class="axis"/>`,
      `<text x="${px.toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${esc(s.length > 14 ? `${s.slice(0, 13)}…` : s)}</text>`);
  }
  out.push(`<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" class="axis"/><line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" class="axis"/>`,
    `<text x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle" class="label">${esc(x)}${log ? ' (log scale)' : ''}</text>`,
    `<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle" class="label">${esc(metric)}${sc.unit ? ` (${sc.unit})` : ''}</text>`);
  const seriesNames = [...new Set(pts.map((p) => p.s))];
  seriesNames.forEach((name, k) => {
    const c = PALETTE[k % PALETTE.length];
    const mine = pts.filter((p) => p.s === name);
    const means = xsOrder.flatMap((s) => {
      const at = mine.filter((p) => p.xs === s).map((p) => p.y / sc.div);
      return at.length ? [[fx(xnum.get(s)!), fy(at.reduce((a, b) => a + b, 0) / at.length)]] : [];
    });
    for (const p of mine) out.push(`<circle cx="${fx(xnum.get(p.xs)!).toFixed(1)}" cy="${fy(p.y / sc.div).toFixed(1)}" r="2.5" fill="${c}" fill-opacity="0.35"><title>${esc(`${p.xs}${name ? `, ${name}` : ''}: ${fmt(p.y / sc.div)}`)}</title></circle>`);
    out.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${means.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}"/>`);
    if (series) out.push(`<rect x="${W - R + 12}" y="${T + 16 * k}" width="10" height="10" fill="${c}"/><text x="${W - R + 26}" y="${T + 9 + 16 * k}">${esc(name.length > 18 ? `${name.slice(0, 17)}…` : name)}</text>`);
  });
  if (series) out.push(`<text x="${W - R + 12}" y="${T - 6}" class="label">${esc(shortPath(series))}</text>`);
  out.push('</svg>');
  return out.join('');
}

function heatmap(cols: readonly string[], data: readonly Datum[], x: string, y: string, metric: string): string {
  const xi = cols.indexOf(x), yi = cols.indexOf(y);
  const xs = [...new Set(data.map((d) => valueText(d.vals[xi])))];
  const ys = [...new Set(data.map((d) => valueText(d.vals[yi])))];
  const cells = new Map<string, number[]>();
  for (const d of data) {
    const v = d.rec.status === 'ok' ? toNumber(metricValue(d.rec.summary, metric)) : null;
    if (v === null) continue;
    const k = `${valueText(d.vals[xi])}\0${valueText(d.vals[yi])}`;
    cells.set(k, [...(cells.get(k) ?? []), v]);
  }
  const mean = new Map([...cells].map(([k, v]) => [k, v.reduce((a, b) => a + b, 0) / v.length]));
  if (mean.size === 0) return `<p class="note">${esc(metric)} over ${esc(x)} × ${esc(y)}: no finished points.</p>`;
  const sc = metricScale(metric, [...mean.values()]);
  const lo = Math.min(...mean.values()), hi = Math.max(...mean.values());
  const cw = Math.max(36, Math.min(90, Math.floor(520 / xs.length))), ch = Math.max(22, Math.min(40, Math.floor(360 / ys.length)));
  const L = 120, T = 10, W = L + cw * xs.length + 20, H = T + ch * ys.length + 50;
  const out: string[] = [`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(`${metric} over ${x} and ${y}`)}">`];
  ys.forEach((ys_, r) => {
    out.push(`<text x="${L - 6}" y="${T + r * ch + ch / 2 + 4}" text-anchor="end">${esc(ys_.length > 16 ? `${ys_.slice(0, 15)}…` : ys_)}</text>`);
    xs.forEach((xs_, c) => {
      const v = mean.get(`${xs_}\0${ys_}`);
      const fill = v === undefined ? '#eee' : color(hi > lo ? (v - lo) / (hi - lo) : 0.5);
      const t = v === undefined ? 'no result' : fmt(v / sc.div);
      out.push(`<rect x="${L + c * cw}" y="${T + r * ch}" width="${cw - 1}" height="${ch - 1}" fill="${fill}"><title>${esc(`${x}=${xs_}, ${y}=${ys_}: ${t}`)}</title></rect>`);
      if (xs.length <= 12 && ys.length <= 16) {
        const dark = v !== undefined && hi > lo && (v - lo) / (hi - lo) < 0.55;
        out.push(`<text x="${L + c * cw + cw / 2}" y="${T + r * ch + ch / 2 + 4}" text-anchor="middle" style="fill:${dark ? '#fff' : '#000'}">${esc(t)}</text>`);
      }
    });
  });
  xs.forEach((xs_, c) => out.push(`<text x="${L + c * cw + cw / 2}" y="${T + ys.length * ch + 14}" text-anchor="middle">${esc(xs_.length > 12 ? `${xs_.slice(0, 11)}…` : xs_)}</text>`));
  out.push(`<text x="${L + (cw * xs.length) / 2}" y="${H - 12}" text-anchor="middle" class="label">${esc(x)}</text>`);
  out.push('</svg>');
  return `<figure><figcaption>${esc(metric)}${sc.unit ? ` (${sc.unit})` : ''}: mean over the other fields and seeds; rows ${esc(y)}, columns ${esc(x)}; ${esc(fmt(lo / sc.div))} (dark) … ${esc(fmt(hi / sc.div))} (light)</figcaption>${out.join('')}</figure>`;
}

export function sweepReportHtml(plan: Plan, rows: readonly PointRecord[], outcomes: readonly UnitOutcome[]): string {
  const cols = paramColumns(plan);
  const data: Datum[] = rows.map((rec) => ({ vals: pointValues(plan, rec.index), rec }));
  const swept = cols.filter((c) => c !== 'seed');
  const byStatus = (s: string) => rows.filter((r) => r.status === s).length;
  const headline = ['run.timeToTrainS', 'run.costUsd'].filter((m) => plan.metrics.includes(m));
  const metrics = headline.length ? headline : plan.metrics.slice(0, 2);
  const lines = plan.report?.lines ?? swept.slice(0, 3).flatMap((x) => {
    const other = swept.find((c) => c !== x && new Set(data.map((d) => valueText(d.vals[cols.indexOf(c)]))).size <= 8);
    return metrics.map((metric) => ({ x, metric, series: other }));
  });
  const heatmaps = plan.report?.heatmaps ?? (swept.length >= 2 && metrics.length ? [{ x: swept[0], y: swept[1], metric: metrics[0] }] : []);
  const parts: string[] = [];
  parts.push(`<h1>Sweep ${esc(plan.name)}</h1>`,
    `<p>Scenario <code>${esc(plan.scenario)}</code>, sweep <code>${esc(plan.file)}</code>${plan.baseline ? '' : ', baseline dropped'}. `
    + `${rows.length} points: ${byStatus('ok')} finished simulations, ${byStatus('infeasible')} infeasible, ${byStatus('error')} failed.</p>`);
  const known = (c: string) => cols.includes(c);
  for (const l of lines) {
    if (!known(l.x) || (l.series && !known(l.series))) {
      parts.push(`<p class="note">report.lines: ${esc(l.x)}${l.series ? ` / ${esc(l.series)}` : ''} is not a swept field.</p>`);
      continue;
    }
    parts.push(`<figure><figcaption>${esc(l.metric)} over ${esc(l.x)}${l.series ? `, one line per ${esc(l.series)}` : ''} (lines: mean over the other fields and seeds; dots: points)</figcaption>${linePlot(cols, data, l.x, l.metric, l.series)}</figure>`);
  }
  for (const h of heatmaps) {
    if (!known(h.x) || !known(h.y)) {
      parts.push(`<p class="note">report.heatmaps: ${esc(h.x)} / ${esc(h.y)} is not a swept field.</p>`);
      continue;
    }
    parts.push(heatmap(cols, data, h.x, h.y, h.metric));
  }
  if (plan.target) {
    const t = plan.target;
    const tIdx = cols.indexOf(t.path);
    const head = cols.filter((_, i) => i !== tIdx);
    parts.push(`<h2>Target: smallest ${esc(t.path)} with ${esc(t.condition)}</h2><table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}<th>${esc(t.path)}</th><th>points simulated</th></tr>`);
    for (const o of outcomes) {
      const vals = pointValues(plan, o.unit * unitSize(plan)).filter((_, i) => i !== tIdx).map(valueText);
      const ans = o.need !== undefined ? 'unfinished' : o.answer === null || o.answer === undefined ? 'none meets it' : valueText(t.values[o.answer % unitSize(plan)]);
      parts.push(`<tr>${vals.map((v) => `<td>${esc(v)}</td>`).join('')}<td><b>${esc(ans)}</b></td><td>${o.probes.length - (o.need !== undefined ? 1 : 0)}</td></tr>`);
    }
    parts.push('</table>');
  }
  const shown = rows.slice(0, 500);
  parts.push(`<h2>Results</h2><table><tr><th>point</th>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}<th>status</th>${plan.metrics.map((m) => `<th>${esc(m)}</th>`).join('')}</tr>`);
  for (const r of shown) {
    const vals = pointValues(plan, r.index).map(valueText);
    const ms = plan.metrics.map((m) => {
      const v = r.status === 'ok' ? metricValue(r.summary, m) : undefined;
      return typeof v === 'number' ? fmt(v) : v === undefined ? '' : String(v);
    });
    parts.push(`<tr><td>${r.index}</td>${vals.map((v) => `<td>${esc(v)}</td>`).join('')}<td${r.status === 'ok' ? '' : ` title="${esc(r.message)}"`}>${r.status}</td>${ms.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`);
  }
  parts.push('</table>');
  if (rows.length > shown.length) parts.push(`<p class="note">First ${shown.length} of ${rows.length} points; all are in results.csv.</p>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dtsim sweep ${esc(plan.name)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}code{background:#f4f4f4;padding:0 3px}
figure{margin:20px 0}figcaption{font-weight:600;margin-bottom:6px}
svg text{font-size:11px;fill:#333}svg .label{font-size:12px;font-weight:600}svg .grid{stroke:#e6e6e6}svg .axis{stroke:#888}
table{border-collapse:collapse;font-size:12px;margin:8px 0;display:block;overflow-x:auto}th,td{border:1px solid #ddd;padding:3px 6px;text-align:right;white-space:nowrap}th{background:#f6f6f6}
.note{color:#666}
</style></head><body>
${parts.join('\n')}
<p class="note">Written by dtsim sweep; every point's summary.json is under points/, the table above is results.csv.</p>
</body></html>
`;
}
