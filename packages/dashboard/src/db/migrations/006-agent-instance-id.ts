// The agent instance a remote node is bound to: the id its agent reported when the node was added (or
// at its first answer after). Null until then, and for the local node. Same type on both engines.
import { type Kysely, type Migration, sql } from "kysely";

export const agentInstanceIdMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("nodes").addColumn("agent_instance_id", sql`text`).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("nodes").dropColumn("agent_instance_id").execute();
  },
};
