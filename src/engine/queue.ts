/**
 * Binary min-heap of pending events on typed arrays, ordered by (time, order).
 * `order` = priority·2^40 + sequence number, so simultaneous events fire by priority, then
 * in scheduling order: the same input always gives the same event order.
 * Payloads live in a slot table; the heap moves only numbers.
 */
export class EventQueue {
  private times: Float64Array;
  private orders: Float64Array;
  private slots: Int32Array;
  private size = 0;

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.orders = new Float64Array(capacity);
    this.slots = new Int32Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(time: number, order: number, slot: number): void {
    if (this.size === this.times.length) this.grow();
    const times = this.times, orders = this.orders, slots = this.slots;
    let i = this.size++;
    // Sift up.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent];
      if (pt < time || (pt === time && orders[parent] < order)) break;
      times[i] = pt;
      orders[i] = orders[parent];
      slots[i] = slots[parent];
      i = parent;
    }
    times[i] = time;
    orders[i] = order;
    slots[i] = slot;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.size > 0 ? this.times[0] : Infinity;
  }

  /** Removes the earliest event and returns its slot (-1 when empty). */
  pop(): number {
    if (this.size === 0) return -1;
    const times = this.times, orders = this.orders, slots = this.slots;
    const top = slots[0];
    const n = --this.size;
    if (n === 0) return top;
    const time = times[n], order = orders[n], slot = slots[n];
    let i = 0;
    // Sift down the former last element.
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && (times[right] < times[child] || (times[right] === times[child] && orders[right] < orders[child]))) {
        child = right;
      }
      const ct = times[child];
      if (time < ct || (time === ct && order < orders[child])) break;
      times[i] = ct;
      orders[i] = orders[child];
      slots[i] = slots[child];
      i = child;
    }
    times[i] = time;
    orders[i] = order;
    slots[i] = slot;
    return top;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const t = new Float64Array(cap), o = new Float64Array(cap), s = new Int32Array(cap);
    t.set(this.times);
    o.set(this.orders);
    s.set(this.slots);
    this.times = t;
    this.orders = o;
    this.slots = s;
  }
}
