import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NonceCache } from "./nonce-cache.js";

const T = 1_000_000;

describe("NonceCache", () => {
  it("refuses a nonce seen inside the window and forgets it after", () => {
    const cache = new NonceCache({ windowMs: 60_000 });
    expect(cache.remember("n1", T)).toBe(true);
    expect(cache.remember("n1", T + 60_000)).toBe(false);
    expect(cache.remember("n1", T + 60_001)).toBe(true);
  });

  it("keeps an entry until its request timestamp leaves the window", () => {
    const cache = new NonceCache({ windowMs: 60_000 });
    expect(cache.remember("ahead", T, T + 30_000)).toBe(true);
    expect(cache.remember("ahead", T + 89_000)).toBe(false);
    expect(cache.remember("ahead", T + 90_001)).toBe(true);
  });

  it("drops expired entries so the size stays with the live ones", () => {
    const cache = new NonceCache({ windowMs: 1_000 });
    for (let i = 0; i < 100; i++) cache.remember(`n${i}`, T + i);
    expect(cache.size).toBe(100);
    cache.remember("late", T + 5_000);
    expect(cache.size).toBe(1);
  });

  it("never holds more than maxEntries", () => {
    const cache = new NonceCache({ windowMs: 60_000, maxEntries: 10 });
    for (let i = 0; i < 50; i++) expect(cache.remember(`n${i}`, T + i)).toBe(true);
    expect(cache.size).toBe(10);
  });

  it("when full, refuses anything not newer than an evicted entry, so a forgotten nonce cannot replay", () => {
    const cache = new NonceCache({ windowMs: 60_000, maxEntries: 2 });
    expect(cache.admit("a", T, T)).toBe("accepted");
    expect(cache.admit("b", T + 1, T + 1)).toBe("accepted");
    expect(cache.admit("c", T + 2, T + 2)).toBe("accepted"); // evicts "a"
    expect(cache.admit("a", T + 3, T)).toBe("unverifiable"); // the replay of "a"
    expect(cache.admit("d", T + 3, T)).toBe("unverifiable"); // as old as "a": cannot tell
    expect(cache.admit("e", T + 3, T + 3)).toBe("accepted");
    // Once the evicted entries' window has passed, old requests are stale anyway and the guard lifts.
    expect(cache.admit("a", T + 60_002, T + 10)).toBe("accepted");
  });

  it("rejects a bad maxEntries", () => {
    expect(() => new NonceCache({ maxEntries: 0 })).toThrow(RangeError);
  });

  it("property: with any eviction pressure, a nonce accepted once is never accepted again inside its window", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3_000 })), {
          maxLength: 200,
        }),
        (maxEntries, steps) => {
          const windowMs = 1_000;
          const cache = new NonceCache({ windowMs, maxEntries });
          const acceptedAt = new Map<string, number[]>();
          let now = 0;
          for (const [nonceIndex, advance] of steps) {
            now += advance % 700;
            const nonce = `n${nonceIndex}`;
            // A replay carries the original timestamp; a fresh request carries `now`.
            const earlier = acceptedAt.get(nonce) ?? [];
            const timestamp = earlier.find((t) => now - t <= windowMs) ?? now;
            if (cache.remember(nonce, now, timestamp)) {
              expect(earlier.filter((t) => t === timestamp && now - t <= windowMs)).toEqual([]);
              acceptedAt.set(nonce, [...earlier, timestamp]);
            }
            expect(cache.size).toBeLessThanOrEqual(maxEntries);
          }
        },
      ),
    );
  });
});
