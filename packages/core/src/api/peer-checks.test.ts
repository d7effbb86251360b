import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { parseIsoTime } from "./iso-time.js";
import { checkCreatePeer, checkUpdatePeer } from "./peer-checks.js";

const ZERO_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
const A_KEY = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";

function fieldOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe("peer meaning checks", () => {
  it("refuse all-zero public and preshared keys, naming the field", () => {
    expect(fieldOf(() => checkCreatePeer({ name: "p", publicKey: ZERO_KEY }))).toBe("publicKey");
    expect(fieldOf(() => checkCreatePeer({ name: "p", presharedKey: ZERO_KEY }))).toBe("presharedKey");
    expect(checkCreatePeer({ name: "p", publicKey: A_KEY, presharedKey: A_KEY }).publicKey).toBe(A_KEY);
  });

  it("default to auto placement and a generated preshared key", () => {
    expect(checkCreatePeer({ name: " p " })).toEqual({ name: "p", node: "auto", presharedKey: true });
  });

  it("keep the description trimmed, and turn an empty one into none", () => {
    expect(checkCreatePeer({ name: "p", description: " Ana's phone " }).description).toBe("Ana's phone");
    expect(checkUpdatePeer({ description: "  " }).description).toBeNull();
    expect(checkUpdatePeer({ description: null }).description).toBeNull();
  });

  it("refuse impossible expiry dates instead of rolling them over", () => {
    expect(fieldOf(() => checkUpdatePeer({ expiresAt: "2024-02-30" }))).toBe("expiresAt");
    expect(checkUpdatePeer({ expiresAt: "2024-02-29" }).expiresAt).toBe("2024-02-29T00:00:00.000Z");
    expect(checkUpdatePeer({ expiresAt: null }).expiresAt).toBeNull();
  });
});

describe("ISO-8601 times", () => {
  it.each([
    "2024-02-30",
    "2023-02-29",
    "2025-04-31",
    "2025-13-01",
    "2025-00-10",
    "2025-01-00",
    "2025-01-01T24:00",
    "2025-01-01T10:60",
    "tomorrow",
    "2025-1-1",
  ])("refuses %s", (text) => {
    expect(() => parseIsoTime(text, "expiresAt")).toThrow(/expiresAt: must be an ISO-8601 date/);
  });

  it.each([
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
    ["2025-06-30T23:59:59.000Z", "2025-06-30T23:59:59.000Z"],
    ["2025-06-30T23:59:59+02:00", "2025-06-30T21:59:59.000Z"],
    ["2025-06-30T08:15", "2025-06-30T08:15:00.000Z"],
  ])("accepts %s as %s", (text, iso) => {
    expect(parseIsoTime(text, "expiresAt")).toBe(iso);
  });
});
