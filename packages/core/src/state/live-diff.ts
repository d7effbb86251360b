// What a live interface lacks or has wrong compared with its desired peers: the input of drift repair
// and of bringing an interface to a full state. Pure: the live peers come from the driver.
import type { LivePeer, PeerSpec } from "../protocol/v1.js";
import type { PeerDiff } from "./peer-diff.js";
import { livePeerMatches } from "./peer-equality.js";

export interface LivePeerDiff extends PeerDiff {
  /** Live public keys the desired state does not have. */
  stray: string[];
}

/**
 * upsert: desired peers missing from the live interface or different there (see livePeerMatches:
 * a preshared key change is not visible live). stray: live keys not desired. `remove` holds the same
 * keys as `stray`, so the result applies as a PeerDiff that reaches exactly the desired state; a caller
 * that leaves strays alone applies only `upsert`.
 */
export function diffLivePeers(desired: readonly PeerSpec[], live: readonly LivePeer[]): LivePeerDiff {
  const liveByKey = new Map(live.map((peer) => [peer.publicKey, peer]));
  const desiredKeys = new Set(desired.map((peer) => peer.publicKey));
  const upsert = desired.filter((peer) => {
    const current = liveByKey.get(peer.publicKey);
    return current === undefined || !livePeerMatches(peer, current);
  });
  const stray = [...liveByKey.keys()].filter((publicKey) => !desiredKeys.has(publicKey));
  return { upsert, remove: [...stray], stray };
}
