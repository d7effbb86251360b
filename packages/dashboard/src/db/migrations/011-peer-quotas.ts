// Traffic quotas (issue 13): one row per peer with a quota, holding the quota (budget, period, which
// direction counts, action, warning share) and what its current period has used. The stats round adds
// to `used_rx`/`used_tx` in the same transaction that stores the counters (a restart neither loses nor
// double-counts bytes), and only these rows are written. The peer itself gains the traffic budget its
// node was last told (`quota_budget`, JSON: id, bytes left, counting), because the node's access is
// built from the peer's own columns. Drops `peers.quota_bytes`, which 001 made and nothing ever filled.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const peerQuotasMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    const text = postgres ? sql`text collate "C"` : sql`text`;
    const bigint = postgres ? sql`bigint` : sql`integer`;

    await db.schema.alterTable("peers").addColumn("quota_budget", text).execute();
    await db.schema.alterTable("peers").dropColumn("quota_bytes").execute();

    const table = db.schema
      .createTable("peer_quotas")
      .addColumn("peer_id", text, (col) => col.primaryKey().references("peers.id").onDelete("cascade"))
      .addColumn("bytes", bigint, (col) => col.notNull())
      .addColumn("period", text, (col) => col.notNull())
      .addColumn("reset_day", "integer", (col) => col.notNull())
      .addColumn("counting", text, (col) => col.notNull())
      .addColumn("action", text, (col) => col.notNull())
      .addColumn("warn_at_percent", "integer")
      .addColumn("period_start", text, (col) => col.notNull())
      .addColumn("period_end", text)
      .addColumn("used_rx", bigint, (col) => col.notNull().defaultTo(0))
      .addColumn("used_tx", bigint, (col) => col.notNull().defaultTo(0))
      // Once per period each: the warning event, and the quota's action.
      .addColumn("warned", "integer", (col) => col.notNull().defaultTo(0))
      .addColumn("exhausted", "integer", (col) => col.notNull().defaultTo(0));
    await (postgres ? table : table.modifyEnd(sql`strict`)).execute();
    // The quota job looks for periods that ended.
    await db.schema
      .createIndex("peer_quotas_period_end_idx")
      .on("peer_quotas")
      .column("period_end")
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    await db.schema.dropTable("peer_quotas").execute();
    await db.schema
      .alterTable("peers")
      .addColumn("quota_bytes", postgres ? sql`bigint` : sql`integer`)
      .execute();
    await db.schema.alterTable("peers").dropColumn("quota_budget").execute();
  },
};
