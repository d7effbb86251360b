// Requests relayed between replicas for agents that dial out (issue 17): a replica that must call a
// node whose socket another replica holds writes the signed request frame here and notifies the
// holder; the holder takes it, sends it over its socket and writes the answer back. A row lives for
// one request only: the requester deletes it when it reads the answer or gives up, and the leader
// removes stragglers of crashed replicas. Used on PostgreSQL only (SQLite has one process), made on
// both so the schema is the same.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const agentRelayMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const text = dialectOf(db) === "postgres" ? sql`text collate "C"` : sql`text`;
    await db.schema
      .createTable("agent_relay_requests")
      .addColumn("id", text, (col) => col.primaryKey())
      .addColumn("node_id", text, (col) => col.notNull().references("nodes.id").onDelete("cascade"))
      .addColumn("requester_replica", text, (col) => col.notNull())
      .addColumn("target_replica", text, (col) => col.notNull())
      .addColumn("frame", "text", (col) => col.notNull())
      .addColumn("created_at", text, (col) => col.notNull())
      .addColumn("taken_at", text)
      .addColumn("answer", "text")
      .addColumn("answered_at", text)
      .execute();
    await db.schema
      .createIndex("agent_relay_requests_target_idx")
      .on("agent_relay_requests")
      .columns(["target_replica", "taken_at"])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("agent_relay_requests").execute();
  },
};
