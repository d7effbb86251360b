import { describe, expect, it } from "vitest";
import { formatBigCount, hostBits, poolCapacity, poolFigures, powerOfTwo } from "./pool-size.js";

describe("pool sizes", () => {
  it("reads the host bits of a CIDR", () => {
    expect(hostBits("198.51.100.0/24")).toBe(8);
    expect(hostBits("2001:db8::/64")).toBe(64);
    expect(hostBits("2001:db8::/129")).toBeNull();
    expect(hostBits("nonsense")).toBeNull();
  });

  it("takes a safe reported size as it is and counts a big IPv6 pool exactly from its prefix", () => {
    expect(poolCapacity("198.51.100.0/24", 253)).toBe(253n);
    // What JSON carries for 2^64 − 2 is 2^64: the prefix gives the real count.
    expect(poolCapacity("2001:db8::/64", 2 ** 64)).toBe(18_446_744_073_709_551_614n);
    expect(poolCapacity("2001:db8::/1", 2 ** 127)).toBe((1n << 127n) - 2n);
    expect(poolCapacity("2001:db8::/112", 65_534)).toBe(65_534n);
  });

  it("writes big counts with separators, without rounding", () => {
    expect(formatBigCount(0n)).toBe("0");
    expect(formatBigCount(1234n)).toBe("1,234");
    expect(formatBigCount(18_446_744_073_709_551_614n)).toBe("18,446,744,073,709,551,614");
  });

  it("rounds a pool size to its power of two", () => {
    expect(powerOfTwo((1n << 64n) - 2n)).toBe("2^64");
    expect(powerOfTwo((1n << 63n) - 2n)).toBe("2^63");
    expect(powerOfTwo(1n << 40n)).toBe("2^40");
  });

  it("shows a small pool in full, with its share", () => {
    expect(poolFigures({ cidr: "198.51.100.0/24", total: 253, allocated: 5 })).toEqual({
      text: "5 of 253",
      exact: "253 addresses",
      ratio: 5 / 253,
      percent: "2%",
      huge: false,
    });
    const empty = poolFigures({ cidr: "198.51.100.0/24", total: 253, allocated: 0 });
    expect(empty.ratio).toBe(0);
    expect(empty.percent).toBe("0%");
  });

  it("shows a /64 as 2^64 and plenty, never the rounded digits", () => {
    const figures = poolFigures({ cidr: "2001:db8:1::/64", total: 2 ** 64, allocated: 5 });
    expect(figures.text).toBe("5 of 2^64");
    expect(figures.exact).toBe("18,446,744,073,709,551,614 addresses");
    expect(figures.huge).toBe(true);
    expect(figures.percent).toBe("plenty");
    expect(figures.ratio).toBeGreaterThan(0);
    expect(figures.text.length).toBeLessThan(20);
  });

  it("keeps a pool just below the limit in digits, one at it as a power", () => {
    expect(poolFigures({ cidr: "2001:db8::/96", total: 2 ** 32 - 2, allocated: 1 }).text).toBe(
      "1 of 4,294,967,294",
    );
    expect(poolFigures({ cidr: "2001:db8::/95", total: 2 ** 33 - 2, allocated: 1 }).text).toBe("1 of 2^33");
  });
});
