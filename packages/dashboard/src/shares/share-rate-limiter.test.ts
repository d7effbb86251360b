// The public share pages' per-address limits, on a moved clock: misses cut an address off before the
// request budget does, other addresses are untouched, the window slides, and memory stays bounded.
import { describe, expect, it } from "vitest";
import { ShareRateLimiter } from "./share-rate-limiter.js";

const SETTINGS = { maxRequests: 10, maxMisses: 3, windowMs: 60_000, maxKeys: 100 };

describe("ShareRateLimiter", () => {
  it("cuts an address off after too many misses until the oldest leaves the window", () => {
    let now = 1_000_000;
    const limiter = new ShareRateLimiter(SETTINGS, { now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.admit("198.18.0.1")).toBe(0);
      limiter.recordMiss("198.18.0.1");
      now += 1000;
    }
    expect(limiter.admit("198.18.0.1")).toBe(57); // the first miss (3 s ago) leaves the window in 57 s
    expect(limiter.admit("198.18.0.2")).toBe(0);
    now += 57_000;
    expect(limiter.admit("198.18.0.1")).toBe(0);
  });

  it("limits all requests from one address, hits and misses alike", () => {
    const now = 5_000_000;
    const limiter = new ShareRateLimiter(SETTINGS, { now: () => now });
    for (let i = 0; i < 10; i++) expect(limiter.admit("198.18.0.3")).toBe(0);
    expect(limiter.admit("198.18.0.3")).toBe(60);
  });

  it("forgets the least recently seen address when it tracks too many", () => {
    const now = 9_000_000;
    const limiter = new ShareRateLimiter({ ...SETTINGS, maxKeys: 2 }, { now: () => now });
    for (let i = 0; i < 3; i++) limiter.recordMiss("198.18.0.4");
    expect(limiter.admit("198.18.0.4")).toBeGreaterThan(0);
    limiter.recordMiss("198.18.0.5");
    limiter.recordMiss("198.18.0.6");
    expect(limiter.admit("198.18.0.4")).toBe(0);
  });
});
