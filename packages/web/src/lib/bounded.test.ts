import { describe, expect, it } from "vitest";
import { runBounded } from "./bounded.js";

describe("runBounded", () => {
  it("never runs more than the limit at once, runs every item once, and collects failures", async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    const outcome = await runBounded([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4, async (n) => {
      running++;
      peak = Math.max(peak, running);
      seen.push(n);
      await new Promise((r) => setTimeout(r, 5 + (n % 3)));
      running--;
      if (n % 5 === 0) throw new Error(`no ${n}`);
      return n * 2;
    });
    expect(peak).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(outcome.done.map((d) => d.result).sort((a, b) => a - b)).toEqual([2, 4, 6, 8, 12, 14, 16, 18]);
    expect(outcome.failed.map((f) => [f.item, (f.error as Error).message])).toEqual([
      [5, "no 5"],
      [10, "no 10"],
    ]);
    expect(outcome.skipped).toEqual([]);
  });

  it("does nothing for no items", async () => {
    expect(await runBounded([], 4, async () => 1)).toEqual({ done: [], failed: [], skipped: [] });
  });

  it("reports progress after each item and stops starting new ones once aborted", async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const outcome = await runBounded(
      ["a", "b", "c", "d", "e"],
      1,
      async (item) => {
        if (item === "b") controller.abort();
        return item.toUpperCase();
      },
      { signal: controller.signal, onProgress: (settled) => progress.push(settled) },
    );
    expect(outcome.done.map((d) => d.result)).toEqual(["A", "B"]);
    expect(outcome.skipped).toEqual(["c", "d", "e"]);
    expect(progress).toEqual([1, 2]);
  });
});
