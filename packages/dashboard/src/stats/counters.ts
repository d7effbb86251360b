// Traffic totals that survive an interface restart. WireGuard's counters start again at zero when the
// interface (or wireguard-go) restarts; a reading smaller than the last one means exactly that, and
// the new raw value is all that was transferred since. Pure; no I/O.
import type { LivePeer } from "@wgfleet/core";

export interface StoredCounters {
  rxBytes: number;
  txBytes: number;
  rawRx: number;
  rawTx: number;
  latestHandshakeAt: string | null;
  endpoint: string | null;
}

/** Bytes transferred since the previous raw reading. */
export function counterDelta(previousRaw: number, raw: number): number {
  return raw >= previousRaw ? raw - previousRaw : raw;
}

/** The stored totals after one more reading of the live peer. */
export function advanceCounters(previous: StoredCounters | undefined, live: LivePeer): StoredCounters {
  const handshake = live.latestHandshake > 0 ? new Date(live.latestHandshake * 1000).toISOString() : null;
  if (!previous) {
    return {
      rxBytes: live.rxBytes,
      txBytes: live.txBytes,
      rawRx: live.rxBytes,
      rawTx: live.txBytes,
      latestHandshakeAt: handshake,
      endpoint: live.endpoint,
    };
  }
  return {
    rxBytes: previous.rxBytes + counterDelta(previous.rawRx, live.rxBytes),
    txBytes: previous.txBytes + counterDelta(previous.rawTx, live.txBytes),
    rawRx: live.rxBytes,
    rawTx: live.txBytes,
    // A restarted interface forgets handshakes; the last one seen stays the latest known.
    latestHandshakeAt: handshake ?? previous.latestHandshakeAt,
    endpoint: live.endpoint ?? previous.endpoint,
  };
}

export function sameCounters(a: StoredCounters, b: StoredCounters): boolean {
  return (
    a.rxBytes === b.rxBytes &&
    a.txBytes === b.txBytes &&
    a.rawRx === b.rawRx &&
    a.rawTx === b.rawTx &&
    a.latestHandshakeAt === b.latestHandshakeAt &&
    a.endpoint === b.endpoint
  );
}
