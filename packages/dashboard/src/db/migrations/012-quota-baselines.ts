// Traffic quotas count from the peer's stored totals instead of a running sum: `start_rx`/`start_tx`
// hold the peer's totals (peer_stats) when the quota's period began, and what the period used is the
// totals now minus them. The stats round then writes nothing for quotas (it used to update every
// quota row each round), and usage can never drift from the totals it is made of. The totals already
// survive counter resets, restarts and moves, so the usage does too. Existing rows keep their usage:
// their start is the totals now minus what they had counted.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const quotaBaselinesMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const bigint = dialectOf(db) === "postgres" ? sql`bigint` : sql`integer`;
    for (const column of ["start_rx", "start_tx"])
      await db.schema
        .alterTable("peer_quotas")
        .addColumn(column, bigint, (col) => col.notNull().defaultTo(0))
        .execute();
    await sql`update peer_quotas set
      start_rx = coalesce((select s.rx_bytes from peer_stats s where s.peer_id = peer_quotas.peer_id), 0) - used_rx,
      start_tx = coalesce((select s.tx_bytes from peer_stats s where s.peer_id = peer_quotas.peer_id), 0) - used_tx`.execute(
      db,
    );
    for (const column of ["used_rx", "used_tx"])
      await db.schema.alterTable("peer_quotas").dropColumn(column).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    const bigint = dialectOf(db) === "postgres" ? sql`bigint` : sql`integer`;
    for (const column of ["used_rx", "used_tx"])
      await db.schema
        .alterTable("peer_quotas")
        .addColumn(column, bigint, (col) => col.notNull().defaultTo(0))
        .execute();
    await sql`update peer_quotas set
      used_rx = coalesce((select s.rx_bytes from peer_stats s where s.peer_id = peer_quotas.peer_id), 0) - start_rx,
      used_tx = coalesce((select s.tx_bytes from peer_stats s where s.peer_id = peer_quotas.peer_id), 0) - start_tx`.execute(
      db,
    );
    for (const column of ["start_rx", "start_tx"])
      await db.schema.alterTable("peer_quotas").dropColumn(column).execute();
  },
};
