// E-mail (issue 14): the SMTP settings (one row; the password encrypted at rest), the outbox of warning
// mails (unique per peer, kind and period, so each is queued once; rows survive a restart and are
// retried with backoff), and a peer's optional contact address.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const emailMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    const text = postgres ? sql`text collate "C"` : sql`text`;
    const strict = <T extends { modifyEnd(s: ReturnType<typeof sql>): T }>(t: T) =>
      postgres ? t : t.modifyEnd(sql`strict`);

    await db.schema.alterTable("peers").addColumn("contact_email", text).execute();

    await strict(
      db.schema
        .createTable("email_settings")
        .addColumn("id", "integer", (col) => col.primaryKey())
        .addColumn("enabled", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("host", text, (col) => col.notNull())
        .addColumn("port", "integer", (col) => col.notNull())
        .addColumn("security", text, (col) => col.notNull())
        .addColumn("username", text)
        .addColumn("password_enc", text)
        .addColumn("from_address", text, (col) => col.notNull())
        .addColumn("updated_at", text, (col) => col.notNull()),
    ).execute();

    await strict(
      db.schema
        .createTable("email_outbox")
        .addColumn("id", text, (col) => col.primaryKey())
        .addColumn("dedupe_key", text, (col) => col.notNull().unique())
        .addColumn("peer_id", text, (col) => col.references("peers.id").onDelete("cascade"))
        .addColumn("kind", text, (col) => col.notNull())
        .addColumn("recipient", text, (col) => col.notNull())
        .addColumn("subject", text, (col) => col.notNull())
        .addColumn("body", text, (col) => col.notNull())
        .addColumn("status", text, (col) => col.notNull())
        .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("next_attempt_at", text)
        .addColumn("last_error", text)
        .addColumn("created_at", text, (col) => col.notNull())
        .addColumn("sent_at", text),
    ).execute();
    // The worker's question: pending mails that are due.
    await db.schema
      .createIndex("email_outbox_due_idx")
      .on("email_outbox")
      .columns(["status", "next_attempt_at"])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("email_outbox").execute();
    await db.schema.dropTable("email_settings").execute();
    await db.schema.alterTable("peers").dropColumn("contact_email").execute();
  },
};
