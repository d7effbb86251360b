// Drift you can see (issue 15): each node's drift policy (`repair`, the default, or `report`), and when
// each piece of drift (a stray peer, a stray interface, a missing peer) was first seen, so the drift
// page can say "since when". A sighting row lives while the drift does; it is deleted once gone.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const driftMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const text = dialectOf(db) === "postgres" ? sql`text collate "C"` : sql`text`;
    await db.schema
      .alterTable("nodes")
      .addColumn("drift_policy", text, (col) => col.notNull().defaultTo("repair"))
      .execute();
    await db.schema
      .createTable("drift_sightings")
      .addColumn("node_id", text, (col) => col.notNull().references("nodes.id").onDelete("cascade"))
      // "stray-peer" | "stray-interface" | "missing-peer"
      .addColumn("kind", text, (col) => col.notNull())
      .addColumn("interface_name", text, (col) => col.notNull())
      // The peer's public key; "" for a stray interface.
      .addColumn("subject", text, (col) => col.notNull())
      .addColumn("first_seen_at", text, (col) => col.notNull())
      .addPrimaryKeyConstraint("drift_sightings_pk", ["node_id", "kind", "interface_name", "subject"])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("drift_sightings").execute();
    await db.schema.alterTable("nodes").dropColumn("drift_policy").execute();
  },
};
