/**
 * calibration.html: a standalone page (inline SVG, no script, no external file) with
 * GFLOP/s against square matrix size per backend and kernel, the device's FP32 peak and
 * numpy's BLAS as reference lines, the efficiency curve the simulator uses, and the table.
 */
import type { Profile } from './profile';
import { flopRate } from './profile';

interface Series {
  readonly label: string;
  readonly points: readonly (readonly [number, number])[];
  readonly color: string;
  readonly dash?: string;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(v: number): string {
  if (v === 0) return '0';
  if (v >= 1e4 || v < 1e-2) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

interface Axis {
  readonly min: number;
  readonly max: number;
  readonly log: boolean;
  readonly ticks: readonly number[];
  readonly label: string;
  readonly tickText?: (v: number) => string;
}

function logTicks(min: number, max: number, base: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log(min) / Math.log(base)); base ** e <= max * 1.0001; e++) if (base ** e >= min * 0.9999) out.push(base ** e);
  return out;
}

/** One SVG line chart; `hlines` are labelled horizontal reference lines. */
export function lineChart(title: string, x: Axis, y: Axis, series: readonly Series[], hlines: readonly { label: string; value: number; color: string }[] = []): string {
  const W = 760, H = 420, L = 70, R = 190, T = 36, B = 50;
  const px = (v: number) => L + ((x.log ? Math.log(v) - Math.log(x.min) : v - x.min) / (x.log ? Math.log(x.max) - Math.log(x.min) : x.max - x.min)) * (W - L - R);
  const py = (v: number) => H - B - ((y.log ? Math.log(v) - Math.log(y.min) : v - y.min) / (y.log ? Math.log(y.max) - Math.log(y.min) : y.max - y.min)) * (H - T - B);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<text x="${L}" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`);
  parts.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#999"/>`);
  for (const t of x.ticks) {
    const X = px(t).toFixed(1);
    parts.push(`<line x1="${X}" y1="${T}" x2="${X}" y2="${H - B}" stroke="#eee"/><text x="${X}" y="${H - B + 16}" text-anchor="middle">${esc(x.tickText ? x.tickText(t) : fmt(t))}</text>`);
  }
  for (const t of y.ticks) {
    const Y = py(t).toFixed(1);
    parts.push(`<line x1="${L}" y1="${Y}" x2="${W - R}" y2="${Y}" stroke="#eee"/><text x="${L - 6}" y="${Y}" text-anchor="end" dominant-baseline="middle">${esc(y.tickText ? y.tickText(t) : fmt(t))}</text>`);
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">${esc(x.label)}</text>`);
  parts.push(`<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(y.label)}</text>`);
  let legendY = T + 6;
  const legend = (label: string, color: string, dash?: string) => {
    parts.push(`<line x1="${W - R + 10}" y1="${legendY}" x2="${W - R + 34}" y2="${legendY}" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/><text x="${W - R + 40}" y="${legendY}" dominant-baseline="middle">${esc(label)}</text>`);
    legendY += 18;
  };
  for (const h of hlines) {
    if (h.value < y.min || h.value > y.max) continue;
    const Y = py(h.value).toFixed(1);
    parts.push(`<line x1="${L}" y1="${Y}" x2="${W - R}" y2="${Y}" stroke="${h.color}" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    legend(h.label, h.color, '6 4');
  }
  for (const s of series) {
    const pts = s.points.filter(([a, b]) => a >= x.min && a <= x.max && b >= y.min && b <= y.max);
    if (pts.length === 0) continue;
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} points="${pts.map(([a, b]) => `${px(a).toFixed(1)},${py(b).toFixed(1)}`).join(' ')}"/>`);
    for (const [a, b] of pts) parts.push(`<circle cx="${px(a).toFixed(1)}" cy="${py(b).toFixed(1)}" r="3" fill="${s.color}"><title>${esc(`${s.label}: ${fmt(a)} → ${fmt(b)}`)}</title></circle>`);
    legend(s.label, s.color, s.dash);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** The whole page for a profile. */
export function calibrationHtml(p: Profile): string {
  const squares = p.measurements.filter((m) => m.label === 'square');
  const groups = new Map<string, [number, number][]>();
  for (const m of squares) {
    const key = `${m.backend}${m.backend === 'webasm' ? ` ×${m.threads}` : ''} ${m.kernel}`;
    groups.set(key, [...(groups.get(key) ?? []), [m.n, m.gflops]]);
  }
  const series: Series[] = [...groups.entries()].map(([label, pts], i) => ({
    label, points: pts.sort((a, b) => a[0] - b[0]), color: COLORS[i % COLORS.length], dash: label.endsWith('naive') ? '3 3' : undefined,
  }));
  const numpy = p.reference.numpy;
  if (numpy) series.push({ label: `numpy ${numpy.version} BLAS`, points: numpy.results.map((r) => [r.n, Math.max(r.gflops, r.singleThreadGflops)]), color: '#000' });
  const peak = p.peak.fp32 ? flopRate(p.peak.fp32) / 1e9 : null;
  const ys = [...series.flatMap((s) => s.points.map((q) => q[1])), ...(peak ? [peak] : [])];
  const ns = squares.map((m) => m.n);
  const chart1 = ns.length === 0 ? '<p>No square sizes measured.</p>' : lineChart(
    'GEMM throughput vs size (float32, readback included; median)',
    { min: Math.min(...ns) / 1.2, max: Math.max(...ns) * 1.2, log: true, ticks: logTicks(Math.min(...ns), Math.max(...ns), 2), label: 'square size n (C = A·B, n×n)', tickText: (v) => String(Math.round(v)) },
    { min: Math.min(...ys) / 2, max: Math.max(...ys) * 2, log: true, ticks: logTicks(Math.min(...ys) / 2, Math.max(...ys) * 2, 10), label: 'GFLOP/s (log)' },
    series,
    peak ? [{ label: `FP32 peak ${p.peak.fp32}`, value: peak, color: '#555' }] : [],
  );
  const cps = p.curve.points;
  const chart2 = lineChart(
    `Efficiency curve (${p.backend}, achieved ÷ plateau ${p.plateau})`,
    { min: cps[0][0] / 2, max: cps[cps.length - 1][0] * 2, log: true, ticks: logTicks(cps[0][0] / 2, cps[cps.length - 1][0] * 2, 10), label: 'GEMM FLOP (2·m·n·k, log)' },
    { min: 0, max: 1.1, log: false, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], label: 'efficiency' },
    [
      { label: 'curve (fit)', points: cps, color: COLORS[0] },
      {
        label: 'measured ÷ plateau',
        points: p.measurements.filter((m) => m.backend === p.backend && m.threads === p.threads && m.kernel !== 'naive')
          .map((m) => [m.flop, (m.gflops * 1e9) / flopRate(p.plateau)] as [number, number]).sort((a, b) => a[0] - b[0]),
        color: COLORS[1], dash: '2 4',
      },
    ],
  );
  const np = new Map((numpy?.results ?? []).map((r) => [r.n, Math.max(r.gflops, r.singleThreadGflops)]));
  const rows = p.measurements.map((m) => `<tr><td>${esc(m.backend)}${m.backend === 'webasm' ? ` ×${m.threads}` : ''}</td><td>${esc(m.kernelClass)}</td><td>${esc(m.kernel)}</td><td>${esc(m.label)}</td><td>${m.m}×${m.n}×${m.k}</td>`
    + `<td>${m.gflops.toPrecision(3)}</td><td>${(100 * m.spread).toFixed(0)} %</td><td>${m.peakFraction === null ? '–' : `${(100 * m.peakFraction).toPrecision(2)} %`}</td>`
    + `<td>${m.label === 'square' && np.has(m.n) ? `${((100 * m.gflops) / np.get(m.n)!).toPrecision(2)} %` : '–'}</td>`
    + `<td>${(1000 * m.firstCallS).toFixed(0)}</td><td>${(1000 * m.medianS).toPrecision(3)}</td><td>${m.computeS === null ? '–' : (1000 * m.computeS).toPrecision(3)}</td><td>${m.readbackS === null ? '–' : (1000 * m.readbackS).toPrecision(3)}</td>`
    + `<td>${m.check.worstRatio.toPrecision(2)}${m.check.sampled ? ' (sampled)' : ''}</td></tr>`).join('\n');
  const backends = p.backends.map((b) => `<tr><td>${esc(b.backend)}</td><td>${esc(b.requested)}</td><td>${esc(b.kernelClass)}</td><td>${b.threads}</td><td>${b.deviceKind}</td><td>${esc(b.adapter ?? '–')}</td><td>${(1000 * b.setupS).toFixed(1)}</td><td>${(1000 * b.firstKernelExtraS).toFixed(0)}</td><td>${esc(b.plateau)}</td><td>${b.peakFraction === null ? '–' : `${(100 * b.peakFraction).toPrecision(2)} %`}</td></tr>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>dtsim calibration: ${esc(p.name)}</title>
<style>body{font-family:sans-serif;margin:24px;max-width:1100px}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:nth-child(-n+4){text-align:left}</style></head>
<body>
<h1>Calibration profile ${esc(p.name)}</h1>
<p>${esc(p.date)} · device (${p.device.kind}): ${esc(p.device.description)} · Node ${esc(p.software.node)}, gpu.js ${esc(p.software.gpujs)}${p.software.webgpu ? `, webgpu ${esc(p.software.webgpu)}` : ''} · ${p.conditions.runs} timed runs after ${p.conditions.warmup} warm-up · load average ${p.conditions.loadAverage.join(' → ')}</p>
<p>FP32 peak: ${esc(p.peak.fp32 ?? 'unknown')} — ${esc(p.peak.source)}. Curve from <b>${esc(p.backend)}</b> (${esc(p.kernelClass)}, ${p.threads} thread${p.threads > 1 ? 's' : ''}), plateau ${esc(p.plateau)}. ${esc(p.reference.note)}.</p>
${chart1}
${chart2}
<h2>Backends</h2>
<table><tr><th>backend</th><th>asked</th><th>kernel class</th><th>threads</th><th>device</th><th>adapter</th><th>set-up ms</th><th>first-call extra ms</th><th>plateau</th><th>of peak</th></tr>
${backends}</table>
<h2>Measurements</h2>
<table><tr><th>backend</th><th>class</th><th>kernel</th><th>shape</th><th>m×n×k</th><th>GFLOP/s</th><th>IQR</th><th>of peak</th><th>of numpy</th><th>first call ms</th><th>median ms</th><th>compute ms</th><th>readback ms</th><th>err ÷ tol</th></tr>
${rows}</table>
${p.skipped.length ? `<h2>Skipped</h2><ul>${p.skipped.map((s) => `<li>${esc(`${s.backend} ${s.kernel} ${s.m}×${s.n}×${s.k} ${s.label}: ${s.reason}`)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
