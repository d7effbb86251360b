// Dashboard replicas (issue 17). `replicas`: every `wgfleet serve` process registers an id and
// heartbeats, so settlement can tell a live replica's in-flight creation from a crashed one's;
// `peers.owner_replica` names the replica whose creation a `pending` peer belongs to (null for rows
// from before this migration). `rate_limit_counters`: login throttling and the public rate limits
// counted per key and fixed window in the database, so every replica sees the same counts.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const replicasMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    const text = postgres ? sql`text collate "C"` : sql`text`;
    await db.schema
      .createTable("replicas")
      .addColumn("id", text, (col) => col.primaryKey())
      .addColumn("hostname", text, (col) => col.notNull())
      .addColumn("pid", "integer", (col) => col.notNull())
      .addColumn("started_at", text, (col) => col.notNull())
      .addColumn("heartbeat_at", text, (col) => col.notNull())
      .execute();
    await db.schema.alterTable("peers").addColumn("owner_replica", text).execute();
    await db.schema
      .createTable("rate_limit_counters")
      .addColumn("key", text, (col) => col.notNull())
      .addColumn("window_start", "bigint", (col) => col.notNull())
      .addColumn("count", "integer", (col) => col.notNull())
      .addPrimaryKeyConstraint("rate_limit_counters_pk", ["key", "window_start"])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("rate_limit_counters").execute();
    await db.schema.alterTable("peers").dropColumn("owner_replica").execute();
    await db.schema.dropTable("replicas").execute();
  },
};
