// A digest of a desired interface state, so the dashboard can see an agent's drift from a health
// answer without downloading the state. SHA-256 is one-way: the private and preshared keys it covers
// cannot be recovered from it. The revision is left out: equal states hash equal whatever their revision.
import { createHash } from "node:crypto";
import { canonicalJson, compareText, interfaceForm, peerForm } from "./canonical.js";
import type { InterfaceSpec, InterfaceState, PeerSpec } from "./v1.js";

/** sha256 hex of the canonical JSON: sorted keys, peers sorted by public key, CIDRs canonical and sorted. */
export function digestInterfaceState(state: Pick<InterfaceState, "interface" | "peers">): string {
  const peers = [...state.peers].sort((a, b) => compareText(a.publicKey, b.publicKey));
  return digestOfPeerTexts(state.interface, peers.map(canonicalPeerText));
}

/** One peer's part of the digest (its canonical JSON): the same for the same peer, so it can be kept. */
export function canonicalPeerText(peer: PeerSpec): string {
  return canonicalJson(peerForm(peer));
}

/**
 * The digest from the interface and its peers' canonical texts in public-key order: canonicalJson of
 * `{ interface, peers }` written out (its keys in that order), each peer's text as given. An agent that
 * keeps its peers' texts hashes a health answer without redoing every peer's canonical form.
 */
export function digestOfPeerTexts(spec: InterfaceSpec, peerTexts: readonly string[]): string {
  const text = `{"interface":${canonicalJson(interfaceForm(spec))},"peers":[${peerTexts.join(",")}]}`;
  return createHash("sha256").update(text).digest("hex");
}
