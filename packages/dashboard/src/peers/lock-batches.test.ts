// LockBatches: items that wait for a key's lock are taken together by the next holder; a lone item
// runs at once; each caller gets its own item's answer or error; the lock is shared with other users.
import { describe, expect, it } from "vitest";
import { KeyedMutex } from "./keyed-mutex.js";
import { type BatchOutcome, LockBatches } from "./lock-batches.js";

function recording(locks = new KeyedMutex()) {
  const batches: number[][] = [];
  const batcher = new LockBatches<number, number>(locks, async (_key, items) => {
    batches.push(items);
    await new Promise((resolve) => setImmediate(resolve));
    return items.map((item): BatchOutcome<number>[number] =>
      item < 0 ? { error: new Error(`refused ${item}`) } : { value: item * 10 },
    );
  });
  return { batches, batcher, locks };
}

describe("LockBatches", () => {
  it("a lone item runs at once, alone", async () => {
    const { batches, batcher } = recording();
    expect(await batcher.run("k", 1)).toBe(10);
    expect(batches).toEqual([[1]]);
  });

  it("items arriving while a batch runs are taken together by the next one, each with its own answer", async () => {
    const { batches, batcher } = recording();
    const first = batcher.run("k", 1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, -3, 4].map((item) => batcher.run("k", item));
    expect(await first).toBe(10);
    const answers = await Promise.allSettled(rest);
    expect(answers.map((a) => (a.status === "fulfilled" ? a.value : String(a.reason)))).toEqual([
      20,
      "Error: refused -3",
      40,
    ]);
    expect(batches).toEqual([[1], [2, -3, 4]]);
  });

  it("keys batch apart, and a holder of the lock outside the batcher holds the batch back", async () => {
    const { batches, batcher, locks } = recording();
    let release: () => void = () => {};
    const held = locks.run("a", () => new Promise<void>((resolve) => (release = resolve)));
    const a = [1, 2].map((item) => batcher.run("a", item));
    expect(await batcher.run("b", 3)).toBe(30);
    expect(batches).toEqual([[3]]);
    release();
    await held;
    expect(await Promise.all(a)).toEqual([10, 20]);
    expect(batches).toEqual([[3], [1, 2]]);
  });

  it("a batch that throws rejects each of its items; the next batch runs", async () => {
    let calls = 0;
    const batcher = new LockBatches<number, number>(new KeyedMutex(), async (_key, items) => {
      calls++;
      if (calls === 1) throw new Error("database gone");
      return items.map((item) => ({ value: item }));
    });
    await expect(batcher.run("k", 1)).rejects.toThrow("database gone");
    expect(await batcher.run("k", 2)).toBe(2);
  });
});
