// SQL that writes a stats round's per-peer history (tables `traffic_peer_minutes` and
// `traffic_peer_handshakes`, migration 010), inside the round's transaction. Same statements on
// SQLite and PostgreSQL.
import type { Transaction } from "kysely";
import type { Db } from "../db/index.js";
import type { Database } from "../db/schema.js";
import type { PeerHistory } from "./peer-history.js";

/** Rows per INSERT: far below SQLite's bound-parameter limit (4 columns each). */
const BATCH = 500;

/** Adds the bytes to each peer's minute bucket (creating it) and records new handshake times. */
export async function addPeerHistory(db: Db | Transaction<Database>, history: PeerHistory): Promise<void> {
  for (let i = 0; i < history.samples.length; i += BATCH) {
    const values = history.samples.slice(i, i + BATCH).map((s) => ({
      peer_id: s.peerId,
      at: s.at,
      rx_bytes: s.rxBytes,
      tx_bytes: s.txBytes,
    }));
    await db
      .insertInto("traffic_peer_minutes")
      .values(values)
      .onConflict((oc) =>
        oc.columns(["peer_id", "at"]).doUpdateSet((eb) => ({
          rx_bytes: eb("traffic_peer_minutes.rx_bytes", "+", eb.ref("excluded.rx_bytes")),
          tx_bytes: eb("traffic_peer_minutes.tx_bytes", "+", eb.ref("excluded.tx_bytes")),
        })),
      )
      .execute();
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
