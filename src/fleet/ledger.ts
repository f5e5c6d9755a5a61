/**
 * Work attributed to the simulated interval in which it was done: tokens per node per bin
 * (a day, for the economy). A credit of k identical periods puts each period's work in the bin
 * where that period ended. An open fast-forward block is registered so that a read in the
 * middle of it counts the whole periods completed so far; when the block is credited, its
 * periods land in their bins and the registration goes. Work since the last checkpoint is held
 * apart: a rollback removes it from the bins it was credited to.
 */
export interface PeriodCredit {
  /** Tokens per node of one period. */
  readonly tokens: Float64Array;
  /** End of the first period, and the period's duration; k periods in all. */
  readonly firstEndS: number;
  readonly periodS: number;
  readonly k: number;
}

export class WorkLedger {
  private readonly bins: Float64Array[] = [];
  /** Credits since the last checkpoint (synchronous recovery): removed again by a rollback. */
  private pending: PeriodCredit[] = [];
  private open: { readonly startS: number; readonly periodS: number; readonly k: number; readonly tokens: Float64Array } | null = null;

  constructor(readonly binS: number, private readonly nodes: () => number) {}

  /** Credits k periods; `provisional` credits wait for commit() or vanish with rollback(). */
  credit(c: PeriodCredit, provisional: boolean): void {
    if (c.k <= 0) return;
    this.add(c, 1);
    if (provisional) this.pending.push(c);
  }

  commit(): void {
    this.pending = [];
  }

  rollback(): void {
    for (const c of this.pending) this.add(c, -1);
    this.pending = [];
  }

  /** A fast-forward block of k periods from startS is under way (until closeBlock). */
  openBlock(startS: number, periodS: number, k: number, tokens: Float64Array): void {
    this.open = { startS, periodS, k, tokens };
  }

  closeBlock(): void {
    this.open = null;
  }

  /** Tokens per node credited to bin `b` (periods that ended in [b·binS, (b+1)·binS)), with the open block's completed periods up to nowS. */
  binTokens(b: number, nowS: number): Float64Array {
    const out = new Float64Array(this.nodes());
    const bin = this.bins[b];
    if (bin) out.set(bin.subarray(0, out.length));
    const o = this.open;
    if (o !== null) {
      const n = periodsEndingIn(o.startS + o.periodS, o.periodS, o.k, b * this.binS, Math.min((b + 1) * this.binS, nowS + 1e-9 * o.periodS));
      if (n > 0) for (let i = 0; i < o.tokens.length && i < out.length; i++) out[i] += n * o.tokens[i];
    }
    return out;
  }

  private add(c: PeriodCredit, sign: number): void {
    const first = Math.floor(c.firstEndS / this.binS);
    const last = Math.floor((c.firstEndS + (c.k - 1) * c.periodS) / this.binS);
    for (let b = first; b <= last; b++) {
      const n = c.k === 1 ? 1 : periodsEndingIn(c.firstEndS, c.periodS, c.k, b * this.binS, (b + 1) * this.binS);
      if (n === 0) continue;
      const bin = this.bin(b);
      for (let i = 0; i < c.tokens.length; i++) bin[i] += sign * n * c.tokens[i];
    }
  }

  private bin(b: number): Float64Array {
    const size = this.nodes();
    let bin = this.bins[b];
    if (!bin || bin.length < size) {
      const grown = new Float64Array(size);
      if (bin) grown.set(bin);
      bin = this.bins[b] = grown;
    }
    return bin;
  }
}

/** How many of the k periods ending at firstEnd + i·period (i = 0..k−1) end in [fromS, toS). */
export function periodsEndingIn(firstEndS: number, periodS: number, k: number, fromS: number, toS: number): number {
  if (toS <= fromS || k <= 0) return 0;
  const end = (i: number) => firstEndS + i * periodS;
  // First index ending at or after fromS, and first ending at or after toS: estimated, then
  // corrected against the ends themselves so that round-off never moves a period across an edge.
  const first = (t: number): number => {
    let i = Math.max(0, Math.ceil((t - firstEndS) / periodS));
    while (i > 0 && end(i - 1) >= t) i--;
    while (i < k && end(i) < t) i++;
    return Math.min(i, k);
  };
  return first(toS) - first(fromS);
}
