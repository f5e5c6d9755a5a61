/**
 * Work accounting of a stretch of simulated time: per-node busy seconds by kind, bytes by
 * link class and FLOP done. Steps fill one; periods and fast-forwarded blocks add them up
 * (k identical periods = k × one period's account).
 */
import { LINK_CLASSES, type LinkClass } from '../platform/platform';

export class Acc {
  readonly compute: Float64Array;
  readonly comm: Float64Array;
  readonly bubble: Float64Array;
  /** Tokens each node processed (forward + backward), for per-operator work. */
  readonly tokens: Float64Array;
  readonly bytesByClass = new Float64Array(LINK_CLASSES.length);
  /** Bytes of transfers that crossed the WAN, each counted once (not once per link of its path). */
  wanBytes = 0;
  hardwareFlop = 0;

  constructor(readonly nodes: number) {
    this.compute = new Float64Array(nodes);
    this.comm = new Float64Array(nodes);
    this.bubble = new Float64Array(nodes);
    this.tokens = new Float64Array(nodes);
  }

  addBytes(cls: LinkClass, bytes: number): void {
    this.bytesByClass[LINK_CLASSES.indexOf(cls)] += bytes;
  }

  /** this += k × other */
  add(other: Acc, k = 1): this {
    for (let i = 0; i < this.nodes; i++) {
      this.compute[i] += k * other.compute[i];
      this.comm[i] += k * other.comm[i];
      this.bubble[i] += k * other.bubble[i];
      this.tokens[i] += k * other.tokens[i];
    }
    for (let c = 0; c < this.bytesByClass.length; c++) this.bytesByClass[c] += k * other.bytesByClass[c];
    this.wanBytes += k * other.wanBytes;
    this.hardwareFlop += k * other.hardwareFlop;
    return this;
  }

  clear(): void {
    this.compute.fill(0);
    this.comm.fill(0);
    this.bubble.fill(0);
    this.tokens.fill(0);
    this.bytesByClass.fill(0);
    this.wanBytes = 0;
    this.hardwareFlop = 0;
  }
}
