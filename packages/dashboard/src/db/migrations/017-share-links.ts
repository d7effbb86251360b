// Share links (issue 14): the `share_links` table 001 made (and nothing used) gains what a link needs
// beyond its hashed token and expiry: whether the first download spends it, when that happened, when an
// admin revoked it, and who made it. Every column is nullable or defaulted, so any row is kept as is.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const shareLinksMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const text = dialectOf(db) === "postgres" ? sql`text collate "C"` : sql`text`;
    await db.schema
      .alterTable("share_links")
      .addColumn("one_time", "integer", (col) => col.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable("share_links").addColumn("used_at", text).execute();
    await db.schema.alterTable("share_links").addColumn("revoked_at", text).execute();
    await db.schema.alterTable("share_links").addColumn("created_by", text).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    for (const column of ["created_by", "revoked_at", "used_at", "one_time"]) {
      await db.schema.alterTable("share_links").dropColumn(column).execute();
    }
  },
};
