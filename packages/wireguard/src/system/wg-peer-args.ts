// Turns peer specs into what `wg` takes: `wg set` argument lists for small changes, a setconf-style
// file for `wg addconf` for big batches (argv has a size limit). Preshared keys never enter argv:
// `wg set` gets a 0600 file path, the addconf file itself is written 0600 by the caller.
import { type PeerSpec, renderWgSetconf, type WgQuickInterface } from "@wgfleet/core";

/** All-zero preshared key: what "no preshared key" is to WireGuard. */
export const ZERO_KEY_BASE64 = `${"A".repeat(43)}=`;

/** Above this many peers per call the driver writes an addconf file instead of `wg set` arguments. */
export const WG_SET_MAX_PEERS = 32;
/** `wg set NAME peer K remove ...`: keys per call. */
export const WG_REMOVE_CHUNK = 200;

/**
 * `peer K allowed-ips A,B preshared-key FILE persistent-keepalive N [endpoint E]` for each peer. A
 * missing preshared key or keepalive clears it, so the peer ends up exactly as specified.
 * `pskFile` returns the path of a 0600 file holding the key (or /dev/null for none).
 */
export function wgSetPeerArgs(peers: readonly PeerSpec[], pskFile: (peer: PeerSpec) => string): string[] {
  const args: string[] = [];
  for (const peer of peers) {
    args.push("peer", peer.publicKey, "allowed-ips", peer.allowedIps.join(","));
    args.push("preshared-key", pskFile(peer));
    args.push("persistent-keepalive", String(peer.persistentKeepalive ?? 0));
    if (peer.endpoint) args.push("endpoint", peer.endpoint);
  }
  return args;
}

export function wgRemovePeerArgs(publicKeys: readonly string[]): string[] {
  return publicKeys.flatMap((key) => ["peer", key, "remove"]);
}

const NO_INTERFACE_CHANGES: WgQuickInterface = {
  addresses: [],
  dns: [],
  preUp: [],
  postUp: [],
  preDown: [],
  postDown: [],
  extra: [],
};

/**
 * `wg addconf` input (core's setconf renderer): an empty [Interface] and one [Peer] each, which
 * `wg addconf` adds or updates (allowed IPs replaced) without touching other peers or the interface.
 * Holds preshared keys: the caller writes it 0600.
 */
export function renderPeersConf(peers: readonly PeerSpec[]): string {
  return renderWgSetconf({
    interface: NO_INTERFACE_CHANGES,
    peers: peers.map((peer) => ({
      publicKey: peer.publicKey,
      presharedKey: peer.presharedKey ?? ZERO_KEY_BASE64,
      persistentKeepalive: peer.persistentKeepalive ?? 0,
      allowedIps: peer.allowedIps,
      ...(peer.endpoint ? { endpoint: peer.endpoint } : {}),
      extra: [],
    })),
  });
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
