/**
 * Work accounting of a stretch of simulated time: per-node busy seconds by kind, bytes by
 * link class and FLOP done. Steps fill one; periods and fast-forwarded blocks add them up
 * (k identical periods = k × one period's account).
 */
import { LINK_CLASSES, type LinkClass } from '../platform/platform';

/** The widest network a collective crosses: inside one node, inside one site, or over the WAN. */
export type CommScope = 'intra-node' | 'site' | 'wan';

export class Acc {
  readonly compute: Float64Array;
  readonly comm: Float64Array;
  /** The parts of `comm` spent in collectives that cross the WAN, and that stay inside one node (the rest stays inside a site). */
  readonly commWan: Float64Array;
  readonly commIntra: Float64Array;
  readonly bubble: Float64Array;
  /** Tokens each node processed (forward + backward), for per-operator work. */
  readonly tokens: Float64Array;
  readonly bytesByClass = new Float64Array(LINK_CLASSES.length);
  /** Bytes delivered across each link, and flow-seconds it set the rate of a flow (was its bottleneck); grow to the highest link id seen. */
  linkBytes = new Float64Array(0);
  linkLimitingS = new Float64Array(0);
  /** Flow-seconds flows ran at their own bound (a TCP window) rather than a link's share. */
  boundLimitedS = 0;
  /** Bytes of transfers that crossed the WAN, each counted once (not once per link of its path). */
  wanBytes = 0;
  hardwareFlop = 0;

  constructor(readonly nodes: number) {
    this.compute = new Float64Array(nodes);
    this.comm = new Float64Array(nodes);
    this.commWan = new Float64Array(nodes);
    this.commIntra = new Float64Array(nodes);
    this.bubble = new Float64Array(nodes);
    this.tokens = new Float64Array(nodes);
  }

  /** A completed transfer of `bytes` across `link` of class `cls`. */
  addBytes(link: number, cls: LinkClass, bytes: number): void {
    this.bytesByClass[LINK_CLASSES.indexOf(cls)] += bytes;
    if (link >= this.linkBytes.length) this.growLinks(link + 1);
    this.linkBytes[link] += bytes;
  }

  /** A completed transfer's bottleneck time, per link and at its bound. */
  addLimits(limitedS: ReadonlyMap<number, number>, boundS: number): void {
    for (const [l, s] of limitedS) {
      if (l >= this.linkBytes.length) this.growLinks(l + 1);
      this.linkLimitingS[l] += s;
    }
    this.boundLimitedS += boundS;
  }

  private growLinks(n: number): void {
    const size = Math.max(n, 2 * this.linkBytes.length);
    const a = new Float64Array(size), b = new Float64Array(size);
    a.set(this.linkBytes);
    b.set(this.linkLimitingS);
    this.linkBytes = a;
    this.linkLimitingS = b;
  }

  /** Exposed communication time of `node`, charged to the widest network its collective crosses. */
  addComm(node: number, seconds: number, scope: CommScope): void {
    this.comm[node] += seconds;
    if (scope === 'wan') this.commWan[node] += seconds;
    else if (scope === 'intra-node') this.commIntra[node] += seconds;
  }

  /** this += k × other */
  add(other: Acc, k = 1): this {
    for (let i = 0; i < this.nodes; i++) {
      this.compute[i] += k * other.compute[i];
      this.comm[i] += k * other.comm[i];
      this.commWan[i] += k * other.commWan[i];
      this.commIntra[i] += k * other.commIntra[i];
      this.bubble[i] += k * other.bubble[i];
      this.tokens[i] += k * other.tokens[i];
    }
    for (let c = 0; c < this.bytesByClass.length; c++) this.bytesByClass[c] += k * other.bytesByClass[c];
    if (other.linkBytes.length > this.linkBytes.length) this.growLinks(other.linkBytes.length);
    for (let l = 0; l < other.linkBytes.length; l++) {
      this.linkBytes[l] += k * other.linkBytes[l];
      this.linkLimitingS[l] += k * other.linkLimitingS[l];
    }
    this.boundLimitedS += k * other.boundLimitedS;
    this.wanBytes += k * other.wanBytes;
    this.hardwareFlop += k * other.hardwareFlop;
    return this;
  }

  /** this += other's bytes only (work rolled back still moved its bytes). */
  addTraffic(other: Acc): this {
    for (let c = 0; c < this.bytesByClass.length; c++) this.bytesByClass[c] += other.bytesByClass[c];
    if (other.linkBytes.length > this.linkBytes.length) this.growLinks(other.linkBytes.length);
    for (let l = 0; l < other.linkBytes.length; l++) {
      this.linkBytes[l] += other.linkBytes[l];
      this.linkLimitingS[l] += other.linkLimitingS[l];
    }
    this.boundLimitedS += other.boundLimitedS;
    this.wanBytes += other.wanBytes;
    return this;
  }

  clear(): void {
    this.compute.fill(0);
    this.comm.fill(0);
    this.commWan.fill(0);
    this.commIntra.fill(0);
    this.bubble.fill(0);
    this.tokens.fill(0);
    this.bytesByClass.fill(0);
    this.linkBytes.fill(0);
    this.linkLimitingS.fill(0);
    this.boundLimitedS = 0;
    this.wanBytes = 0;
    this.hardwareFlop = 0;
  }
}
