import { describe, expect, it } from "vitest";
import { AGENT_TEXT_MAX_CHARS, cleanAgentText } from "./agent-text.js";

describe("cleanAgentText", () => {
  it("keeps ordinary text as it is", () => {
    expect(cleanAgentText("wg: interface wg0 exists")).toBe("wg: interface wg0 exists");
  });

  it("turns newlines, escapes and other control runs into one space", () => {
    expect(cleanAgentText("a\n\r\u001b[31mb\u0000\u007fc\u2028d")).toBe("a [31mb c d");
  });

  it("cuts long text to the limit and marks the cut", () => {
    const cut = cleanAgentText("x".repeat(5 * 1024 * 1024));
    expect(cut).toHaveLength(AGENT_TEXT_MAX_CHARS);
    expect(cut.endsWith("…")).toBe(true);
    expect(cleanAgentText("abcdef", 4)).toBe("abc…");
  });

  it("leaves text at exactly the limit whole", () => {
    expect(cleanAgentText("abcd", 4)).toBe("abcd");
  });
});
