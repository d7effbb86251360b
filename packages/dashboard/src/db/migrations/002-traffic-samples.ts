// Traffic history, bounded: one row per interface per sample bucket (a minute), holding the bytes its
// peers moved in that bucket — never a row per peer per poll. Rows name their node and interface as
// plain text (no foreign keys): traffic that flowed stays counted after an interface or node is
// deleted, until the retention prune removes it. Same types as 001 on both engines.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const trafficSamplesMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    const text = postgres ? sql`text collate "C"` : sql`text`;
    const bigint = postgres ? sql`bigint` : sql`integer`;
    const table = db.schema
      .createTable("traffic_samples")
      .addColumn("interface_id", text, (col) => col.notNull())
      .addColumn("node_id", text, (col) => col.notNull())
      .addColumn("at", text, (col) => col.notNull())
      .addColumn("rx_bytes", bigint, (col) => col.notNull())
      .addColumn("tx_bytes", bigint, (col) => col.notNull())
      .addPrimaryKeyConstraint("traffic_samples_pkey", ["interface_id", "at"]);
    await (postgres ? table : table.modifyEnd(sql`strict`)).execute();
    await db.schema.createIndex("traffic_samples_at_idx").on("traffic_samples").column("at").execute();
    await db.schema
      .createIndex("traffic_samples_node_at_idx")
      .on("traffic_samples")
      .columns(["node_id", "at"])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("traffic_samples").execute();
  },
};
