import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KEY_ID_PATTERN } from "./headers.js";
import { keyIdForSecret } from "./key-id.js";

describe("keyIdForSecret", () => {
  it("is the first 8 hex digits of the secret's SHA-256", () => {
    expect(keyIdForSecret("abc")).toBe("ba7816bf");
    expect(keyIdForSecret("")).toBe("e3b0c442");
  });

  it("hashes the secret as UTF-8", () => {
    const secret = "sécret-ключ-🔑-0123456789";
    const expected = createHash("sha256").update(Buffer.from(secret, "utf8")).digest("hex").slice(0, 8);
    expect(keyIdForSecret(secret)).toBe(expected);
  });

  it("gives ids the signature headers accept, different for different secrets", () => {
    const a = keyIdForSecret("current-secret-0123456789");
    const b = keyIdForSecret("previous-secret-0123456789");
    expect(a).toMatch(/^[0-9a-f]{8}$/);
    expect(KEY_ID_PATTERN.test(a)).toBe(true);
    expect(a).not.toBe(b);
  });
});
