// Parses `wg show NAME dump` into LiveInterface. The first line holds the interface's private key:
// it is read past and dropped here, never kept, returned or logged.
import type { LivePeer, PeerSpec } from "@wgfleet/core";
import type { LiveInterface } from "../driver.js";

const NONE = "(none)";

/** `up` is not in the dump: the caller fills it from `ip link`. */
export function parseWgDump(name: string, text: string, up: boolean): LiveInterface {
  const lines = text.split("\n").filter((line) => line.length > 0);
  const head = (lines[0] ?? "").split("\t");
  if (head.length < 4) throw new Error(`unexpected \`wg show ${name} dump\` output (${lines.length} lines)`);
  const publicKey = head[1] === NONE ? "" : (head[1] ?? "");
  const listenPort = Number(head[2] ?? 0);
  return { name, publicKey, listenPort, up, peers: lines.slice(1).map(parsePeerLine) };
}

function parsePeerLine(line: string): LivePeer {
  const f = line.split("\t");
  if (f.length < 8) throw new Error(`unexpected peer line in \`wg show dump\` (${f.length} fields)`);
  const [publicKey, , endpoint, allowedIps, handshake, rx, tx, keepalive] = f as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    publicKey,
    endpoint: endpoint === NONE ? null : endpoint,
    allowedIps: allowedIps === NONE || allowedIps === "" ? [] : allowedIps.split(","),
    latestHandshake: Number(handshake),
    rxBytes: Number(rx),
    txBytes: Number(tx),
    persistentKeepalive: keepalive === "off" ? null : Number(keepalive),
  };
}

/**
 * `wg show NAME dump` read whole, secrets included, for adopting an interface wgfleet did not create:
 * its private key, listen port and each peer's preshared key, allowed IPs, endpoint and keepalive.
 * Only the adoption path calls this; its answer goes to the dashboard that takes the interface over.
 */
export function parseWgDumpConfig(
  name: string,
  text: string,
): { privateKey: string; listenPort: number; peers: PeerSpec[] } {
  const lines = text.split("\n").filter((line) => line.length > 0);
  const head = (lines[0] ?? "").split("\t");
  if (head.length < 4 || !head[0] || head[0] === NONE)
    throw new Error(`interface ${name} has no private key to take over`);
  return {
    privateKey: head[0],
    listenPort: Number(head[2] ?? 0),
    peers: lines.slice(1).map(parsePeerConfigLine),
  };
}

function parsePeerConfigLine(line: string): PeerSpec {
  const f = line.split("\t");
  if (f.length < 8) throw new Error(`unexpected peer line in \`wg show dump\` (${f.length} fields)`);
  const [publicKey, presharedKey, endpoint, allowedIps, , , , keepalive] = f as string[] as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const spec: PeerSpec = {
    publicKey,
    allowedIps: allowedIps === NONE || allowedIps === "" ? [] : allowedIps.split(","),
  };
  if (presharedKey !== NONE && presharedKey !== "") spec.presharedKey = presharedKey;
  if (endpoint !== NONE && endpoint !== "") spec.endpoint = endpoint;
  if (keepalive !== "off" && keepalive !== "" && Number(keepalive) > 0)
    spec.persistentKeepalive = Number(keepalive);
  return spec;
}
