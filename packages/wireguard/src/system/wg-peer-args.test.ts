import { generateKeyPair, generatePresharedKey, parseWgQuick } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import { chunk, renderPeersConf, wgRemovePeerArgs, wgSetPeerArgs, ZERO_KEY_BASE64 } from "./wg-peer-args.js";

const a = generateKeyPair().publicKey;
const b = generateKeyPair().publicKey;

describe("wg set arguments", () => {
  it("sets every field, clearing what the spec leaves out, and never carries the preshared key itself", () => {
    const psk = generatePresharedKey();
    const args = wgSetPeerArgs(
      [
        {
          publicKey: a,
          allowedIps: ["198.51.100.2/32", "2001:db8::2/128"],
          presharedKey: psk,
          persistentKeepalive: 25,
        },
        { publicKey: b, allowedIps: [], endpoint: "198.18.0.2:51820" },
      ],
      (peer) => (peer.presharedKey ? "/tmp/private/psk-1" : "/dev/null"),
    );
    expect(args).toEqual([
      "peer",
      a,
      "allowed-ips",
      "198.51.100.2/32,2001:db8::2/128",
      "preshared-key",
      "/tmp/private/psk-1",
      "persistent-keepalive",
      "25",
      "peer",
      b,
      "allowed-ips",
      "",
      "preshared-key",
      "/dev/null",
      "persistent-keepalive",
      "0",
      "endpoint",
      "198.18.0.2:51820",
    ]);
    expect(args.join(" ")).not.toContain(psk);
  });

  it("removes peers by key", () => {
    expect(wgRemovePeerArgs([a, b])).toEqual(["peer", a, "remove", "peer", b, "remove"]);
  });

  it("chunks long lists", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 2)).toEqual([]);
  });
});

describe("renderPeersConf", () => {
  it("renders peers only, with preshared key and keepalive cleared when absent", () => {
    const psk = generatePresharedKey();
    const text = renderPeersConf([
      { publicKey: a, allowedIps: ["198.51.100.2/32"], presharedKey: psk, persistentKeepalive: 25 },
      { publicKey: b, allowedIps: [], endpoint: "vpn.example.net:51820" },
    ]);
    const file = parseWgQuick(text);
    expect(file.interface.privateKey).toBeUndefined();
    expect(file.interface.listenPort).toBeUndefined();
    expect(
      file.peers.map((p) => [p.publicKey, p.presharedKey, p.persistentKeepalive, p.allowedIps, p.endpoint]),
    ).toEqual([
      [a, psk, 25, ["198.51.100.2/32"], undefined],
      [b, ZERO_KEY_BASE64, 0, [], "vpn.example.net:51820"],
    ]);
  });
});
