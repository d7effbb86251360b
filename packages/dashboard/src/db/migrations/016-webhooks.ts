// Webhooks (issue 14): the registered receivers (secret encrypted, events as a JSON array) and the
// delivery queue that is also the delivery log. Deliveries are rows, so a restart loses none: the
// worker picks up every `pending` row whose `next_attempt_at` has come. A webhook's deliveries go
// with it.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const webhooksMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    const text = postgres ? sql`text collate "C"` : sql`text`;
    const strict = <T extends { modifyEnd(s: ReturnType<typeof sql>): T }>(t: T) =>
      postgres ? t : t.modifyEnd(sql`strict`);

    await strict(
      db.schema
        .createTable("webhooks")
        .addColumn("id", text, (col) => col.primaryKey())
        .addColumn("name", text, (col) => col.notNull())
        .addColumn("url", text, (col) => col.notNull())
        .addColumn("secret_enc", text, (col) => col.notNull())
        .addColumn("secret_hint", text, (col) => col.notNull())
        .addColumn("events", text, (col) => col.notNull())
        .addColumn("enabled", "integer", (col) => col.notNull().defaultTo(1))
        .addColumn("allow_private", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("created_at", text, (col) => col.notNull())
        .addColumn("updated_at", text, (col) => col.notNull()),
    ).execute();

    await strict(
      db.schema
        .createTable("webhook_deliveries")
        .addColumn("id", text, (col) => col.primaryKey())
        .addColumn("webhook_id", text, (col) => col.notNull().references("webhooks.id").onDelete("cascade"))
        .addColumn("event_id", text, (col) => col.notNull())
        .addColumn("event_type", text, (col) => col.notNull())
        .addColumn("payload", text, (col) => col.notNull())
        .addColumn("status", text, (col) => col.notNull())
        .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("next_attempt_at", text)
        .addColumn("last_attempt_at", text)
        .addColumn("response_code", "integer")
        .addColumn("last_error", text)
        .addColumn("created_at", text, (col) => col.notNull())
        .addColumn("delivered_at", text),
    ).execute();
    // The worker's question: pending deliveries that are due.
    await db.schema
      .createIndex("webhook_deliveries_due_idx")
      .on("webhook_deliveries")
      .columns(["status", "next_attempt_at"])
      .execute();
    // The delivery log: one webhook's, newest first.
    await db.schema
      .createIndex("webhook_deliveries_log_idx")
      .on("webhook_deliveries")
      .columns(["webhook_id", "created_at"])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("webhook_deliveries").execute();
    await db.schema.dropTable("webhooks").execute();
  },
};
