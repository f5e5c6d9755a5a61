/**
 * Sweep progress on stderr: on a terminal a bar redrawn in place with points done, points
 * running, elapsed time and ETA; otherwise (CI logs, batch jobs) a plain line every 10 % of the
 * points and at least every 30 s.
 */
export interface ProgressOptions {
  readonly stream: NodeJS.WritableStream;
  readonly label: string;
  /** Points already finished before this run (resumed). */
  readonly done: number;
  /** Points in scope (an estimate for target searches). */
  readonly total: () => number;
  readonly quiet?: boolean;
  readonly tty?: boolean;
  /** Points that can run at once (the worker count): queued points are not shown as running. */
  readonly slots?: number;
  readonly now?: () => number;
}

export function formatEta(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--';
  const t = Math.round(s);
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  return `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
}

export class Progress {
  private done: number;
  private readonly startDone: number;
  private running = 0;
  private readonly started: number;
  private lastLine: number;
  private lastDecile: number;
  private timer: NodeJS.Timeout | null = null;
  private readonly tty: boolean;
  private readonly now: () => number;

  constructor(private readonly o: ProgressOptions) {
    this.done = o.done;
    this.startDone = o.done;
    this.now = o.now ?? Date.now;
    this.started = this.now();
    this.lastLine = this.started;
    this.tty = !o.quiet && (o.tty ?? (o.stream as NodeJS.WriteStream).isTTY === true);
    this.lastDecile = Math.floor((10 * o.done) / Math.max(1, o.total()));
    if (!o.quiet) {
      // A terminal's clock and ETA keep moving; a log gets a line at least every 30 s.
      this.timer = setInterval(() => this.draw(), this.tty ? 1000 : 5000);
      this.timer.unref();
    }
    if (!o.quiet && !this.tty) this.line('started');
    this.draw();
  }

  start(): void {
    this.running++;
    this.draw();
  }

  finish(): void {
    this.running = Math.max(0, this.running - 1);
    this.done++;
    this.draw();
  }

  /** Seconds left at this run's rate; NaN before the first point of this run. */
  eta(): number {
    const made = this.done - this.startDone;
    if (made <= 0) return NaN;
    const rate = made / ((this.now() - this.started) / 1000);
    return Math.max(0, this.o.total() - this.done) / rate;
  }

  private text(): string {
    const total = Math.max(this.done, this.o.total());
    const pct = total ? Math.floor((100 * this.done) / total) : 100;
    const elapsed = (this.now() - this.started) / 1000;
    return `${this.done}/${total} points (${pct}%), ${Math.min(this.running, this.o.slots ?? Infinity)} running, ${formatEta(elapsed)} elapsed, ETA ${formatEta(this.eta())}`;
  }

  private line(what: string): void {
    this.o.stream.write(`${this.o.label}: ${what === 'started' ? 'started, ' : ''}${this.text()}\n`);
    this.lastLine = this.now();
  }

  private draw(): void {
    if (this.o.quiet) return;
    if (this.tty) {
      const total = Math.max(1, this.done, this.o.total());
      const width = 24;
      const fill = Math.round((width * this.done) / total);
      const line = `${this.o.label} [${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${this.text()}`;
      const cols = (this.o.stream as NodeJS.WriteStream).columns;
      // Wider than the terminal, it would wrap and \r would redraw only its last part.
      this.o.stream.write(`\r\x1b[K${cols && line.length >= cols ? line.slice(0, cols - 1) : line}`);
      return;
    }
    const decile = Math.floor((10 * this.done) / Math.max(1, this.o.total()));
    if (decile > this.lastDecile || this.now() - this.lastLine >= 30_000) {
      this.lastDecile = decile;
      this.line('');
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.o.quiet) return;
    if (this.tty) this.o.stream.write('\r\x1b[K');
  }
}
