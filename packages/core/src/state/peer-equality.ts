// When two peer descriptions mean the same WireGuard peer. Compares meaning, not spelling: CIDRs as
// canonical sets, keepalive 0 as off. Fast path on identical text, since most peers never change.
import {
  canonicalAllowedIp,
  canonicalSet,
  keepaliveSeconds,
  type PeerForm,
  peerForm,
  sameList,
} from "../protocol/canonical.js";
import type { LivePeer, PeerSpec } from "../protocol/v1.js";

export function samePeerSpec(a: PeerSpec, b: PeerSpec): boolean {
  if (a === b) return true;
  if (a.publicKey !== b.publicKey) return false;
  if (sameText(a, b)) return true;
  return sameForm(peerForm(a), peerForm(b));
}

/**
 * Whether the live peer already is what the desired spec asks for, as far as `wg show dump` can tell:
 * allowed IPs (as a set) and keepalive. The preshared key is not in LivePeer, so a changed preshared
 * key is never detected here: it is applied by the desired-state diff (diffPeers) that carries it.
 * The endpoint only counts when the spec has one and the live peer has none: WireGuard updates a live
 * endpoint whenever the peer roams, and a spec's DNS name never equals the address it resolved to.
 */
export function livePeerMatches(desired: PeerSpec, live: LivePeer): boolean {
  if (desired.publicKey !== live.publicKey) return false;
  if (keepaliveSeconds(desired.persistentKeepalive) !== keepaliveSeconds(live.persistentKeepalive))
    return false;
  if (desired.endpoint !== undefined && live.endpoint === null) return false;
  return sameRoutes(desired.allowedIps, liveAllowedIps(live));
}

/** `wg show dump` prints "(none)" for a peer without allowed IPs; a parser may pass it through. */
function liveAllowedIps(live: LivePeer): string[] {
  return live.allowedIps.filter((text) => text !== "(none)" && text !== "");
}

function sameRoutes(a: readonly string[], b: readonly string[]): boolean {
  if (sameList(a, b)) return true;
  return sameList(canonicalSet(a, canonicalAllowedIp), canonicalSet(b, canonicalAllowedIp));
}

function sameText(a: PeerSpec, b: PeerSpec): boolean {
  return (
    a.presharedKey === b.presharedKey &&
    keepaliveSeconds(a.persistentKeepalive) === keepaliveSeconds(b.persistentKeepalive) &&
    a.endpoint === b.endpoint &&
    sameList(a.allowedIps, b.allowedIps)
  );
}

function sameForm(a: PeerForm, b: PeerForm): boolean {
  return (
    a.presharedKey === b.presharedKey &&
    a.persistentKeepalive === b.persistentKeepalive &&
    a.endpoint === b.endpoint &&
    sameList(a.allowedIps, b.allowedIps)
  );
}
