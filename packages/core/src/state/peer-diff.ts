// The difference between two desired peer lists: which peers to write and which to remove, so that
// peers that did not change are never touched (Tailscale's wgcfg habit). Pure; peers are keyed by
// public key and the lists are expected to be validated (each key once).
import type { PeerSpec } from "../protocol/v1.js";
import { samePeerSpec } from "./peer-equality.js";

export interface PeerDiff {
  /** New or changed peers, whole (an upsert replaces a peer's allowed IPs, keepalive, key, endpoint). */
  upsert: PeerSpec[];
  /** Public keys of peers to remove. */
  remove: string[];
}

/** Only changed peers; applying it to `previous` gives `next`. */
export function diffPeers(previous: readonly PeerSpec[], next: readonly PeerSpec[]): PeerDiff {
  const before = new Map(previous.map((peer) => [peer.publicKey, peer]));
  const after = new Set(next.map((peer) => peer.publicKey));
  const upsert = next.filter((peer) => {
    const old = before.get(peer.publicKey);
    return old === undefined || !samePeerSpec(old, peer);
  });
  const remove = [...before.keys()].filter((publicKey) => !after.has(publicKey));
  return { upsert, remove };
}

/** `previous` with the diff applied: removals dropped, upserts replacing or appended, order otherwise kept. */
export function applyPeerDiff(previous: readonly PeerSpec[], diff: PeerDiff): PeerSpec[] {
  const removed = new Set(diff.remove);
  const byKey = new Map<string, PeerSpec>();
  for (const peer of previous) if (!removed.has(peer.publicKey)) byKey.set(peer.publicKey, peer);
  for (const peer of diff.upsert) byKey.set(peer.publicKey, peer);
  return [...byKey.values()];
}

export function isEmptyDiff(diff: PeerDiff): boolean {
  return diff.upsert.length === 0 && diff.remove.length === 0;
}
