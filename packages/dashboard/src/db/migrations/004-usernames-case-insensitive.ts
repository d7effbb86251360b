// Usernames are unique whatever their case: "Admin" cannot be created beside "admin", and logins look
// names up case-insensitively. Usernames are ASCII (users/username.ts), so lower() is the same on
// SQLite and PostgreSQL. Fails on a database that already holds two names differing only in case.
import { type Kysely, type Migration, sql } from "kysely";

export const usernamesCaseInsensitiveMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createIndex("users_username_lower_unique")
      .on("users")
      .expression(sql`lower(username)`)
      .unique()
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex("users_username_lower_unique").execute();
  },
};
