// What a node's WireGuard really has, read with `wg show NAME dump` inside the node's namespace: the
// end-to-end tests compare this with the dashboard's database. Parsed here, independently of the
// product's own parser, so a bug there cannot hide a bug in what it reads.
import type { FleetNode } from "../../fleet/harness.js";

export interface LivePeerLine {
  publicKey: string;
  endpoint: string | null;
  /** As wg prints them ("203.0.113.2/32"); empty when the peer has none. */
  allowedIps: string[];
  /** Unix seconds; 0 when there was never a handshake. */
  latestHandshake: number;
}

export interface LiveInterfaceDump {
  name: string;
  publicKey: string;
  listenPort: number;
  peers: LivePeerLine[];
}

/** `wg show NAME dump` on the node; null when the node has no such interface. */
export async function readLiveInterface(node: FleetNode, name: string): Promise<LiveInterfaceDump | null> {
  if (!(await node.wireguardLinks()).includes(name)) return null;
  return parseWgDump(name, await node.wg(["show", name, "dump"]));
}

/** The public keys live on the interface (empty when the interface is gone). */
export async function liveKeys(node: FleetNode, name: string): Promise<string[]> {
  return (await readLiveInterface(node, name))?.peers.map((peer) => peer.publicKey) ?? [];
}

/**
 * The first line is the interface (private key, public key, port, fwmark), then one line per peer
 * (public key, preshared key, endpoint, allowed ips, latest handshake, rx, tx, keepalive), tab-separated.
 */
export function parseWgDump(name: string, text: string): LiveInterfaceDump {
  const [head, ...lines] = text.split("\n").filter((line) => line.trim() !== "");
  if (!head) throw new Error(`wg show ${name} dump printed nothing`);
  const [, publicKey = "", listenPort = "0"] = head.split("\t");
  const peers = lines.map((line) => {
    const fields = line.split("\t");
    if (fields.length < 8) throw new Error(`wg show ${name} dump: unexpected peer line "${line}"`);
    const [key = "", , endpoint = "", allowed = "", handshake = "0"] = fields;
    return {
      publicKey: key,
      endpoint: endpoint === "(none)" ? null : endpoint,
      allowedIps: allowed === "(none)" ? [] : allowed.split(","),
      latestHandshake: Number(handshake),
    };
  });
  return { name, publicKey, listenPort: Number(listenPort), peers };
}
