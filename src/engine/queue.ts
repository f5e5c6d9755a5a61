/**
 * 4-ary min-heap of pending events on typed arrays, ordered by (time, order).
 */
export class EventQueue<P> {
  private keys: Float64Array; // [time, order] per entry
  private slots: Int32Array;
  private size = 0;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(2 * capacity);
    this.slots = new Int32Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(time: number, order: number, slot: number): void {
    if (this.size === this.slots.length) this.grow();
    const keys = this.keys, slots = this.slots;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pt = keys[2 * parent];
      if (pt < time || (pt === time && keys[2 * parent + 1] < order)) break;
      keys[2 * i] = pt;
      keys[2 * i + 1] = keys[2 * parent + 1];
      slots[i] = slots[parent];
      i = parent;
    }
    keys[2 * i] = time;
    keys[2 * i + 1] = order;
    slots[i] = slot;
  }

  peekTime(): number {
    return this.size > 0 ? this.keys[0] : Infinity;
  }

  pop(): number {
    if (this.size === 0) return -1;
    const keys = this.keys, slots = this.slots;
    const top = slots[0];
    const n = --this.size;
    if (n === 0) return top;
    const time = keys[2 * n], order = keys[2 * n + 1], slot = slots[n];
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      let c = first;
      let ct = keys[2 * c], co = keys[2 * c + 1];
      const last = first + 4 < n ? first + 4 : n;
      for (let j = first + 1; j < last; j++) {
        const jt = keys[2 * j];
        if (jt < ct || (jt === ct && keys[2 * j + 1] < co)) {
          c = j;
          ct = jt;
          co = keys[2 * j + 1];
        }
      }
      if (time < ct || (time === ct && order < co)) break;
      keys[2 * i] = ct;
      keys[2 * i + 1] = co;
      slots[i] = slots[c];
      i = c;
    }
    keys[2 * i] = time;
    keys[2 * i + 1] = order;
    slots[i] = slot;
    return top;
  }

  private grow(): void {
    const cap = this.slots.length * 2;
    const k = new Float64Array(2 * cap), s = new Int32Array(cap);
    k.set(this.keys);
    s.set(this.slots);
    this.keys = k;
    this.slots = s;
  }
}
