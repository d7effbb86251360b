// A min-heap of (instant, item): the peers whose access verdict may change next, so a tick costs
// O(log n) per peer that is due and O(1) when none is — no timer per peer. Entries are never removed
// early: a stale one (its peer re-evaluated since) is recognised by its generation and skipped.

export interface DueEntry<T> {
  at: number;
  item: T;
  generation: number;
}

export class DueQueue<T> {
  private readonly heap: DueEntry<T>[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(entry: DueEntry<T>): void {
    const heap = this.heap;
    heap.push(entry);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if ((heap[parent] as DueEntry<T>).at <= entry.at) break;
      heap[index] = heap[parent] as DueEntry<T>;
      index = parent;
    }
    heap[index] = entry;
  }

  /** Removes and returns every entry due at `now` (at <= now), earliest first. */
  popDue(now: number): DueEntry<T>[] {
    const due: DueEntry<T>[] = [];
    while (this.heap.length > 0 && (this.heap[0] as DueEntry<T>).at <= now) due.push(this.pop());
    return due;
  }

  clear(): void {
    this.heap.length = 0;
  }

  private pop(): DueEntry<T> {
    const heap = this.heap;
    const top = heap[0] as DueEntry<T>;
    const last = heap.pop() as DueEntry<T>;
    if (heap.length === 0) return top;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && (heap[right] as DueEntry<T>).at < (heap[left] as DueEntry<T>).at
          ? right
          : left;
      if ((heap[child] as DueEntry<T>).at >= last.at) break;
      heap[index] = heap[child] as DueEntry<T>;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}
