import { describe, expect, it } from "vitest";
import { isoAfter, nowIso } from "./clock.js";

describe("clock", () => {
  it("formats times as fixed-width ISO-8601 UTC text whose order is time order", () => {
    expect(nowIso(0)).toBe("1970-01-01T00:00:00.000Z");
    expect(nowIso(new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 6)))).toBe("2030-01-02T03:04:05.006Z");
    expect(nowIso()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const times = [5, 999, 1_000, 86_400_000, 1_700_000_000_000].map((ms) => nowIso(ms));
    expect([...times].sort()).toEqual(times);
  });

  it("adds milliseconds for expiry times", () => {
    expect(isoAfter(1_500, 0)).toBe("1970-01-01T00:00:01.500Z");
  });
});
