// Alerts (issue 15): `alerts` holds each alert that fired, one row per firing (a row stays `firing`
// while its condition holds and becomes `resolved` once; a partial unique index keeps a second firing
// row of the same kind and subject out, also across dashboard replicas). `alert_drift_repairs` is one
// row per drift repair a node reported, so repairs per hour can be counted; `pool_usage_hours` is how
// full each pool was each hour, for the "full in ~N days" forecast. Old rows are pruned by the engine.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const alertsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    const text = postgres ? sql`text collate "C"` : sql`text`;
    const strict = <T extends { modifyEnd(s: ReturnType<typeof sql>): T }>(t: T) =>
      postgres ? t : t.modifyEnd(sql`strict`);

    await strict(
      db.schema
        .createTable("alerts")
        .addColumn("id", text, (col) => col.primaryKey())
        // "node.offline" | "node.degraded" | "pool.full" | "drift.repairs" | "handshakes.stale"
        .addColumn("kind", text, (col) => col.notNull())
        // What it is about: a node id, "<interface id>/<pool>", or "fleet".
        .addColumn("subject", text, (col) => col.notNull())
        .addColumn("state", text, (col) => col.notNull())
        .addColumn("fired_at", text, (col) => col.notNull())
        .addColumn("resolved_at", text)
        // JSON: the facts when it fired (names, numbers, the threshold).
        .addColumn("details", text, (col) => col.notNull()),
    ).execute();
    // At most one firing alert per kind and subject: the last guard against a duplicate.
    await sql`create unique index alerts_firing_uq on alerts (kind, subject) where state = 'firing'`.execute(
      db,
    );
    await db.schema.createIndex("alerts_recent_idx").on("alerts").columns(["state", "fired_at"]).execute();

    await strict(
      db.schema
        .createTable("alert_drift_repairs")
        .addColumn("node_id", text, (col) => col.notNull().references("nodes.id").onDelete("cascade"))
        .addColumn("at", text, (col) => col.notNull())
        .addColumn("repairs", "integer", (col) => col.notNull()),
    ).execute();
    await db.schema
      .createIndex("alert_drift_repairs_node_idx")
      .on("alert_drift_repairs")
      .columns(["node_id", "at"])
      .execute();

    await strict(
      db.schema
        .createTable("pool_usage_hours")
        .addColumn("interface_id", text, (col) =>
          col.notNull().references("interfaces.id").onDelete("cascade"),
        )
        .addColumn("pool", text, (col) => col.notNull())
        // The hour's start, ISO-8601 UTC.
        .addColumn("hour", text, (col) => col.notNull())
        .addColumn("used", "integer", (col) => col.notNull())
        .addPrimaryKeyConstraint("pool_usage_hours_pk", ["interface_id", "pool", "hour"]),
    ).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("pool_usage_hours").execute();
    await db.schema.dropTable("alert_drift_repairs").execute();
    await db.schema.dropTable("alerts").execute();
  },
};
