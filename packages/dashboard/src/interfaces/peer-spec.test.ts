import { randomBytes } from "node:crypto";
import { generateKeyPair, generatePresharedKey, parseCidr } from "@wgfleet/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SecretBox } from "../secrets/index.js";
import { peerSpecOf, serverAllowedIps } from "./peer-spec.js";

describe("server-side AllowedIPs of a peer", () => {
  it("is a host route per address, whatever prefix the stored text carries", () => {
    // The classic bug: the pool's prefix (/24) handed to a peer, which then captures the subnet.
    expect(serverAllowedIps(JSON.stringify(["198.51.100.7/24", "2001:db8::7/64"]))).toEqual([
      "198.51.100.7/32",
      "2001:db8::7/128",
    ]);
    expect(serverAllowedIps(JSON.stringify(["198.51.100.7"]))).toEqual(["198.51.100.7/32"]);
  });

  it("never yields anything wider than /32 or /128 (property)", () => {
    fc.assert(
      fc.property(
        fc.ipV4(),
        fc.integer({ min: 0, max: 32 }),
        fc.ipV6(),
        fc.integer({ min: 0, max: 128 }),
        (v4, p4, v6, p6) => {
          for (const text of serverAllowedIps(JSON.stringify([`${v4}/${p4}`, `${v6}/${p6}`]))) {
            const cidr = parseCidr(text);
            expect(cidr.prefix).toBe(cidr.address.version === 4 ? 32 : 128);
          }
        },
      ),
    );
  });

  it("carries the decrypted preshared key and never the private key", () => {
    const secrets = SecretBox.fromKey(randomBytes(32));
    const keys = generateKeyPair();
    const psk = generatePresharedKey();
    const spec = peerSpecOf(
      {
        public_key: keys.publicKey,
        preshared_key_enc: secrets.encrypt(psk),
        addresses: '["198.51.100.2/32"]',
        expires_at: null,
        schedule: null,
        default_schedule: null,
        quota_budget: null,
      },
      secrets,
    );
    // No access rules: no access field, so an agent from before them sees the spec it always saw.
    expect(spec).toEqual({ publicKey: keys.publicKey, presharedKey: psk, allowedIps: ["198.51.100.2/32"] });
    expect(JSON.stringify(spec)).not.toContain(keys.privateKey);
  });
});
