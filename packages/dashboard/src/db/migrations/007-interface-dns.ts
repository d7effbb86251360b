// An interface's own DNS for its clients (a JSON array), used instead of its configuration's when set:
// nodes of one configuration may sit in different networks with their own resolvers. Null when the
// configuration's applies. Same type on both engines.
import { type Kysely, type Migration, sql } from "kysely";

export const interfaceDnsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("interfaces").addColumn("dns", sql`text`).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("interfaces").dropColumn("dns").execute();
  },
};
