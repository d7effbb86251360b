// Two-factor sign-in (issue 14). `users.totp_secret_enc` (made by 001, encrypted with the secret box)
// holds the confirmed secret; this adds the secret of an enrolment not yet confirmed, and the last TOTP
// step a login used (a code is refused in a step at or before it: no replay inside the 30 s window).
// Recovery codes get a table of their own: only the hash of each is kept, and `used_at` spends it.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const twoFactorMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    const text = postgres ? sql`text collate "C"` : sql`text`;
    const bigint = postgres ? sql`bigint` : sql`integer`;
    await db.schema.alterTable("users").addColumn("totp_pending_enc", text).execute();
    await db.schema.alterTable("users").addColumn("totp_last_step", bigint).execute();
    const table = db.schema
      .createTable("user_recovery_codes")
      .addColumn("user_id", text, (col) => col.notNull().references("users.id").onDelete("cascade"))
      .addColumn("code_hash", text, (col) => col.notNull())
      .addColumn("created_at", text, (col) => col.notNull())
      .addColumn("used_at", text)
      .addPrimaryKeyConstraint("user_recovery_codes_pk", ["user_id", "code_hash"]);
    await (postgres ? table : table.modifyEnd(sql`strict`)).execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("user_recovery_codes").execute();
    await db.schema.alterTable("users").dropColumn("totp_last_step").execute();
    await db.schema.alterTable("users").dropColumn("totp_pending_enc").execute();
  },
};
