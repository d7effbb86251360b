// A digest of a desired interface state, so the dashboard can see an agent's drift from a health
// answer without downloading the state. SHA-256 is one-way: the private and preshared keys it covers
// cannot be recovered from it. The revision is left out: equal states hash equal whatever their revision.
import { createHash } from "node:crypto";
import { canonicalJson, compareText, interfaceForm, peerForm } from "./canonical.js";
import type { InterfaceState } from "./v1.js";

/** sha256 hex of the canonical JSON: sorted keys, peers sorted by public key, CIDRs canonical and sorted. */
export function digestInterfaceState(state: Pick<InterfaceState, "interface" | "peers">): string {
  const canonical = {
    interface: interfaceForm(state.interface),
    peers: state.peers.map(peerForm).sort((a, b) => compareText(a.publicKey, b.publicKey)),
  };
  return createHash("sha256").update(canonicalJson(canonical)).digest("hex");
}
