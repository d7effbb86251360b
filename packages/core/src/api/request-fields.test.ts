import { describe, expect, it } from "vitest";
import { hasControlCharacters } from "../config/text-rules.js";
import { INTERFACE_NAME_PATTERN } from "../protocol/v1.js";
import { PLAIN_TEXT_PATTERN, patternRule } from "./request-fields.js";

describe("request field patterns", () => {
  it("plain text refuses exactly what hasControlCharacters finds", () => {
    const plain = new RegExp(PLAIN_TEXT_PATTERN, "u");
    for (const text of ["ok", "Ana's laptop", "a\nb", "a\rb", "a\u0000b", "a\u202eb", "a\u0085b", "ünï ✓"])
      expect(plain.test(text), JSON.stringify(text)).toBe(!hasControlCharacters(text));
  });

  it("interface names: one rule, said in words", () => {
    const name = new RegExp(INTERFACE_NAME_PATTERN, "u");
    expect(["wg0", "corp", "a.b-c_d=e+f", "x".repeat(15)].every((n) => name.test(n))).toBe(true);
    expect([".", "..", "-wg", "wg 0", "wg/0", "x".repeat(16), ""].some((n) => name.test(n))).toBe(false);
    expect(patternRule(INTERFACE_NAME_PATTERN)).toContain("starting with a letter or digit");
  });
});
