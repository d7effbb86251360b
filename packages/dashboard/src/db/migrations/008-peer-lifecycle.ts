// Expiry and access schedules (issue 13): a peer's own weekly schedule and what its node last reported
// it suspended (reason and since), a configuration's time zone and default schedule, and the history of
// what the rules did to each peer. The history names its peer and configuration as plain text with no
// foreign key: a "deleted" event must outlive the peer it tells of, until the retention prune removes
// it. JSON as text and ISO text timestamps, same types on both engines.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const peerLifecycleMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    const text = postgres ? sql`text collate "C"` : sql`text`;

    await db.schema.alterTable("peers").addColumn("schedule", text).execute();
    await db.schema.alterTable("peers").addColumn("suspension_reason", text).execute();
    await db.schema.alterTable("peers").addColumn("suspended_since", text).execute();
    await db.schema
      .alterTable("configurations")
      .addColumn("time_zone", text, (col) => col.notNull().defaultTo("UTC"))
      .execute();
    await db.schema.alterTable("configurations").addColumn("default_schedule", text).execute();

    let table = postgres
      ? db.schema
          .createTable("peer_lifecycle_events")
          .addColumn("id", "bigint", (col) => col.primaryKey().generatedByDefaultAsIdentity())
      : db.schema
          .createTable("peer_lifecycle_events")
          .addColumn("id", "integer", (col) => col.primaryKey().autoIncrement());
    table = table
      .addColumn("peer_id", text, (col) => col.notNull())
      .addColumn("peer_name", text, (col) => col.notNull())
      .addColumn("configuration_name", text, (col) => col.notNull())
      .addColumn("at", text, (col) => col.notNull())
      .addColumn("kind", text, (col) => col.notNull())
      .addColumn("rule", text, (col) => col.notNull())
      .addColumn("detail", text, (col) => col.notNull());
    await (postgres ? table : table.modifyEnd(sql`strict`)).execute();
    await db.schema
      .createIndex("peer_lifecycle_events_peer_at_idx")
      .on("peer_lifecycle_events")
      .columns(["peer_id", "at"])
      .execute();
    await db.schema
      .createIndex("peer_lifecycle_events_at_idx")
      .on("peer_lifecycle_events")
      .column("at")
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("peer_lifecycle_events").execute();
    await db.schema.alterTable("configurations").dropColumn("default_schedule").execute();
    await db.schema.alterTable("configurations").dropColumn("time_zone").execute();
    await db.schema.alterTable("peers").dropColumn("suspended_since").execute();
    await db.schema.alterTable("peers").dropColumn("suspension_reason").execute();
    await db.schema.alterTable("peers").dropColumn("schedule").execute();
  },
};
