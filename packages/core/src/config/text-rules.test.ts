import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { LIMITS, validateConfigValue, validatePeerName } from "./text-rules.js";

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).field;
  }
  return undefined;
}

describe("validateConfigValue", () => {
  it("returns the value trimmed", () => {
    expect(validateConfigValue("postUp", "  iptables -A FORWARD -i %i -j ACCEPT ")).toBe(
      "iptables -A FORWARD -i %i -j ACCEPT",
    );
    expect(validateConfigValue("x", "")).toBe("");
    expect(validateConfigValue("x", "a = b; echo $HOME 'q' \"d\" Müller 東京 🙂")).toBe(
      "a = b; echo $HOME 'q' \"d\" Müller 東京 🙂",
    );
  });

  it.each([
    ["a newline", "echo a\necho b", /line break/],
    ["a CR", "echo a\rb", /line break/],
    ["U+2028", "a\u2028b", /line break/],
    ["NEL", "a\u0085b", /line break/],
    ["NUL", "a\u0000b", /NUL/],
    ["a tab", "a\tb", /U\+0009/],
    ["ESC", "a\u001b[31mred", /U\+001B/],
    ["DEL", "a\u007fb", /U\+007F/],
    ["a bidi override", "a\u202eb", /U\+202E/],
    ["a lone high surrogate", "a\ud800b", /surrogate/],
    ["a lone low surrogate", "a\udc00", /surrogate/],
    ["a section header", "x [Peer] y", /section header/],
    ["a spaced section header", "x [ interface ] y", /section header/],
    ["a value starting with [", "[ -f /x ] && echo", /start with "\["/],
    ["a comment sign", "echo a # b", /"#"/],
    ["1025 characters", "a".repeat(1025), /too long: 1025/],
    ["a number", 42 as unknown as string, /must be a string/],
  ])("rejects %s, naming the field", (_label, value, message) => {
    expect(() => validateConfigValue("interface.postUp", value)).toThrow(message);
    expect(fieldOf(() => validateConfigValue("interface.postUp", value))).toBe("interface.postUp");
  });

  it("accepts a pair of surrogates (an emoji) and honours a custom limit", () => {
    expect(validateConfigValue("x", "\ud83d\ude00")).toBe("😀");
    expect(() => validateConfigValue("x", "abcd", 3)).toThrow(/at most 3/);
    expect(validateConfigValue("x", "a".repeat(LIMITS.value))).toHaveLength(LIMITS.value);
  });
});

describe("validatePeerName", () => {
  it("keeps a name with characters that are harmless inside a comment", () => {
    expect(validatePeerName(" alice # 2 = [laptop] ")).toBe("alice # 2 = [laptop]");
    expect(validatePeerName("Müller & Søn, 東京")).toBe("Müller & Søn, 東京");
  });

  it.each([
    ["empty", ""],
    ["blank", "   "],
    ["a newline then a section", "alice\n[Peer]"],
    ["a section header", "alice [Peer]"],
    ["NUL", "ali\u0000ce"],
    ["257 characters", "n".repeat(257)],
  ])("rejects %s", (_label, name) => {
    expect(fieldOf(() => validatePeerName(name, "peers[3].name"))).toBe("peers[3].name");
  });

  it("defaults the field to name", () => {
    expect(fieldOf(() => validatePeerName(""))).toBe("name");
  });
});
