// Agents that dial out (issue 17): a node's `connection` says how the dashboard reaches its agent —
// `direct` (the dashboard calls its agent URL) or `dial-out` (the agent keeps a WebSocket to the
// dashboard); for the latter, which replica holds the socket now and since when (both null while the
// agent is not connected).
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const dialOutMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const text = dialectOf(db) === "postgres" ? sql`text collate "C"` : sql`text`;
    await db.schema
      .alterTable("nodes")
      .addColumn("connection", text, (col) => col.notNull().defaultTo("direct"))
      .execute();
    await db.schema.alterTable("nodes").addColumn("dial_out_replica", text).execute();
    await db.schema.alterTable("nodes").addColumn("dial_out_connected_at", text).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("nodes").dropColumn("dial_out_connected_at").execute();
    await db.schema.alterTable("nodes").dropColumn("dial_out_replica").execute();
    await db.schema.alterTable("nodes").dropColumn("connection").execute();
  },
};
