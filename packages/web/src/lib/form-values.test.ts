import { describe, expect, it } from "vitest";
import { fieldText, nullableNumberOf, numberOf, textOf } from "./form-values.js";

describe("form values", () => {
  it("reads numbers, numeric text and empty fields alike", () => {
    expect(numberOf(25)).toBe(25);
    expect(numberOf(" 25 ")).toBe(25);
    expect(numberOf("")).toBeUndefined();
    expect(numberOf("   ")).toBeUndefined();
    expect(numberOf(null)).toBeUndefined();
    expect(numberOf(undefined)).toBeUndefined();
    expect(numberOf(0)).toBe(0);
    expect(numberOf(1.5)).toBe(1.5);
    expect(Number.isNaN(numberOf("abc"))).toBe(true);
  });

  it("gives null for an empty field the API clears with null", () => {
    expect(nullableNumberOf("")).toBeNull();
    expect(nullableNumberOf(1420)).toBe(1420);
    expect(nullableNumberOf("0")).toBe(0);
  });

  it("trims text and prints numbers", () => {
    expect(textOf("  wg0 ")).toBe("wg0");
    expect(textOf(51820)).toBe("51820");
    expect(textOf(Number.NaN)).toBe("");
    expect(textOf(null)).toBe("");
    expect(fieldText(null)).toBe("");
    expect(fieldText(1420)).toBe("1420");
  });
});
