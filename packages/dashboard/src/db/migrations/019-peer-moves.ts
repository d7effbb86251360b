// Moving peers between nodes and draining a node (issue 15): `peer_moves` holds a move in flight
// (`pending`: the new address taken on the target, the peer not switched yet) and, once switched, the
// old copy the source node keeps for the grace period (`grace`), so that the source interface's desired
// state still carries it and a restart or a drift repair never drops it early. `jobs` and `job_items`
// are resumable background work with per-item state (a drain is one); `nodes.draining` keeps a node
// out of placement.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const peerMovesMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    const text = postgres ? sql`text collate "C"` : sql`text`;
    const strict = <T extends { modifyEnd(s: ReturnType<typeof sql>): T }>(t: T) =>
      postgres ? t : t.modifyEnd(sql`strict`);

    await db.schema
      .alterTable("nodes")
      .addColumn("draining", "integer", (col) => col.notNull().defaultTo(0))
      .execute();

    await strict(
      db.schema
        .createTable("peer_moves")
        .addColumn("id", text, (col) => col.primaryKey())
        .addColumn("peer_id", text, (col) => col.notNull().references("peers.id").onDelete("cascade"))
        .addColumn("from_interface_id", text, (col) =>
          col.notNull().references("interfaces.id").onDelete("cascade"),
        )
        .addColumn("to_interface_id", text, (col) =>
          col.notNull().references("interfaces.id").onDelete("cascade"),
        )
        .addColumn("old_addresses", text, (col) => col.notNull())
        .addColumn("new_addresses", text, (col) => col.notNull())
        .addColumn("state", text, (col) => col.notNull())
        .addColumn("grace_until", text)
        .addColumn("created_at", text, (col) => col.notNull()),
    ).execute();
    // The expiry loop's question, and each interface's desired state.
    await db.schema
      .createIndex("peer_moves_state_idx")
      .on("peer_moves")
      .columns(["state", "grace_until"])
      .execute();
    await db.schema
      .createIndex("peer_moves_from_idx")
      .on("peer_moves")
      .columns(["from_interface_id"])
      .execute();
    await db.schema.createIndex("peer_moves_to_idx").on("peer_moves").columns(["to_interface_id"]).execute();
    await db.schema.createIndex("peer_moves_peer_idx").on("peer_moves").columns(["peer_id"]).execute();

    await strict(
      db.schema
        .createTable("jobs")
        .addColumn("id", text, (col) => col.primaryKey())
        .addColumn("kind", text, (col) => col.notNull())
        .addColumn("subject", text, (col) => col.notNull())
        .addColumn("params", text, (col) => col.notNull())
        .addColumn("status", text, (col) => col.notNull())
        .addColumn("total", "integer", (col) => col.notNull())
        .addColumn("created_by", text, (col) => col.notNull())
        .addColumn("created_at", text, (col) => col.notNull())
        .addColumn("updated_at", text, (col) => col.notNull())
        .addColumn("finished_at", text),
    ).execute();
    await db.schema.createIndex("jobs_status_idx").on("jobs").columns(["status"]).execute();

    await strict(
      db.schema
        .createTable("job_items")
        .addColumn("job_id", text, (col) => col.notNull().references("jobs.id").onDelete("cascade"))
        .addColumn("position", "integer", (col) => col.notNull())
        .addColumn("item_id", text, (col) => col.notNull())
        .addColumn("label", text, (col) => col.notNull())
        .addColumn("target", text)
        .addColumn("state", text, (col) => col.notNull())
        .addColumn("error", text)
        .addColumn("updated_at", text, (col) => col.notNull())
        .addPrimaryKeyConstraint("job_items_pk", ["job_id", "position"]),
    ).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("job_items").execute();
    await db.schema.dropTable("jobs").execute();
    await db.schema.dropTable("peer_moves").execute();
    await db.schema.alterTable("nodes").dropColumn("draining").execute();
  },
};
