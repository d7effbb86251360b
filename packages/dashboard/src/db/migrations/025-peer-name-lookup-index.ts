// Peer names are unique per configuration whatever their ASCII case (peers/peer-names.ts), checked on
// every creation and rename with `lower(p.name) = lower(?)` per interface. The (interface_id, name, id)
// index cannot serve `lower(name)`, so each check read every peer of the interface: O(peers) per
// creation, 1,000 sequential creations O(n²). This index serves the check (and bulk imports' name
// lookups) directly. `id` is in it so that SQLite, without statistics, prefers it as a covering index
// over the (interface_id, name, id) one for these queries.
import { type Kysely, type Migration, sql } from "kysely";

export const peerNameLookupIndexMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await sql`create index peers_interface_lower_name_idx on peers (interface_id, lower(name), id)`.execute(
      db,
    );
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex("peers_interface_lower_name_idx").execute();
  },
};
