/// <reference lib="dom" />
/**
 * Browser entry of the HTML report: reads the chart specifications inlined in the page and
 * draws each into its figure with the chart module for its kind, at the figure's width
 * (again on resize). Bundled by esbuild with only the d3 modules it imports.
 */
import { barChart, DEFAULT_BAR_ACCESSORS } from './bars';
import { lineChart, DEFAULT_LINE_ACCESSORS } from './line';
import { topologyMap, DEFAULT_TOPOLOGY_ACCESSORS } from './topology';
import type { ChartSpec } from '../types';

const RENDER = {
  line: lineChart(DEFAULT_LINE_ACCESSORS),
  bars: barChart(DEFAULT_BAR_ACCESSORS),
  topology: topologyMap(DEFAULT_TOPOLOGY_ACCESSORS),
} as const;

function draw(c: ChartSpec, el: HTMLElement): void {
  for (const s of Array.from(el.querySelectorAll('svg'))) s.remove();
  const w = el.clientWidth || 640;
  (RENDER[c.kind] as (el: HTMLElement, c: ChartSpec, w: number) => void)(el, c, w);
  el.dataset.width = String(w);
}

function main(): void {
  const node = document.getElementById('report-data');
  if (!node) return;
  const data = JSON.parse(node.textContent ?? '{}') as { charts: ChartSpec[] };
  const plots = new Map<string, HTMLElement>();
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-plot]'))) plots.set(el.dataset.plot ?? '', el);
  const all = () => {
    for (const c of data.charts) {
      const el = plots.get(c.id);
      if (!el) continue;
      try {
        draw(c, el);
      } catch (e) {
        el.textContent = `This chart could not be drawn (${(e as Error).message}); its numbers are below.`;
        throw e;
      }
    }
  };
  all();
  document.documentElement.dataset.chartsDrawn = String(data.charts.length);
  let timer = 0;
  window.addEventListener('resize', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      for (const c of data.charts) {
        const el = plots.get(c.id);
        if (el && String(el.clientWidth) !== el.dataset.width) draw(c, el);
      }
    }, 150);
  });
}

main();
