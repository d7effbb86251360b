// The host clients of a node's interfaces connect to when an interface names no endpoint of its own:
// the node's endpoint host, else the host of its agent URL, else (the local node, never set) this
// machine's name — the default the first-run question asks the admin to replace.
import type { InterfaceNode } from "./ports.js";

export function clientEndpointHost(
  node: Pick<InterfaceNode, "endpoint_host" | "agent_url"> | undefined,
  machineHostname: () => string,
): string {
  return node?.endpoint_host || hostOfUrl(node?.agent_url) || machineHostname();
}

function hostOfUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/^\[(.*)\]$/, "$1") || null;
  } catch {
    return null;
  }
}
