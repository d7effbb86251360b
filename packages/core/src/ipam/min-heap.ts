// A binary min-heap of bigints: the released addresses below the allocator's high-water mark, so the
// lowest free one is found in O(log n) instead of by scanning the pool.
export class BigIntMinHeap {
  private readonly items: bigint[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): bigint | undefined {
    return this.items[0];
  }

  push(value: bigint): void {
    const items = this.items;
    let index = items.push(value) - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentValue = items[parent] as bigint;
      if (parentValue <= value) break;
      items[index] = parentValue;
      index = parent;
    }
    items[index] = value;
  }

  pop(): bigint | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) this.siftDown(last);
    return top;
  }

  private siftDown(value: bigint): void {
    const items = this.items;
    const length = items.length;
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && (items[right] as bigint) < (items[child] as bigint)) child = right;
      const childValue = items[child] as bigint;
      if (value <= childValue) break;
      items[index] = childValue;
      index = child;
    }
    items[index] = value;
  }
}
