// SQL that writes a stats round's per-peer history (tables `traffic_peer_minutes` and
// `traffic_peer_handshakes`, migration 010), inside the round's transaction. Same statements on
// SQLite and PostgreSQL.
import type { Transaction } from "kysely";
import { type Db, PreparedQuery } from "../db/index.js";
import type { Database } from "../db/schema.js";
import type { PeerHistory } from "./peer-history.js";

/** Rows per INSERT: far below SQLite's bound-parameter limit (4 columns each). */
const BATCH = 500;
/**
 * Multi-row inserts are compiled once per row count; a round's rows go in chunks of these sizes only
 * (largest first), so at most five statements are ever compiled, not one per remainder.
 */
const CHUNKS = [BATCH, 100, 20, 5, 1] as const;

interface PeerMinuteRow {
  peer_id: string;
  at: string;
  rx_bytes: number;
  tx_bytes: number;
}

// Every round writes up to one row per peer: building and compiling the statement each time would
// cost more than running it. Not named on PostgreSQL: the row count changes from round to round.
const addPeerMinutes = new PreparedQuery(
  (db: Db, rows: readonly PeerMinuteRow[]) =>
    db
      .insertInto("traffic_peer_minutes")
      .values(rows as PeerMinuteRow[])
      .onConflict((oc) =>
        oc.columns(["peer_id", "at"]).doUpdateSet((eb) => ({
          rx_bytes: eb("traffic_peer_minutes.rx_bytes", "+", eb.ref("excluded.rx_bytes")),
          tx_bytes: eb("traffic_peer_minutes.tx_bytes", "+", eb.ref("excluded.tx_bytes")),
        })),
      ),
  { named: false },
);

/** Adds the bytes to each peer's minute bucket (creating it) and records new handshake times. */
export async function addPeerHistory(db: Db | Transaction<Database>, history: PeerHistory): Promise<void> {
  const rows = history.samples.map((s) => ({
    peer_id: s.peerId,
    at: s.at,
    rx_bytes: s.rxBytes,
    tx_bytes: s.txBytes,
  }));
  for (let i = 0; i < rows.length; ) {
    const size = CHUNKS.find((n) => n <= rows.length - i) as number;
    await addPeerMinutes.execute(db, rows.slice(i, i + size));
    i += size;
  }
  for (let i = 0; i < history.handshakes.length; i += BATCH) {
    const values = history.handshakes.slice(i, i + BATCH).map((h) => ({ peer_id: h.peerId, at: h.at }));
    await db
      .insertInto("traffic_peer_handshakes")
      .values(values)
      .onConflict((oc) => oc.columns(["peer_id", "at"]).doNothing())
      .execute();
  }
}
