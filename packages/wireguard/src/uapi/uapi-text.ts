// wireguard-go's UAPI text protocol (https://www.wireguard.com/xplatform/): builds `set=1` requests
// from our specs and parses `get=1` answers. Keys are hex on the wire; the private key in a `get`
// answer is only compared or turned into the public key, never kept.

import { isIP } from "node:net";
import type { LivePeer, PeerSpec } from "@wgfleet/core";

export const ZERO_KEY_HEX = "0".repeat(64);

export function keyToHex(base64: string): string {
  return Buffer.from(base64, "base64").toString("hex");
}

export function keyFromHex(hex: string): string {
  return Buffer.from(hex, "hex").toString("base64");
}

/** True when wireguard-go can take this endpoint as is (it does not resolve DNS names). */
export function isLiteralEndpoint(endpoint: string): boolean {
  const v6 = /^\[([^\]]+)\]:\d+$/.exec(endpoint);
  if (v6) return isIP(v6[1] ?? "") === 6;
  const colon = endpoint.lastIndexOf(":");
  return colon > 0 && isIP(endpoint.slice(0, colon)) === 4;
}

/** Lines that make the peer exactly `peer` (a missing preshared key or keepalive clears it). */
export function peerSetLines(peer: PeerSpec): string[] {
  const lines = [
    `public_key=${keyToHex(peer.publicKey)}`,
    `preshared_key=${peer.presharedKey ? keyToHex(peer.presharedKey) : ZERO_KEY_HEX}`,
    `persistent_keepalive_interval=${peer.persistentKeepalive ?? 0}`,
  ];
  if (peer.endpoint) lines.push(`endpoint=${peer.endpoint}`);
  lines.push("replace_allowed_ips=true");
  for (const cidr of peer.allowedIps) lines.push(`allowed_ip=${cidr}`);
  return lines;
}

export function peerRemoveLines(publicKey: string): string[] {
  return [`public_key=${keyToHex(publicKey)}`, "remove=true"];
}

export function setRequest(lines: readonly string[]): string {
  return `set=1\n${lines.join("\n")}${lines.length > 0 ? "\n" : ""}\n`;
}

export const GET_REQUEST = "get=1\n\n";

export interface UapiDevice {
  /** Hex; only for comparison or deriving the public key. Never log or return it. */
  privateKeyHex: string | null;
  listenPort: number;
  peers: LivePeer[];
}

/** Parses the body of a `get=1` answer (everything before `errno=`). */
export function parseGetResponse(text: string): UapiDevice {
  const device: UapiDevice = { privateKeyHex: null, listenPort: 0, peers: [] };
  let peer: LivePeer | null = null;
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === "public_key") {
      peer = {
        publicKey: keyFromHex(value),
        endpoint: null,
        allowedIps: [],
        latestHandshake: 0,
        rxBytes: 0,
        txBytes: 0,
        persistentKeepalive: null,
      };
      device.peers.push(peer);
    } else if (peer) {
      applyPeerField(peer, key, value);
    } else if (key === "private_key") {
      device.privateKeyHex = value;
    } else if (key === "listen_port") {
      device.listenPort = Number(value);
    }
  }
  return device;
}

function applyPeerField(peer: LivePeer, key: string, value: string): void {
  switch (key) {
    case "endpoint":
      peer.endpoint = value;
      break;
    case "allowed_ip":
      peer.allowedIps.push(value);
      break;
    case "last_handshake_time_sec":
      peer.latestHandshake = Number(value);
      break;
    case "rx_bytes":
      peer.rxBytes = Number(value);
      break;
    case "tx_bytes":
      peer.txBytes = Number(value);
      break;
    case "persistent_keepalive_interval":
      peer.persistentKeepalive = Number(value) === 0 ? null : Number(value);
      break;
  }
}

/** Splits an answer into its body and errno; a missing errno line is a protocol error (null). */
export function splitErrno(answer: string): { body: string; errno: number | null } {
  const match = /(?:^|\n)errno=(-?\d+)\n/.exec(answer);
  if (!match) return { body: answer, errno: null };
  return { body: answer.slice(0, match.index), errno: Number(match[1]) };
}
