import { generateKeyPair, generatePresharedKey } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import { parseWgDump } from "./wg-dump.js";

describe("parseWgDump", () => {
  const server = generateKeyPair();
  const [a, b] = [generateKeyPair().publicKey, generateKeyPair().publicKey];
  const psk = generatePresharedKey();
  const dump = [
    [server.privateKey, server.publicKey, "51820", "off"].join("\t"),
    [a, psk, "198.18.0.6:40000", "198.51.100.2/32,2001:db8::2/128", "1700000000", "1234", "5678", "25"].join(
      "\t",
    ),
    [b, "(none)", "(none)", "(none)", "0", "0", "0", "off"].join("\t"),
    "",
  ].join("\n");

  it("reads the interface and its peers", () => {
    expect(parseWgDump("wd0", dump, true)).toEqual({
      name: "wd0",
      publicKey: server.publicKey,
      listenPort: 51820,
      up: true,
      peers: [
        {
          publicKey: a,
          endpoint: "198.18.0.6:40000",
          allowedIps: ["198.51.100.2/32", "2001:db8::2/128"],
          latestHandshake: 1700000000,
          rxBytes: 1234,
          txBytes: 5678,
          persistentKeepalive: 25,
        },
        {
          publicKey: b,
          endpoint: null,
          allowedIps: [],
          latestHandshake: 0,
          rxBytes: 0,
          txBytes: 0,
          persistentKeepalive: null,
        },
      ],
    });
  });

  it("never keeps the private key or a preshared key", () => {
    const text = JSON.stringify(parseWgDump("wd0", dump, false));
    expect(text).not.toContain(server.privateKey);
    expect(text).not.toContain(psk);
  });

  it("reads an interface without a key", () => {
    const live = parseWgDump("wd0", "(none)\t(none)\t0\toff\n", false);
    expect(live).toEqual({ name: "wd0", publicKey: "", listenPort: 0, up: false, peers: [] });
  });

  it("rejects output that is not a dump", () => {
    expect(() => parseWgDump("wd0", "interface: wd0\n", true)).toThrow(/unexpected/);
  });
});
