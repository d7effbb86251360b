import { describe, expect, it } from "vitest";
import { formatBytes, formatDate, formatPercent, shortKey, splitList, timeAgo } from "./format.js";

describe("formatBytes", () => {
  it("keeps whole bytes below 1 KiB and scales above", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1536)).toBe("1.50 KiB");
    expect(formatBytes(15 * 1024 * 1024)).toBe("15.0 MiB");
    expect(formatBytes(300 * 1024 ** 3)).toBe("300 GiB");
  });
  it("shows a dash for nonsense", () => {
    expect(formatBytes(-1)).toBe("—");
    expect(formatBytes(Number.NaN)).toBe("—");
  });
});

describe("timeAgo", () => {
  const now = Date.parse("2025-01-01T12:00:00Z");
  it("writes the age in the largest whole unit", () => {
    expect(timeAgo(null, now)).toBe("never");
    expect(timeAgo("2025-01-01T11:59:58Z", now)).toBe("just now");
    expect(timeAgo("2025-01-01T11:59:15Z", now)).toBe("45 s ago");
    expect(timeAgo("2025-01-01T11:58:00Z", now)).toBe("2 min ago");
    expect(timeAgo("2025-01-01T09:00:00Z", now)).toBe("3 h ago");
    expect(timeAgo("2024-12-27T12:00:00Z", now)).toBe("5 d ago");
  });
  it("treats a handshake from a clock ahead of ours as just now", () => {
    expect(timeAgo("2025-01-01T12:00:30Z", now)).toBe("just now");
  });
});

describe("formatPercent", () => {
  it("rounds, shows <1% for tiny usage and caps at 100%", () => {
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(0.001)).toBe("<1%");
    expect(formatPercent(0.426)).toBe("43%");
    expect(formatPercent(1.2)).toBe("100%");
  });
});

describe("shortKey and splitList", () => {
  it("shortens long keys only", () => {
    expect(shortKey("short")).toBe("short");
    expect(shortKey("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq=")).toBe("ABCDEFGH…nopq=");
  });
  it("splits on commas and whitespace, dropping empties", () => {
    expect(splitList(" 1.1.1.1, 9.9.9.9\n  example.com ,")).toEqual(["1.1.1.1", "9.9.9.9", "example.com"]);
    expect(splitList("  ")).toEqual([]);
  });
});

describe("formatDate", () => {
  it("writes the day only, and a dash for no or bad time", () => {
    const text = formatDate("2099-06-30T12:00:00.000Z");
    expect(text).toContain("2099");
    expect(text).not.toContain("12:00");
    expect(formatDate(null)).toBe("—");
    expect(formatDate("not a time")).toBe("—");
  });
});
