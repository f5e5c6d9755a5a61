/// <reference lib="dom" />
/**
 * One tooltip for the page, shown on hover and on keyboard focus. Marks made focusable here get
 * tabindex 0, an aria-label with the same text the tooltip shows, and focus/blur handlers, so a
 * keyboard or screen-reader user reads every value a mouse user can.
 */
import type { Selection } from 'd3-selection';

let tip: HTMLElement | null = null;

function el(): HTMLElement | null {
  if (!tip) tip = document.getElementById('tooltip');
  return tip;
}

/** Shows `text` near the client point (x, y), kept inside the viewport. */
export function showTip(text: string, x: number, y: number): void {
  const t = el();
  if (!t) return;
  t.textContent = text;
  t.hidden = false;
  const r = t.getBoundingClientRect();
  const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
  let left = x + 12, top = y + 12;
  if (left + r.width > vw - 4) left = Math.max(4, x - r.width - 12);
  if (top + r.height > vh - 4) top = Math.max(4, y - r.height - 12);
  t.style.left = `${left}px`;
  t.style.top = `${top}px`;
}

export function hideTip(): void {
  const t = el();
  if (t) t.hidden = true;
}

/** Shows the tooltip beside an element (keyboard focus has no pointer position). */
export function showTipAt(text: string, target: Element): void {
  const r = target.getBoundingClientRect();
  showTip(text, r.left + r.width / 2, r.top + r.height / 2);
}

/** Makes the marks of a selection focusable, labelled and tool-tipped with `label(d)`. */
export function focusableMarks<E extends SVGElement, D>(sel: Selection<E, D, any, any>, label: (d: D) => string): Selection<E, D, any, any> {
  return sel
    .attr('tabindex', 0)
    .attr('role', 'img')
    .attr('aria-label', label)
    .on('mouseenter mousemove', function (ev: Event, d: D) {
      const m = ev as MouseEvent;
      showTip(label(d), m.clientX, m.clientY);
    })
    .on('mouseleave blur', hideTip)
    .on('focus', function (this: E, _ev: Event, d: D) {
      showTipAt(label(d), this);
    });
}
