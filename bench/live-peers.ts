// What a fleet node's WireGuard really holds, read with `wg` inside its namespace: the reference the
// creation benches check the API's answers against.
import type { FleetNode } from "../test/fleet/harness.js";

/** `wg show NAME allowed-ips` in the node's namespace: public key → AllowedIPs (space-separated). */
export async function liveAllowedIps(node: FleetNode, name: string): Promise<Map<string, string>> {
  const stdout = await node.wg(["show", name, "allowed-ips"]);
  const peers = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    if (!line.trim()) continue;
    const [key, ips = ""] = line.split("\t");
    peers.set(key as string, ips.trim());
  }
  return peers;
}
