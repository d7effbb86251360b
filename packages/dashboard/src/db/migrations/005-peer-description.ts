// A peer's description: an optional one-line note for admins (at most 200 characters, checked by the
// API), never written to a config file. Null when none. Same type on both engines.
import { type Kysely, type Migration, sql } from "kysely";

export const peerDescriptionMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("peers").addColumn("description", sql`text`).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("peers").dropColumn("description").execute();
  },
};
