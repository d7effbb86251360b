import { generateKeyPair, generatePresharedKey } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import {
  isLiteralEndpoint,
  keyFromHex,
  keyToHex,
  parseGetResponse,
  peerRemoveLines,
  peerSetLines,
  setRequest,
  splitErrno,
  ZERO_KEY_HEX,
} from "./uapi-text.js";

const { publicKey } = generateKeyPair();

describe("UAPI set lines", () => {
  it("round-trips keys between base64 and hex", () => {
    expect(keyToHex(publicKey)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyFromHex(keyToHex(publicKey))).toBe(publicKey);
  });

  it("makes a peer exactly the spec: allowed IPs replaced, absent keepalive and preshared key cleared", () => {
    expect(peerSetLines({ publicKey, allowedIps: ["198.51.100.2/32", "2001:db8::2/128"] })).toEqual([
      `public_key=${keyToHex(publicKey)}`,
      `preshared_key=${ZERO_KEY_HEX}`,
      "persistent_keepalive_interval=0",
      "replace_allowed_ips=true",
      "allowed_ip=198.51.100.2/32",
      "allowed_ip=2001:db8::2/128",
    ]);
  });

  it("carries preshared key, keepalive and endpoint when given", () => {
    const psk = generatePresharedKey();
    const lines = peerSetLines({
      publicKey,
      presharedKey: psk,
      persistentKeepalive: 25,
      endpoint: "198.18.0.2:51820",
      allowedIps: [],
    });
    expect(lines).toContain(`preshared_key=${keyToHex(psk)}`);
    expect(lines).toContain("persistent_keepalive_interval=25");
    expect(lines).toContain("endpoint=198.18.0.2:51820");
    expect(lines.filter((l) => l.startsWith("allowed_ip="))).toEqual([]);
  });

  it("removes by key and frames a request with one blank line", () => {
    expect(peerRemoveLines(publicKey)).toEqual([`public_key=${keyToHex(publicKey)}`, "remove=true"]);
    expect(setRequest(["a=1", "b=2"])).toBe("set=1\na=1\nb=2\n\n");
    expect(setRequest([])).toBe("set=1\n\n");
  });

  it("knows which endpoints wireguard-go takes without DNS", () => {
    expect(isLiteralEndpoint("198.18.0.2:51820")).toBe(true);
    expect(isLiteralEndpoint("[2001:db8::1]:51820")).toBe(true);
    expect(isLiteralEndpoint("vpn.example.net:51820")).toBe(false);
    expect(isLiteralEndpoint("[vpn.example.net]:51820")).toBe(false);
  });
});

describe("UAPI get answers", () => {
  it("parses device and peers and keeps the private key out of the peers", () => {
    const priv = keyToHex(generateKeyPair().privateKey);
    const peer2 = generateKeyPair().publicKey;
    const body = [
      `private_key=${priv}`,
      "listen_port=51820",
      `public_key=${keyToHex(publicKey)}`,
      `preshared_key=${ZERO_KEY_HEX}`,
      "protocol_version=1",
      "endpoint=198.18.0.6:40000",
      "last_handshake_time_sec=1700000000",
      "last_handshake_time_nsec=5",
      "tx_bytes=100",
      "rx_bytes=200",
      "persistent_keepalive_interval=25",
      "allowed_ip=198.51.100.2/32",
      "allowed_ip=2001:db8::2/128",
      `public_key=${keyToHex(peer2)}`,
      "persistent_keepalive_interval=0",
      "last_handshake_time_sec=0",
    ].join("\n");
    const device = parseGetResponse(body);
    expect(device.privateKeyHex).toBe(priv);
    expect(device.listenPort).toBe(51820);
    expect(device.peers).toEqual([
      {
        publicKey,
        endpoint: "198.18.0.6:40000",
        allowedIps: ["198.51.100.2/32", "2001:db8::2/128"],
        latestHandshake: 1700000000,
        rxBytes: 200,
        txBytes: 100,
        persistentKeepalive: 25,
      },
      {
        publicKey: peer2,
        endpoint: null,
        allowedIps: [],
        latestHandshake: 0,
        rxBytes: 0,
        txBytes: 0,
        persistentKeepalive: null,
      },
    ]);
    expect(JSON.stringify(device.peers)).not.toContain(priv);
  });

  it("splits the errno from the body", () => {
    expect(splitErrno("errno=0\n\n")).toEqual({ body: "", errno: 0 });
    expect(splitErrno("listen_port=1\nerrno=0\n\n")).toEqual({ body: "listen_port=1", errno: 0 });
    expect(splitErrno("errno=-22\n\n").errno).toBe(-22);
    expect(splitErrno("garbage").errno).toBeNull();
  });
});
