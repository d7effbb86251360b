import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { isValidKey, validateKey } from "./base64-key.js";

const sample = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";

describe("validateKey", () => {
  it("accepts base64 of 32 bytes and returns it", () => {
    expect(validateKey(sample)).toBe(sample);
  });

  it("returns the canonical form when the unused trailing bits are set", () => {
    // "k" and "l" differ only in the two bits that padding discards.
    expect(validateKey(sample.replace(/k=$/, "l="))).toBe(sample);
  });

  it("round-trips any 32 bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const text = Buffer.from(bytes).toString("base64");
        expect(validateKey(text)).toBe(text);
      }),
    );
  });

  it.each([
    ["empty", ""],
    ["31 bytes", Buffer.alloc(31, 7).toString("base64")],
    ["33 bytes", Buffer.alloc(33, 7).toString("base64")],
    ["no padding", sample.slice(0, 43)],
    ["leading space", ` ${sample}`],
    ["trailing newline", `${sample}\n`],
    ["url-safe alphabet", sample.replace("+", "-")],
    ["hex", "a".repeat(64)],
    ["padding inside", `${sample.slice(0, 20)}=${sample.slice(21)}`],
    ["two pad characters", `${sample.slice(0, 42)}==`],
  ])("rejects %s with the field named and without echoing the text", (_label, text) => {
    let caught: unknown;
    try {
      validateKey(text, "peers[0].publicKey");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as ValidationError;
    expect(error.field).toBe("peers[0].publicKey");
    expect(error.message).toContain("32 bytes");
    if (text.trim().length > 4) expect(error.message).not.toContain(text.trim());
  });

  it("rejects non-strings", () => {
    expect(() => validateKey(undefined as unknown as string)).toThrow(ValidationError);
    expect(() => validateKey(42 as unknown as string)).toThrow(/key: must be a WireGuard key/);
  });

  it("isValidKey agrees with validateKey", () => {
    expect(isValidKey(sample)).toBe(true);
    expect(isValidKey(`${sample} `)).toBe(false);
    expect(isValidKey(null)).toBe(false);
  });
});
