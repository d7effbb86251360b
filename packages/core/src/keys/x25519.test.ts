import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { commandPrerequisite, missingPrerequisites } from "../../../../test/support/privileges.js";
import { ValidationError } from "../errors.js";
import { validateKey } from "./base64-key.js";
import {
  clampPrivateKey,
  generateKeyPair,
  generateKeyPairs,
  generatePresharedKey,
  generatePresharedKeys,
  generatePrivateKey,
  publicKeyFromPrivate,
} from "./x25519.js";

const bytesOf = (key: string) => Buffer.from(key, "base64");

describe("generatePrivateKey", () => {
  it("produces distinct valid keys clamped like `wg genkey`", () => {
    const keys = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const key = generatePrivateKey();
      expect(validateKey(key)).toBe(key);
      const bytes = bytesOf(key);
      expect((bytes[0] ?? 0) & 7).toBe(0);
      expect((bytes[31] ?? 0) & 0xc0).toBe(0x40);
      keys.add(key);
    }
    expect(keys.size).toBe(200);
  });
});

describe("clampPrivateKey", () => {
  it("clears the low three bits and sets bit 254 without touching its input", () => {
    const input = new Uint8Array(32).fill(0xff);
    const clamped = clampPrivateKey(input);
    expect(clamped[0]).toBe(0xf8);
    expect(clamped[31]).toBe(0x7f);
    expect(clamped.subarray(1, 31).every((b) => b === 0xff)).toBe(true);
    expect(input[0]).toBe(0xff);
  });
});

describe("generatePresharedKey", () => {
  it("produces distinct 32-byte keys", () => {
    const a = generatePresharedKey();
    const b = generatePresharedKey();
    expect(validateKey(a)).toBe(a);
    expect(a).not.toBe(b);
  });
});

describe("publicKeyFromPrivate", () => {
  it("matches the RFC 7748 section 6.1 test vector", () => {
    const alicePrivate = Buffer.from(
      "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
      "hex",
    ).toString("base64");
    const alicePublic = Buffer.from(
      "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
      "hex",
    ).toString("base64");
    expect(publicKeyFromPrivate(alicePrivate)).toBe(alicePublic);
  });

  it("rejects a bad private key without echoing it", () => {
    const bad = "not-a-key-at-all";
    expect(() => publicKeyFromPrivate(bad)).toThrow(ValidationError);
    try {
      publicKeyFromPrivate(bad);
    } catch (error) {
      expect((error as ValidationError).field).toBe("privateKey");
      expect((error as Error).message).not.toContain(bad);
    }
  });

  it("generateKeyPair returns a matching pair", () => {
    const pair = generateKeyPair();
    expect(publicKeyFromPrivate(pair.privateKey)).toBe(pair.publicKey);
    expect(pair.publicKey).not.toBe(pair.privateKey);
    const bytes = bytesOf(pair.privateKey);
    expect((bytes[0] ?? 0) & 7).toBe(0);
    expect((bytes[31] ?? 0) & 0xc0).toBe(0x40);
  });
});

const skipWg = missingPrerequisites([commandPrerequisite("wg")]);

describe.skipIf(skipWg)("publicKeyFromPrivate against `wg pubkey`", () => {
  const wgPubkey = (privateKey: string) =>
    execFileSync("wg", ["pubkey"], { input: `${privateKey}\n`, encoding: "utf8" }).trim();

  it("equals `wg pubkey` for 100 random private keys", () => {
    for (let i = 0; i < 100; i++) {
      const privateKey = generatePrivateKey();
      expect(publicKeyFromPrivate(privateKey)).toBe(wgPubkey(privateKey));
    }
  });

  it("generateKeyPair's public key equals `wg pubkey` of its private key", () => {
    for (let i = 0; i < 20; i++) {
      const pair = generateKeyPair();
      expect(pair.publicKey).toBe(wgPubkey(pair.privateKey));
    }
  });

  it("equals `wg pubkey` for unclamped keys too (both clamp before multiplying)", () => {
    const unclamped = Buffer.alloc(32, 0xff).toString("base64");
    expect(publicKeyFromPrivate(unclamped)).toBe(wgPubkey(unclamped));
  });
});

describe("generateKeyPairs / generatePresharedKeys (one draw of random bytes for many)", () => {
  it("makes distinct, clamped pairs whose public halves derive from their private ones", () => {
    const pairs = generateKeyPairs(50);
    expect(pairs).toHaveLength(50);
    expect(new Set(pairs.map((p) => p.privateKey)).size).toBe(50);
    for (const { privateKey, publicKey } of pairs) {
      const raw = bytesOf(privateKey);
      expect((raw[0] ?? 0) & 7).toBe(0);
      expect((raw[31] ?? 0) & 0xc0).toBe(0x40);
      expect(publicKey).toBe(publicKeyFromPrivate(privateKey));
    }
    expect(generateKeyPairs(0)).toEqual([]);
  });

  it("makes distinct 32-byte preshared keys", () => {
    const keys = generatePresharedKeys(50);
    expect(new Set(keys).size).toBe(50);
    for (const key of keys) expect(bytesOf(key)).toHaveLength(32);
  });
});
