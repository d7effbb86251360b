// What one stats round adds to each peer's own history: the bytes it moved in the current minute
// bucket (only peers that moved any — the table stays sparse) and its latest-handshake time when that
// changed. Computed from the same totals-that-survive-resets the interface buckets come from, so a
// peer's minutes add up to its interface's. Pure; no I/O.
import type { StoredCounters } from "./counters.js";

export interface PeerReading {
  peerId: string;
  counters: StoredCounters;
  previous: StoredCounters | undefined;
}

export interface PeerSample {
  peerId: string;
  /** The bucket's start, ISO text. */
  at: string;
  rxBytes: number;
  txBytes: number;
}

export interface PeerHandshake {
  peerId: string;
  at: string;
}

export interface PeerHistory {
  samples: PeerSample[];
  handshakes: PeerHandshake[];
}

export const NO_PEER_HISTORY: PeerHistory = { samples: [], handshakes: [] };

/** The minute samples and new handshake times of the peers read in one round, for bucket `at`. */
export function peerHistory(readings: readonly PeerReading[], at: string): PeerHistory {
  const history: PeerHistory = { samples: [], handshakes: [] };
  for (const { peerId, counters, previous } of readings) {
    // Totals only grow; a reset is already folded in by advanceCounters.
    const rxBytes = Math.max(0, counters.rxBytes - (previous?.rxBytes ?? 0));
    const txBytes = Math.max(0, counters.txBytes - (previous?.txBytes ?? 0));
    if (rxBytes + txBytes > 0) history.samples.push({ peerId, at, rxBytes, txBytes });
    const handshake = counters.latestHandshakeAt;
    if (handshake !== null && handshake !== previous?.latestHandshakeAt)
      history.handshakes.push({ peerId, at: handshake });
  }
  return history;
}
