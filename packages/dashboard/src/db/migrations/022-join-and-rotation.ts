// Join tokens and secret rotation (issue 15). `node_secret_rotations` records a node's secret rotation
// in flight — the new secret (encrypted like nodes.secret_enc) and how far it got — so a dashboard that
// restarts half way finishes it instead of losing track of which secret the agent holds. `join_tokens`
// are one-time enrollment tokens: only a hash is kept; `used_at`/`node_id` once a node joined with one.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const joinAndRotationMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    const text = postgres ? sql`text collate "C"` : sql`text`;
    await db.schema
      .createTable("node_secret_rotations")
      .addColumn("node_id", text, (col) => col.primaryKey().references("nodes.id").onDelete("cascade"))
      .addColumn("new_key_id", text, (col) => col.notNull())
      .addColumn("new_secret_enc", text, (col) => col.notNull())
      .addColumn("old_key_id", text, (col) => col.notNull())
      // "handing": the agent is being given the new secret; "switched": the dashboard signs with it.
      .addColumn("state", text, (col) => col.notNull())
      .addColumn("created_at", text, (col) => col.notNull())
      .addColumn("updated_at", text, (col) => col.notNull())
      .execute();
    await db.schema
      .createTable("join_tokens")
      .addColumn("id", text, (col) => col.primaryKey())
      .addColumn("name", text)
      .addColumn("token_hash", text, (col) => col.notNull().unique())
      .addColumn("created_by", text, (col) => col.notNull())
      .addColumn("created_at", text, (col) => col.notNull())
      .addColumn("expires_at", text, (col) => col.notNull())
      .addColumn("used_at", text)
      .addColumn("node_id", text, (col) => col.references("nodes.id").onDelete("set null"))
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("join_tokens").execute();
    await db.schema.dropTable("node_secret_rotations").execute();
  },
};
