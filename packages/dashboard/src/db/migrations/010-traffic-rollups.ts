// Traffic history beyond the interface minute buckets of 002: per-peer minute buckets (sparse: a row
// only where the peer moved bytes), hourly and daily rollups at peer and interface level, the distinct
// latest-handshake times seen per peer, and where the rollup job got to. Rows name their peer,
// interface, node and configuration as plain text (no foreign keys, no joins needed to read them):
// traffic of deleted things stays counted until the retention prune removes it. The interface minute
// buckets gain their configuration so a configuration's latest minutes need no join either.
// Same types as 001 on both engines; every key ends in `at` so a range read is one index scan.
import { type CreateTableBuilder, type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

const PEER_TABLES = ["traffic_peer_minutes", "traffic_peer_hours", "traffic_peer_days"] as const;
const INTERFACE_TABLES = ["traffic_interface_hours", "traffic_interface_days"] as const;

export const trafficRollupsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    const text = postgres ? sql`text collate "C"` : sql`text`;
    const bigint = postgres ? sql`bigint` : sql`integer`;
    const strict = <TB extends string, C extends string>(table: CreateTableBuilder<TB, C>) =>
      postgres ? table : table.modifyEnd(sql`strict`);

    for (const name of PEER_TABLES) {
      await strict(
        db.schema
          .createTable(name)
          .addColumn("peer_id", text, (col) => col.notNull())
          .addColumn("at", text, (col) => col.notNull())
          .addColumn("rx_bytes", bigint, (col) => col.notNull())
          .addColumn("tx_bytes", bigint, (col) => col.notNull())
          .addPrimaryKeyConstraint(`${name}_pkey`, ["peer_id", "at"]),
      ).execute();
      // The rollup and the prune read by time alone.
      await db.schema.createIndex(`${name}_at_idx`).on(name).column("at").execute();
    }

    for (const name of INTERFACE_TABLES) {
      await strict(
        db.schema
          .createTable(name)
          .addColumn("interface_id", text, (col) => col.notNull())
          .addColumn("node_id", text, (col) => col.notNull())
          .addColumn("configuration_id", text)
          .addColumn("at", text, (col) => col.notNull())
          .addColumn("rx_bytes", bigint, (col) => col.notNull())
          .addColumn("tx_bytes", bigint, (col) => col.notNull())
          .addPrimaryKeyConstraint(`${name}_pkey`, ["interface_id", "at"]),
      ).execute();
      await db.schema.createIndex(`${name}_at_idx`).on(name).column("at").execute();
      await db.schema.createIndex(`${name}_node_at_idx`).on(name).columns(["node_id", "at"]).execute();
      await db.schema
        .createIndex(`${name}_configuration_at_idx`)
        .on(name)
        .columns(["configuration_id", "at"])
        .execute();
    }

    await strict(
      db.schema
        .createTable("traffic_peer_handshakes")
        .addColumn("peer_id", text, (col) => col.notNull())
        .addColumn("at", text, (col) => col.notNull())
        .addPrimaryKeyConstraint("traffic_peer_handshakes_pkey", ["peer_id", "at"]),
    ).execute();
    await db.schema
      .createIndex("traffic_peer_handshakes_at_idx")
      .on("traffic_peer_handshakes")
      .column("at")
      .execute();

    // "hours" / "days": everything before `until` is rolled up into that table.
    await strict(
      db.schema
        .createTable("traffic_rollup_marks")
        .addColumn("name", text, (col) => col.primaryKey())
        .addColumn("until", text, (col) => col.notNull()),
    ).execute();

    await db.schema.alterTable("traffic_samples").addColumn("configuration_id", text).execute();
    await sql`update traffic_samples set configuration_id =
      (select i.configuration_id from interfaces i where i.id = traffic_samples.interface_id)`.execute(db);
    await db.schema
      .createIndex("traffic_samples_configuration_at_idx")
      .on("traffic_samples")
      .columns(["configuration_id", "at"])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex("traffic_samples_configuration_at_idx").execute();
    await db.schema.alterTable("traffic_samples").dropColumn("configuration_id").execute();
    for (const name of [...PEER_TABLES, ...INTERFACE_TABLES]) await db.schema.dropTable(name).execute();
    await db.schema.dropTable("traffic_peer_handshakes").execute();
    await db.schema.dropTable("traffic_rollup_marks").execute();
  },
};
