/**
 * Progress of a calibration on stderr: a redrawn bar on a terminal, plain lines otherwise
 * (one per finished kernel and shape, and notes), so logs stay readable.
 */
import type { CalibrateEvent } from './runner';

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function progressPrinter(stream: ProgressStream, quiet = false): { onEvent: (e: CalibrateEvent) => void; end: () => void } {
  if (quiet) return { onEvent: () => {}, end: () => {} };
  const tty = stream.isTTY === true;
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write('\r\x1b[K');
    drawn = false;
  };
  const bar = (index: number, total: number, step: number, steps: number, text: string) => {
    const frac = Math.min(1, (index - 1 + step / Math.max(1, steps)) / Math.max(1, total));
    const width = 24;
    const full = Math.round(frac * width);
    const line = `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(Math.floor(frac * 100)).padStart(3)}% ${index}/${total} ${text} ${step}/${steps}`;
    const cols = stream.columns ?? 100;
    stream.write(`\r\x1b[K${line.slice(0, cols - 1)}`);
    drawn = true;
  };
  return {
    onEvent(e) {
      if (e.kind === 'step') {
        if (tty) bar(e.index, e.total, e.step, e.steps, e.text);
        return;
      }
      if (e.kind === 'job') {
        if (tty) bar(e.index, e.total, 0, 1, e.text);
        return;
      }
      clear();
      stream.write(e.kind === 'done' ? `calibrate [${e.index}/${e.total}] ${e.text}\n` : `calibrate: ${e.text}\n`);
    },
    end: clear,
  };
}
