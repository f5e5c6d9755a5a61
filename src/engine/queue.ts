/**
 * Indexed binary min-heap of pending events on typed arrays, ordered by (time, order).
 * `order` = priority·2^40 + sequence number, so simultaneous events fire by priority, then
 * in scheduling order: the same input always gives the same event order.
 * Payloads live in the engine's slot table; the heap moves only numbers, and records each
 * slot's heap position so that an event can be removed or moved in O(log n) when it is
 * cancelled or rescheduled: the heap holds live events only.
 */
export class EventQueue {
  private times: Float64Array;
  private orders: Float64Array;
  private slots: Int32Array;
  /** Heap position of each queued slot (stale for slots not in the queue). */
  private pos: Int32Array;
  private size = 0;

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.orders = new Float64Array(capacity);
    this.slots = new Int32Array(capacity);
    this.pos = new Int32Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Queues `slot`, which must not be queued already. */
  push(time: number, order: number, slot: number): void {
    if (this.size === this.times.length) this.growHeap();
    if (slot >= this.pos.length) this.growPos(slot);
    this.siftUp(this.size++, time, order, slot);
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.size > 0 ? this.times[0] : Infinity;
  }

  /** Removes the earliest event and returns its slot (-1 when empty). */
  pop(): number {
    if (this.size === 0) return -1;
    const top = this.slots[0];
    const n = --this.size;
    if (n > 0) this.siftDown(0, this.times[n], this.orders[n], this.slots[n]);
    return top;
  }

  /** Removes queued `slot` wherever it is in the heap. */
  remove(slot: number): void {
    const i = this.pos[slot];
    const n = --this.size;
    if (i === n) return;
    // The last element fills the hole, then moves whichever way its key requires.
    this.place(i, this.times[n], this.orders[n], this.slots[n]);
  }

  /** Gives queued `slot` a new key in place (cheaper than remove + push). */
  update(slot: number, time: number, order: number): void {
    this.place(this.pos[slot], time, order, slot);
  }

  /** Puts (time, order, slot) at hole `i` and restores the heap order around it. */
  private place(i: number, time: number, order: number, slot: number): void {
    if (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = this.times[parent];
      if (time < pt || (time === pt && order < this.orders[parent])) {
        this.siftUp(i, time, order, slot);
        return;
      }
    }
    this.siftDown(i, time, order, slot);
  }

  /** Moves the hole at `i` up until (time, order) fits, then fills it with the element. */
  private siftUp(i: number, time: number, order: number, slot: number): void {
    const times = this.times, orders = this.orders, slots = this.slots, pos = this.pos;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent];
      if (pt < time || (pt === time && orders[parent] < order)) break;
      times[i] = pt;
      orders[i] = orders[parent];
      const s = slots[parent];
      slots[i] = s;
      pos[s] = i;
      i = parent;
    }
    times[i] = time;
    orders[i] = order;
    slots[i] = slot;
    pos[slot] = i;
  }

  /** Moves the hole at `i` down until (time, order) fits, then fills it with the element. */
  private siftDown(i: number, time: number, order: number, slot: number): void {
    const times = this.times, orders = this.orders, slots = this.slots, pos = this.pos;
    const n = this.size;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      let ct = times[child];
      if (right < n && (times[right] < ct || (times[right] === ct && orders[right] < orders[child]))) {
        child = right;
        ct = times[right];
      }
      if (time < ct || (time === ct && order < orders[child])) break;
      times[i] = ct;
      orders[i] = orders[child];
      const s = slots[child];
      slots[i] = s;
      pos[s] = i;
      i = child;
    }
    times[i] = time;
    orders[i] = order;
    slots[i] = slot;
    pos[slot] = i;
  }

  private growHeap(): void {
    const cap = this.times.length * 2;
    const t = new Float64Array(cap), o = new Float64Array(cap), s = new Int32Array(cap);
    t.set(this.times);
    o.set(this.orders);
    s.set(this.slots);
    this.times = t;
    this.orders = o;
    this.slots = s;
  }

  private growPos(slot: number): void {
    const p = new Int32Array(Math.max(2 * this.pos.length, slot + 1));
    p.set(this.pos);
    this.pos = p;
  }
}
