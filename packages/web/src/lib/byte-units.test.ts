import { describe, expect, it } from "vitest";
import { amountIn, amountOf, bytesOf } from "./byte-units.js";

describe("byte units", () => {
  it("computes budgets exactly from decimal amounts", () => {
    expect(bytesOf("1", "MiB")).toBe(1_048_576);
    expect(bytesOf("1.5", "GiB")).toBe(1_610_612_736);
    // 1.1 × 2^30 = 1181116006.4: a float product would be 1181116006.4000001.
    expect(bytesOf("1.1", "GiB")).toBe(1_181_116_006);
    expect(bytesOf("2", "TiB")).toBe(2 * 1024 ** 4);
    expect(bytesOf(" 0,5 ", "MiB")).toBe(524_288);
    expect(bytesOf(".25", "GiB")).toBe(268_435_456);
  });

  it("rounds a fraction of a byte to the nearest byte", () => {
    expect(bytesOf("0.1", "MiB")).toBe(104_858); // 104857.6
    expect(bytesOf("0.0000001", "MiB")).toBe(0);
  });

  it("answers NaN for text that is no amount, or a budget past what JSON numbers hold exactly", () => {
    for (const text of ["", ".", "abc", "-1", "1e3", "1.2.3", "1 GiB"])
      expect(bytesOf(text, "GiB")).toBeNaN();
    expect(bytesOf("9000", "TiB")).toBeNaN();
  });

  it("writes a byte count back as its exact amount", () => {
    expect(amountIn(1_610_612_736, "GiB")).toBe("1.5");
    expect(amountIn(1_000_000, "MiB")).toBe("0.95367431640625");
    expect(amountIn(1, "MiB")).toBe("0.00000095367431640625");
    expect(amountOf(5 * 1024 ** 3)).toEqual({ amount: "5", unit: "GiB" });
    expect(amountOf(1536 * 1024 ** 3)).toEqual({ amount: "1.5", unit: "TiB" });
    expect(amountOf(100)).toEqual({ amount: "0.000095367431640625", unit: "MiB" });
  });

  it("round-trips every amount it writes", () => {
    for (const bytes of [1, 100, 1_000_000, 1_181_116_006, 5 * 1024 ** 3, Number.MAX_SAFE_INTEGER]) {
      const { amount, unit } = amountOf(bytes);
      expect(bytesOf(amount, unit)).toBe(bytes);
    }
  });
});
