/// <reference lib="dom" />
/**
 * Reusable line chart (d3's "towards reusable charts" style): configured once with accessors
 * for the series, their points and the x / y of a point, then called with a container, a spec
 * and a width. Draws axes with units, a grid, reference lines, timeline event marks (focusable)
 * and a focusable cursor layer: the arrow keys, or the pointer, read every series at an x.
 * Filled bands (`spec.bands`: Monte Carlo P10–P90 fans, stacked-area layers) lie under the lines
 * and are read by the same cursor.
 */
import { select, pointer } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { area, line, curveLinear, curveStepBefore, curveStepAfter, symbol, symbolTriangle } from 'd3-shape';
import { axisBottom, axisLeft } from 'd3-axis';
import { max, bisector } from 'd3-array';
import { fmtNumber, fmtValue } from '../format';
import type { BandSpec, Curve, EventMarkSpec, LineChartSpec, LineSeriesSpec } from '../types';
import { EVENT_COLORS } from '../palette';
import { focusableMarks, hideTip, showTipAt, showTip } from './tooltip';

type Pt = readonly [number, number];

export interface LineAccessors<S, P> {
  readonly series: (c: LineChartSpec) => readonly S[];
  readonly points: (s: S) => readonly P[];
  readonly x: (p: P) => number;
  readonly y: (p: P) => number;
  readonly label: (s: S) => string;
  readonly color: (s: S) => number;
  readonly dashed: (s: S) => boolean;
  readonly curve: (s: S) => Curve;
}

export const DEFAULT_LINE_ACCESSORS: LineAccessors<LineSeriesSpec, Pt> = {
  series: (c) => c.series, points: (s) => s.points, x: (p) => p[0], y: (p) => p[1],
  label: (s) => s.label, color: (s) => s.color, dashed: (s) => s.dash === true, curve: (s) => s.curve,
};

const CURVES = { linear: curveLinear, 'step-before': curveStepBefore, 'step-after': curveStepAfter } as const;

export function lineChart<S, P>(acc: LineAccessors<S, P>) {
  return function render(container: HTMLElement, spec: LineChartSpec, width: number): void {
    const W = Math.max(280, Math.round(width));
    const H = Math.round(Math.max(220, Math.min(360, W * 0.48)));
    const m = { l: (W < 420 ? 66 : 74) + (spec.yFormat === 'usd' ? 12 : 0), r: 14, t: spec.events.length ? 20 : 10, b: 44 };
    const iw = W - m.l - m.r, ih = H - m.t - m.b;
    const series = acc.series(spec);
    const bands: readonly BandSpec[] = spec.bands ?? [];
    const xs = [...series.flatMap((s) => acc.points(s).map(acc.x)), ...bands.flatMap((b) => b.points.map((p) => p[0]))];
    const ys = [...series.flatMap((s) => acc.points(s).map(acc.y)), ...bands.flatMap((b) => b.points.map((p) => p[2]))];
    const xMax = Math.max(max(xs) ?? 1, max(spec.events, (e) => e.x) ?? 0) || 1;
    const yMax = Math.max(max(ys) ?? 1, max(spec.refLines, (r) => r.y) ?? 0) * 1.05 || 1;
    const x = scaleLinear().domain([0, xMax]).range([0, iw]).nice();
    const y = scaleLinear().domain([0, yMax]).range([ih, 0]).nice();
    const yText = (v: number) => fmtValue(v, spec.yFormat);

    const svg = select(container).append('svg')
      .attr('viewBox', `0 0 ${W} ${H}`).attr('width', W).attr('height', H)
      .attr('role', 'group').attr('aria-label', `${spec.title}: chart`);
    const g = svg.append('g').attr('transform', `translate(${m.l},${m.t})`);
    g.append('g').attr('class', 'grid').call(axisLeft(y).ticks(Math.max(3, Math.floor(ih / 50))).tickSize(-iw).tickFormat(() => ''));
    g.append('g').attr('class', 'axis').attr('transform', `translate(0,${ih})`).call(axisBottom(x).ticks(Math.max(2, Math.floor(iw / 80))).tickFormat((v) => fmtNumber(+v)));
    g.append('g').attr('class', 'axis').call(axisLeft(y).ticks(Math.max(3, Math.floor(ih / 50))).tickFormat((v) => yText(+v)));
    g.append('text').attr('x', iw / 2).attr('y', ih + 36).attr('text-anchor', 'middle').attr('font-size', 12).text(spec.xLabel);
    g.append('text').attr('transform', `translate(${-m.l + 11},${ih / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('font-size', 12).text(spec.yLabel);

    for (const r of spec.refLines) {
      g.append('line').attr('x1', 0).attr('x2', iw).attr('y1', y(r.y)).attr('y2', y(r.y))
        .attr('stroke', 'var(--c7)').attr('stroke-dasharray', '5 4');
      g.append('text').attr('x', iw - 4).attr('y', y(r.y) - 4).attr('text-anchor', 'end').attr('font-size', 11).attr('fill', 'var(--muted)').text(r.label);
    }

    // Timeline events: a faint rule through the plot and a focusable triangle above it.
    const ev = g.append('g').attr('class', 'events');
    ev.selectAll('line').data(spec.events).join('line')
      .attr('x1', (e) => x(e.x)).attr('x2', (e) => x(e.x)).attr('y1', 0).attr('y2', ih)
      .attr('stroke', (e) => `var(--c${EVENT_COLORS[e.kind] ?? 7})`).attr('stroke-opacity', 0.35);
    focusableMarks(ev.selectAll<SVGPathElement, EventMarkSpec>('path').data(spec.events).join('path')
      .attr('class', 'mark mark-event')
      .attr('d', symbol(symbolTriangle, 48)() ?? '')
      .attr('transform', (e) => `translate(${x(e.x)},-9) rotate(180)`)
      .attr('fill', (e) => `var(--c${EVENT_COLORS[e.kind] ?? 7})`), (e) => e.label);

    const bandPath = area<BandSpec['points'][number]>().x((p) => x(p[0])).y0((p) => y(p[1])).y1((p) => y(p[2]));
    g.append('g').selectAll('path').data(bands).join('path')
      .attr('class', 'mark mark-band')
      .attr('d', (b) => bandPath(b.points as BandSpec['points'][number][]) ?? '')
      .attr('fill', (b) => `var(--c${b.color})`)
      .attr('fill-opacity', (b) => (b.tip === 'range' ? 0.25 : 0.8))
      .attr('stroke', (b) => (b.tip === 'range' ? 'none' : 'var(--bg)')).attr('stroke-width', 0.5)
      .append('title').text((b) => b.label);

    const path = (s: S) => line<P>().x((p) => x(acc.x(p))).y((p) => y(acc.y(p))).curve(CURVES[acc.curve(s)])(acc.points(s) as P[]) ?? '';
    g.append('g').selectAll('path').data(series).join('path')
      .attr('class', 'mark mark-line')
      .attr('d', path)
      .attr('fill', 'none')
      .attr('stroke', (s) => `var(--c${acc.color(s)})`)
      .attr('stroke-width', 2)
      .attr('stroke-dasharray', (s) => (acc.dashed(s) ? '6 4' : null))
      .append('title').text((s) => acc.label(s));

    // Cursor layer: pointer or arrow keys pick an x; the tooltip reads every series there.
    const allX = [...new Set(xs)].sort((a, b) => a - b);
    const cursor = g.append('line').attr('class', 'cursor').attr('y1', 0).attr('y2', ih).attr('visibility', 'hidden');
    const dots = g.append('g');
    const by = bisector<P, number>(acc.x);
    let idx = -1;
    const readAt = (xv: number) => {
      const lines = [`${spec.xLabel.replace(/^Time since start/, 'time')}: ${fmtNumber(xv)}`];
      const pts: [S, P][] = [];
      for (const s of series) {
        const ps = acc.points(s);
        if (ps.length === 0 || xv < acc.x(ps[0])) continue;
        // A step-before series holds at x the value of the next point; others the last point at or before x.
        const i = acc.curve(s) === 'step-before' ? Math.min(ps.length - 1, by.left(ps as P[], xv)) : Math.max(0, by.right(ps as P[], xv) - 1);
        pts.push([s, ps[i]]);
        lines.push(`${acc.label(s)}: ${yText(acc.y(ps[i]))}`);
      }
      // Bands: the range (P10–P90) or the layer's own size (stacked), at the last point at or before x.
      for (const b of bands) {
        const ps = b.points;
        if (ps.length === 0 || xv < ps[0][0]) continue;
        const p = ps[Math.max(0, bisector<BandSpec['points'][number], number>((q) => q[0]).right(ps as BandSpec['points'][number][], xv) - 1)];
        lines.push(b.tip === 'range' ? `${b.label}: ${yText(p[1])} – ${yText(p[2])}` : `${b.label}: ${yText(p[2] - p[1])}`);
      }
      cursor.attr('x1', x(xv)).attr('x2', x(xv)).attr('visibility', 'visible');
      dots.selectAll('circle').data(pts).join('circle').attr('r', 3.5)
        .attr('cx', ([, p]) => x(acc.x(p))).attr('cy', ([, p]) => y(acc.y(p))).attr('fill', ([s]) => `var(--c${acc.color(s)})`);
      return lines.join('\n');
    };
    const clear = () => {
      cursor.attr('visibility', 'hidden');
      dots.selectAll('circle').remove();
      hideTip();
    };
    g.append('rect').attr('class', 'focus-layer').attr('width', iw).attr('height', ih).attr('fill', 'transparent')
      .attr('tabindex', 0).attr('role', 'img')
      .attr('aria-label', `${spec.title}. ${[...bands.map((b) => b.label), ...series.map((s) => acc.label(s))].join('; ')}. Use the left and right arrow keys to read values.`)
      .on('pointermove', function (ev: PointerEvent) {
        if (allX.length === 0) return;
        const xv = x.invert(pointer(ev, this)[0]);
        idx = Math.min(allX.length - 1, Math.max(0, bisector((d: number) => d).center(allX, xv)));
        showTip(readAt(allX[idx]), ev.clientX, ev.clientY);
      })
      .on('pointerleave blur', clear)
      .on('focus', function () {
        if (allX.length === 0) return;
        if (idx < 0) idx = allX.length - 1;
        showTipAt(readAt(allX[idx]), this);
      })
      .on('keydown', function (ev: KeyboardEvent) {
        if (allX.length === 0) return;
        const step = ev.shiftKey ? 10 : 1;
        if (ev.key === 'ArrowRight') idx = Math.min(allX.length - 1, idx + step);
        else if (ev.key === 'ArrowLeft') idx = Math.max(0, idx - step);
        else if (ev.key === 'Home') idx = 0;
        else if (ev.key === 'End') idx = allX.length - 1;
        else if (ev.key === 'Escape') return clear();
        else return;
        ev.preventDefault();
        showTipAt(readAt(allX[idx]), (cursor.node() as Element) ?? this);
      });
    // Event marks above the layer, so they stay reachable by pointer.
    ev.raise();
  };
}
