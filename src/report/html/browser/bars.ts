/// <reference lib="dom" />
/**
 * Reusable horizontal stacked bar chart: accessors give the rows, the segments and the value of
 * a (row, segment) cell. Each row's label sits above its bar so long site names fit at phone
 * width; every non-zero segment is a focusable mark with its value in words.
 */
import { select } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { axisBottom } from 'd3-axis';
import { format } from 'd3-format';
import { max, sum } from 'd3-array';
import { fmtValue } from '../format';
import type { BarChartSpec } from '../types';
import { focusableMarks } from './tooltip';

export interface BarAccessors<R, G> {
  readonly rows: (c: BarChartSpec) => readonly R[];
  readonly segments: (c: BarChartSpec) => readonly G[];
  readonly value: (c: BarChartSpec, row: number, seg: number) => number;
  readonly rowLabel: (r: R) => string;
  readonly segLabel: (g: G) => string;
  readonly color: (g: G) => number;
  readonly hatch: (g: G) => boolean;
  readonly detail: (c: BarChartSpec, row: number, seg: number) => string | undefined;
}

type Row = BarChartSpec['rows'][number];
type Seg = BarChartSpec['segments'][number];

export const DEFAULT_BAR_ACCESSORS: BarAccessors<Row, Seg> = {
  rows: (c) => c.rows, segments: (c) => c.segments, value: (c, i, j) => c.values[i]?.[j] ?? 0,
  rowLabel: (r) => r.label, segLabel: (g) => g.label, color: (g) => g.color, hatch: (g) => g.hatch === true, detail: (c, i, j) => c.details?.[i]?.[j],
};

interface Cell<R, G> { row: R; seg: G; i: number; j: number; x0: number; v: number }

let patterns = 0;

export function barChart<R, G>(acc: BarAccessors<R, G>) {
  return function render(container: HTMLElement, spec: BarChartSpec, width: number): void {
    const W = Math.max(280, Math.round(width));
    const rows = acc.rows(spec), segs = acc.segments(spec);
    const label = 17, bar = 18, gap = 9;
    const m = { l: 14, r: 22, t: 4, b: 42 };
    const iw = W - m.l - m.r;
    const H = m.t + rows.length * (label + bar + gap) + m.b;
    const totals = rows.map((_, i) => sum(segs, (_g, j) => acc.value(spec, i, j)));
    // Positive parts stack rightwards from zero, negative ones leftwards (d3's diverging offset).
    const pos = rows.map((_, i) => sum(segs, (_g, j) => Math.max(0, acc.value(spec, i, j))));
    const neg = rows.map((_, i) => sum(segs, (_g, j) => Math.min(0, acc.value(spec, i, j))));
    const pct = spec.valueFormat === 'pct';
    const share = pct && spec.valueDomain !== 'fit';
    const lo = Math.min(0, ...neg), hi = Math.max(0, ...pos);
    const x = scaleLinear().domain([lo, share ? Math.max(1, hi) : hi || (lo < 0 ? 0 : 1)]).range([0, iw]);
    if (!share) x.nice();
    const svg = select(container).append('svg').attr('viewBox', `0 0 ${W} ${H}`).attr('width', W).attr('height', H)
      .attr('role', 'group').attr('aria-label', `${spec.title}: chart`);
    // Striped fills for segments that share a colour with another.
    const fill = new Map<number, string>();
    const defs = svg.append('defs');
    for (const seg of segs) {
      if (!acc.hatch(seg) || fill.has(acc.color(seg))) continue;
      const c = acc.color(seg), id = `hatch-${++patterns}`;
      const p = defs.append('pattern').attr('id', id).attr('patternUnits', 'userSpaceOnUse').attr('width', 6).attr('height', 6).attr('patternTransform', 'rotate(45)');
      p.append('rect').attr('width', 6).attr('height', 6).attr('fill', `var(--c${c})`).attr('fill-opacity', 0.25);
      p.append('rect').attr('width', 3).attr('height', 6).attr('fill', `var(--c${c})`);
      fill.set(c, `url(#${id})`);
    }
    const fillOf = (seg: G) => (acc.hatch(seg) ? fill.get(acc.color(seg))! : `var(--c${acc.color(seg)})`);
    const g = svg.append('g').attr('transform', `translate(${m.l},${m.t})`);
    const ih = rows.length * (label + bar + gap);
    g.append('g').attr('class', 'grid').attr('transform', `translate(0,${ih})`)
      .call(axisBottom(x).ticks(Math.max(2, Math.floor(iw / 90))).tickSize(-ih).tickFormat(() => ''));
    g.append('g').attr('class', 'axis').attr('transform', `translate(0,${ih})`)
      .call(axisBottom(x).ticks(Math.max(2, Math.floor(iw / 90))).tickFormat((v) => (pct ? format('.0%')(+v) : fmtValue(+v, spec.valueFormat))));
    if (lo < 0) g.append('line').attr('x1', x(0)).attr('x2', x(0)).attr('y1', 0).attr('y2', ih).attr('stroke', 'var(--fg)').attr('stroke-opacity', 0.6);
    g.append('text').attr('x', iw / 2).attr('y', ih + 34).attr('text-anchor', 'middle').attr('font-size', 12).text(spec.valueLabel);

    const cells: Cell<R, G>[][] = rows.map((row, i) => {
      let up = 0, down = 0;
      return segs.map((seg, j) => {
        const v = acc.value(spec, i, j);
        const c = { row, seg, i, j, x0: v >= 0 ? up : down + v, v };
        if (v >= 0) up += v;
        else down += v;
        return c;
      }).filter((c) => c.v !== 0);
    });
    const rowG = g.selectAll('g.row').data(rows).join('g').attr('class', 'row')
      .attr('transform', (_r, i) => `translate(0,${i * (label + bar + gap)})`);
    // The row label above its bar, shortened to the bar's width (the marks' labels carry it whole).
    const fit = Math.max(12, Math.floor(iw / 6.8));
    rowG.append('text').attr('x', 0).attr('y', label - 4).attr('font-size', 12).text((r, i) => {
      const total = ` — ${fmtValue(totals[i], spec.valueFormat)}`;
      const name = acc.rowLabel(r);
      const room = fit - total.length;
      return `${name.length > room ? `${name.slice(0, Math.max(4, room - 1))}…` : name}${total}`;
    });
    focusableMarks(rowG.selectAll<SVGRectElement, Cell<R, G>>('rect').data((_r, i) => cells[i]).join('rect')
      .attr('class', 'mark mark-bar')
      .attr('x', (c) => x(c.x0)).attr('y', label).attr('height', bar)
      .attr('width', (c) => Math.max(0.5, x(c.x0 + Math.abs(c.v)) - x(c.x0)))
      .attr('fill', (c) => fillOf(c.seg))
      .attr('stroke', 'var(--bg)').attr('stroke-width', 0.5),
    (c) => {
      const d = acc.detail(spec, c.i, c.j);
      return `${acc.rowLabel(c.row)}: ${acc.segLabel(c.seg)} ${fmtValue(c.v, spec.valueFormat)}${d ? ` (${d})` : ''}`;
    });
  };
}
