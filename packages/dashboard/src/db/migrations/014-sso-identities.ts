// Single sign-on (issue 14): which OpenID Connect identity belongs to which user. An identity is the
// provider's issuer and the subject it gives the person — never an email address, which a provider may
// let people change or reuse. A user may have several identities; deleting the user deletes them.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const ssoIdentitiesMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    const text = postgres ? sql`text collate "C"` : sql`text`;
    const table = db.schema
      .createTable("user_identities")
      .addColumn("issuer", text, (col) => col.notNull())
      .addColumn("subject", text, (col) => col.notNull())
      .addColumn("user_id", text, (col) => col.notNull().references("users.id").onDelete("cascade"))
      .addColumn("created_at", text, (col) => col.notNull())
      .addColumn("last_login_at", text)
      .addPrimaryKeyConstraint("user_identities_pk", ["issuer", "subject"]);
    await (postgres ? table : table.modifyEnd(sql`strict`)).execute();
    await db.schema.createIndex("user_identities_user_idx").on("user_identities").column("user_id").execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable("user_identities").execute();
  },
};
