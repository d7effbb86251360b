import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { generateKeyPair, generatePresharedKey } from "../keys/index.js";
import { type ClientConfigInput, renderClientConfig } from "./client-config.js";
import { parseWgQuick } from "./parse.js";

const client = generateKeyPair();
const server = generateKeyPair();
const psk = generatePresharedKey();

const input: ClientConfigInput = {
  name: "alice-laptop",
  privateKey: client.privateKey,
  addresses: ["198.51.100.2/32", "2001:db8::2/128"],
  dns: ["198.51.100.1", "corp.example.com"],
  mtu: 1420,
  serverPublicKey: server.publicKey,
  presharedKey: psk,
  endpoint: "vpn.example.com:51820",
  allowedIps: ["0.0.0.0/0", "::/0"],
  persistentKeepalive: 25,
};

describe("renderClientConfig", () => {
  it("writes the client's interface and one peer, the server", () => {
    expect(renderClientConfig(input)).toBe(`[Interface]
# Name = alice-laptop
PrivateKey = ${client.privateKey}
Address = 198.51.100.2/32, 2001:db8::2/128
DNS = 198.51.100.1, corp.example.com
MTU = 1420

[Peer]
PublicKey = ${server.publicKey}
PresharedKey = ${psk}
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = vpn.example.com:51820
PersistentKeepalive = 25
`);
  });

  it("leaves out what is not given", () => {
    const { name: _n, mtu: _m, presharedKey: _p, persistentKeepalive: _k, ...minimal } = input;
    const text = renderClientConfig({ ...minimal, dns: [] });
    expect(text).not.toMatch(/Name|MTU|DNS|PresharedKey|PersistentKeepalive/);
    expect(parseWgQuick(text).peers[0]?.publicKey).toBe(server.publicKey);
  });

  it.each([
    ["privateKey", { privateKey: "short" }],
    ["serverPublicKey", { serverPublicKey: `${server.publicKey}\n` }],
    ["presharedKey", { presharedKey: "" }],
    ["addresses", { addresses: [] }],
    ["addresses", { addresses: ["198.51.100.2/32\nDNS = 1.1.1.1"] }],
    ["allowedIps", { allowedIps: [] }],
    ["endpoint", { endpoint: undefined }],
    ["endpoint", { endpoint: "vpn.example.com" }],
    ["dns", { dns: ["{{ server_dns }}"] }],
    ["mtu", { mtu: 20 }],
    ["persistentKeepalive", { persistentKeepalive: 1e6 }],
    ["name", { name: "alice\n[Peer]" }],
  ])("rejects a bad %s under the input's field name", (field, change) => {
    try {
      renderClientConfig({ ...input, ...change } as ClientConfigInput);
      throw new Error("expected a ValidationError");
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
      expect((error as Error).message).not.toContain(client.privateKey);
    }
  });
});
