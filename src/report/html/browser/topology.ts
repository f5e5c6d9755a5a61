/// <reference lib="dom" />
/**
 * Reusable topology map: accessors place each site (unit-square x, y), size it (GPUs) and
 * colour it (site kind); links join a site to its hub, or two hubs; width by capacity, colour by
 * measured utilization when there is one. The bottleneck link or site is outlined.
 */
import { select } from 'd3-selection';
import { scaleLog, scaleSqrt, scaleThreshold } from 'd3-scale';
import { extent, max } from 'd3-array';
import type { TopologySpec } from '../types';
import { HEAT_COLORS, HEAT_STEPS, KIND_COLORS } from '../palette';
import { focusableMarks } from './tooltip';

type Node = TopologySpec['nodes'][number];
type Link = TopologySpec['links'][number];

export interface TopologyAccessors {
  readonly x: (n: Node) => number;
  readonly y: (n: Node) => number;
  readonly size: (n: Node) => number;
  readonly color: (n: Node) => number;
  readonly capacity: (l: Link) => number;
  readonly utilization: (l: Link) => number | null;
}

export const DEFAULT_TOPOLOGY_ACCESSORS: TopologyAccessors = {
  x: (n) => n.x, y: (n) => n.y, size: (n) => n.gpus, color: (n) => KIND_COLORS[n.kind] ?? 7,
  capacity: (l) => l.capacityBytesPerS, utilization: (l) => l.utilization,
};

export function topologyMap(acc: TopologyAccessors) {
  return function render(container: HTMLElement, spec: TopologySpec, width: number): void {
    const W = Math.max(280, Math.round(width));
    const H = Math.round(W < 520 ? W * 0.85 : W * 0.5);
    const px = (v: number) => 10 + v * (W - 20), py = (v: number) => 10 + v * (H - 20);
    const svg = select(container).append('svg').attr('viewBox', `0 0 ${W} ${H}`).attr('width', W).attr('height', H)
      .attr('role', 'group').attr('aria-label', `${spec.title}: map`);
    const at = new Map<string, [number, number]>();
    for (const n of spec.nodes) at.set(n.id, [px(acc.x(n)), py(acc.y(n))]);
    for (const h of spec.hubs) at.set(`hub:${h.id}`, [px(h.x), py(h.y)]);

    const links = spec.links.filter((l) => at.has(l.from) && at.has(l.to));
    // Capacities: an unlimited link arrives as null (JSON has no Infinity) and is drawn widest.
    const caps = links.map(acc.capacity).filter((c) => c !== null && c > 0 && Number.isFinite(c));
    const [lo, hi] = extent(caps) as [number | undefined, number | undefined];
    const logW = lo !== undefined && hi !== undefined && hi > lo ? scaleLog().domain([lo, hi]).range([1.5, 7]).clamp(true) : null;
    const widthOf = (c: number | null) => (c === null || !Number.isFinite(c) ? 7 : logW ? logW(Math.max(c, 1)) : 3);
    const heat = scaleThreshold<number, string>().domain(HEAT_STEPS).range(HEAT_COLORS.map((c) => `var(--c${c})`));
    const lg = svg.append('g').attr('class', 'links');
    lg.selectAll('line.bottleneck').data(links.filter((l) => l.bottleneck)).join('line')
      .attr('class', 'bottleneck')
      .attr('x1', (l) => at.get(l.from)![0]).attr('y1', (l) => at.get(l.from)![1])
      .attr('x2', (l) => at.get(l.to)![0]).attr('y2', (l) => at.get(l.to)![1])
      .attr('stroke-width', (l) => widthOf(acc.capacity(l)) + 7).attr('stroke-opacity', 0.55).attr('stroke-dasharray', '6 3');
    focusableMarks(lg.selectAll<SVGLineElement, Link>('line.mark').data(links).join('line')
      .attr('class', 'mark mark-link')
      .attr('x1', (l) => at.get(l.from)![0]).attr('y1', (l) => at.get(l.from)![1])
      .attr('x2', (l) => at.get(l.to)![0]).attr('y2', (l) => at.get(l.to)![1])
      .attr('stroke', (l) => {
        const u = acc.utilization(l);
        return u === null ? 'var(--c7)' : heat(u);
      })
      .attr('stroke-width', (l) => widthOf(acc.capacity(l)))
      .attr('stroke-linecap', 'round'), (l) => l.detail);

    const hubs = svg.append('g').attr('class', 'hubs');
    hubs.selectAll('rect').data(spec.hubs).join('rect')
      .attr('x', (h) => px(h.x) - 4).attr('y', (h) => py(h.y) - 4).attr('width', 8).attr('height', 8)
      .attr('fill', 'var(--fg)').attr('transform', (h) => `rotate(45 ${px(h.x)} ${py(h.y)})`);
    hubs.selectAll('text').data(spec.hubs).join('text')
      .attr('x', (h) => px(h.x) + 9).attr('y', (h) => py(h.y) + 4)
      .attr('font-size', 11).attr('font-style', 'italic').attr('fill', 'var(--muted)').text((h) => h.label);

    const maxGpus = max(spec.nodes, acc.size) ?? 1;
    const r = scaleSqrt().domain([0, maxGpus]).range([0, W < 520 ? 16 : 22]);
    const ng = svg.append('g').attr('class', 'sites');
    focusableMarks(ng.selectAll<SVGCircleElement, Node>('circle').data(spec.nodes).join('circle')
      .attr('class', 'mark mark-site')
      .attr('cx', (n) => at.get(n.id)![0]).attr('cy', (n) => at.get(n.id)![1])
      .attr('r', (n) => Math.max(4, r(acc.size(n))))
      .attr('fill', (n) => `var(--c${acc.color(n)})`)
      .attr('fill-opacity', 1)
      .attr('stroke', (n) => (n.bottleneck ? 'var(--c5)' : n.utilization !== null ? heat(n.utilization) : 'var(--bg)'))
      .attr('stroke-width', (n) => (n.bottleneck ? 4 : n.utilization !== null ? 2.5 : 1.5)), (n) => n.detail);
    if (spec.nodes.length <= 40) {
      // Labels beside each site, on the side away from the nearer edge; one that would overlap a
      // label already placed is left out (the tooltip and the table still name the site).
      const fs = W < 520 ? 10 : 11.5;
      const boxes: [number, number, number, number][] = spec.hubs.map((h) => [px(h.x) + 9, py(h.y) - 8, px(h.x) + 9 + h.label.length * 6.5, py(h.y) + 4]);
      const placed = spec.nodes.map((n) => {
        const [cx, cy] = at.get(n.id)!;
        const rr = Math.max(4, r(acc.size(n))) + 3;
        const right = acc.x(n) <= 0.62;
        const w = n.label.length * fs * 0.58;
        const x = right ? cx + rr : cx - rr;
        const box: [number, number, number, number] = right ? [x, cy - fs, x + w, cy + 4] : [x - w, cy - fs, x, cy + 4];
        const free = !boxes.some((b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1]);
        if (free) boxes.push(box);
        return { n, x, y: cy + 4, right, free };
      }).filter((p) => p.free);
      ng.selectAll('text').data(placed).join('text')
        .attr('x', (p) => p.x).attr('y', (p) => p.y)
        .attr('text-anchor', (p) => (p.right ? 'start' : 'end'))
        .attr('font-size', fs).text((p) => p.n.label);
    }
  };
}
