// `peer_moves.owner_replica` (issue 17): the replica whose move a `pending` row belongs to, so a
// replica starting undoes only the moves of replicas that stopped, never a live one's move in flight
// (null for rows from before this migration: their owner is unknown).
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const moveOwnersMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const text = dialectOf(db) === "postgres" ? sql`text collate "C"` : sql`text`;
    await db.schema.alterTable("peer_moves").addColumn("owner_replica", text).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("peer_moves").dropColumn("owner_replica").execute();
  },
};
