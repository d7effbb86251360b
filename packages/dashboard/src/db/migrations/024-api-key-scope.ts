// API key scopes (issue 18): `api` (every key so far, the default) works on the native API only;
// `wgdashboard` works only on the WGDashboard-compatible API (wgdashboard/), so a key handed to a
// WGDashboard bot cannot drive the rest of the dashboard.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const apiKeyScopeMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const text = dialectOf(db) === "postgres" ? sql`text collate "C"` : sql`text`;
    await db.schema
      .alterTable("api_keys")
      .addColumn("scope", text, (col) => col.notNull().defaultTo("api"))
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("api_keys").dropColumn("scope").execute();
  },
};
