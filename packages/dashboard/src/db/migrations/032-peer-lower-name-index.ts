// The name check looks a name up across every interface of a configuration (peers/peer-names.ts). With
// only the (interface_id, lower(name), id) index of migration 025, a configuration on many nodes needs
// one probe per interface, and PostgreSQL's planner prefers reading all of `peers` instead (a
// configuration on 100 nodes: every creation, or every group of creations, read every peer). An
// index on lower(name) alone answers the check with the few peers of that name, however many
// interfaces the configuration has.
import { type Kysely, type Migration, sql } from "kysely";

export const peerLowerNameIndexMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await sql`create index peers_lower_name_idx on peers (lower(name))`.execute(db);
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex("peers_lower_name_idx").execute();
  },
};
