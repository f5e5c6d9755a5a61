/**
 * Work accounting of a stretch of simulated time: per-node busy seconds by kind, bytes by
 * link class and FLOP done. Steps fill one; periods and fast-forwarded blocks add them up
 * (k identical periods = k × one period's account).
 *
 * A run's accounts are dense (indexed by node id). A group's step account is scoped to the
 * group's members (indexed by member slot) and its links are sparse: a DiLoCo round fills one
 * per inner step of each of hundreds of groups, and dense arrays over the whole fleet made
 * their allocation and addition the hot path of large runs.
 */
import { LINK_CLASSES, type LinkClass } from '../platform/platform';

/** The widest network a collective crosses: inside one node, inside one site, or over the WAN. */
export type CommScope = 'intra-node' | 'site' | 'wan';

/**
 * Sums per link id: a growable array for a run's accounts (thousands of links, added to every
 * period), a map for a group step's (the few links of one site).
 */
export class LinkSums {
  private dense = new Float64Array(0);
  private readonly sparse: Map<number, number> | null;

  constructor(sparse: boolean) {
    this.sparse = sparse ? new Map() : null;
  }

  get(link: number): number {
    return (this.sparse ? this.sparse.get(link) : this.dense[link]) ?? 0;
  }

  add(link: number, v: number): void {
    if (this.sparse) {
      this.sparse.set(link, (this.sparse.get(link) ?? 0) + v);
      return;
    }
    if (link >= this.dense.length) {
      const a = new Float64Array(Math.max(link + 1, 2 * this.dense.length));
      a.set(this.dense);
      this.dense = a;
    }
    this.dense[link] += v;
  }

  /** Calls f for every link summed (a dense sum also visits links that stayed at 0). */
  forEach(f: (link: number, v: number) => void): void {
    if (this.sparse) for (const [l, v] of this.sparse) f(l, v);
    else for (let l = 0; l < this.dense.length; l++) f(l, this.dense[l]);
  }

  /** this += k × other */
  addAll(other: LinkSums, k: number): void {
    if (!this.sparse && !other.sparse && other.dense.length > 0) {
      if (other.dense.length > this.dense.length) this.add(other.dense.length - 1, 0);
      for (let l = 0; l < other.dense.length; l++) this.dense[l] += k * other.dense[l];
      return;
    }
    other.forEach((l, v) => this.add(l, k * v));
  }

  clear(): void {
    this.sparse?.clear();
    this.dense.fill(0);
  }
}

export class Acc {
  /** Per node (dense) or per member slot (scoped): busy seconds by kind and tokens processed. */
  readonly compute: Float64Array;
  readonly comm: Float64Array;
  /** The parts of `comm` spent in collectives that cross the WAN, and that stay inside one node (the rest stays inside a site). */
  readonly commWan: Float64Array;
  readonly commIntra: Float64Array;
  readonly bubble: Float64Array;
  /** Tokens each node processed (forward + backward), for per-operator work. */
  readonly tokens: Float64Array;
  readonly bytesByClass = new Float64Array(LINK_CLASSES.length);
  /** Bytes delivered across each link (by link id), and flow-seconds it set the rate of a flow (was its bottleneck). */
  readonly linkBytes: LinkSums;
  readonly linkLimitingS: LinkSums;
  /** Flow-seconds flows ran at their own bound (a TCP window) rather than a link's share. */
  boundLimitedS = 0;
  /** Bytes of transfers that crossed the WAN, each counted once (not once per link of its path). */
  wanBytes = 0;
  hardwareFlop = 0;
  /** Scoped accounts: node id → slot in the arrays. */
  private readonly slots: Map<number, number> | null;

  /** An account over `nodes` node ids, dense, or scoped to `members` (the only nodes it may be charged for). */
  constructor(readonly nodes: number, readonly members?: readonly number[]) {
    this.slots = members ? new Map(members.map((n, i) => [n, i])) : null;
    this.linkBytes = new LinkSums(members !== undefined);
    this.linkLimitingS = new LinkSums(members !== undefined);
    const size = members ? members.length : nodes;
    this.compute = new Float64Array(size);
    this.comm = new Float64Array(size);
    this.commWan = new Float64Array(size);
    this.commIntra = new Float64Array(size);
    this.bubble = new Float64Array(size);
    this.tokens = new Float64Array(size);
  }

  /** Index of `node` in the arrays. */
  private slot(node: number): number {
    if (this.slots === null) return node;
    const i = this.slots.get(node);
    if (i === undefined) throw new Error(`internal: node ${node} charged to an account scoped to other nodes`);
    return i;
  }

  /** Completed transfers counted once per link they crossed (not added up with other accounts). */
  linkTransfers = 0;

  /** A completed transfer of `bytes` across `link` of class `cls`. */
  addBytes(link: number, cls: LinkClass, bytes: number): void {
    this.linkTransfers++;
    this.bytesByClass[LINK_CLASSES.indexOf(cls)] += bytes;
    this.linkBytes.add(link, bytes);
  }

  /** A completed transfer's bottleneck time, per link and at its bound. */
  addLimits(limitedS: readonly number[], boundS: number): void {
    for (let i = 0; i < limitedS.length; i += 2) this.linkLimitingS.add(limitedS[i], limitedS[i + 1]);
    this.boundLimitedS += boundS;
  }

  addCompute(node: number, seconds: number): void {
    this.compute[this.slot(node)] += seconds;
  }

  addBubble(node: number, seconds: number): void {
    this.bubble[this.slot(node)] += seconds;
  }

  addTokens(node: number, tokens: number): void {
    this.tokens[this.slot(node)] += tokens;
  }

  /** Exposed communication time of `node`, charged to the widest network its collective crosses. */
  addComm(node: number, seconds: number, scope: CommScope): void {
    const i = this.slot(node);
    this.comm[i] += seconds;
    if (scope === 'wan') this.commWan[i] += seconds;
    else if (scope === 'intra-node') this.commIntra[i] += seconds;
  }

  /** this += k × other (other dense with this, or scoped to nodes this account covers). */
  add(other: Acc, k = 1): this {
    const n = other.members ? other.members.length : other.nodes;
    for (let j = 0; j < n; j++) {
      const i = other.members ? this.slot(other.members[j]) : this.slot(j);
      this.compute[i] += k * other.compute[j];
      this.comm[i] += k * other.comm[j];
      this.commWan[i] += k * other.commWan[j];
      this.commIntra[i] += k * other.commIntra[j];
      this.bubble[i] += k * other.bubble[j];
      this.tokens[i] += k * other.tokens[j];
    }
    this.hardwareFlop += k * other.hardwareFlop;
    return this.addTraffic(other, k);
  }

  /** this += k × other's bytes only (work rolled back still moved its bytes). */
  addTraffic(other: Acc, k = 1): this {
    for (let c = 0; c < this.bytesByClass.length; c++) this.bytesByClass[c] += k * other.bytesByClass[c];
    this.linkBytes.addAll(other.linkBytes, k);
    this.linkLimitingS.addAll(other.linkLimitingS, k);
    this.boundLimitedS += k * other.boundLimitedS;
    this.wanBytes += k * other.wanBytes;
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
    this.linkBytes.clear();
    this.linkLimitingS.clear();
    this.boundLimitedS = 0;
    this.wanBytes = 0;
    this.hardwareFlop = 0;
    this.linkTransfers = 0;
  }
}
