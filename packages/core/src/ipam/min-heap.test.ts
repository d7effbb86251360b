import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BigIntMinHeap } from "./min-heap.js";

describe("BigIntMinHeap", () => {
  it("pops in ascending order whatever the push order, with interleaved pops", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.bigInt({ min: 0n, max: 1n << 70n }), fc.constant(null)), { maxLength: 300 }),
        (ops) => {
          const heap = new BigIntMinHeap();
          const model: bigint[] = [];
          for (const op of ops) {
            if (op === null) {
              model.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
              expect(heap.pop()).toBe(model.shift());
            } else {
              heap.push(op);
              model.push(op);
            }
            expect(heap.size).toBe(model.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is empty at first", () => {
    const heap = new BigIntMinHeap();
    expect(heap.pop()).toBeUndefined();
    expect(heap.peek()).toBeUndefined();
  });
});
