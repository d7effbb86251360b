// The audit trail (issue 14): each entry also says which kind of thing it is about (`entity`: "peer",
// "node", …; `target` stays its id or name), the address the request came from, the API key it was
// made with (by name; `actor` stays the key's user), and the fields that changed (`changes`, JSON:
// field → {before, after}, or {changed: true} for a secret). Indexes for the page's filters and for the
// retention prune, which deletes by time.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

const COLUMNS = ["entity", "address", "api_key", "changes"] as const;

export const auditTrailMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const text = dialectOf(db) === "postgres" ? sql`text collate "C"` : sql`text`;
    for (const column of COLUMNS) {
      await db.schema.alterTable("audit_log").addColumn(column, text).execute();
    }
    await db.schema.createIndex("audit_log_at_idx").on("audit_log").column("at").execute();
    await db.schema.createIndex("audit_log_actor_idx").on("audit_log").columns(["actor", "id"]).execute();
    await db.schema
      .createIndex("audit_log_entity_idx")
      .on("audit_log")
      .columns(["entity", "target", "id"])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    for (const index of ["audit_log_entity_idx", "audit_log_actor_idx", "audit_log_at_idx"]) {
      await db.schema.dropIndex(index).execute();
    }
    for (const column of [...COLUMNS].reverse()) {
      await db.schema.alterTable("audit_log").dropColumn(column).execute();
    }
  },
};
