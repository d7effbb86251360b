// How many peers each interface holds, kept by the database itself (issue 17). `auto` placement weighs
// nodes by their peers on every creation; counting them (a grouped count over the candidates' peers,
// a sequential scan of `peers` once a configuration spans the fleet) made each creation O(peers).
// Triggers on `peers` keep this table exact in the very statement that inserts, deletes or moves a
// peer, whatever the path (API, bulk, adoption, restore, foreign-key cascades), so a rolled-back
// transaction rolls its counts back with it and concurrent transactions add up under the row's lock.
// Creations on one interface already take that interface's row lock first (its revision), so the
// count's row adds no new waiting. A row exists once an interface has had a peer; no row means 0.
// Derived data: backups leave the table out (backup/tables.ts) and restored peers rebuild it.
//
// SQLite has only row triggers. PostgreSQL counts a whole statement's rows at once from its
// transition tables, so a bulk insert of 100 peers updates the count once, not 100 times.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const interfacePeerCountsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    await db.schema
      .createTable("interface_peer_counts")
      .addColumn("interface_id", postgres ? sql`text collate "C"` : sql`text`, (col) =>
        col.primaryKey().references("interfaces.id").onDelete("cascade"),
      )
      .addColumn("peers", "integer", (col) => col.notNull())
      .execute();
    await sql`insert into interface_peer_counts (interface_id, peers)
      select interface_id, count(*) from peers group by interface_id`.execute(db);
    if (postgres) await createPostgresTriggers(db);
    else await createSqliteTriggers(db);
  },

  async down(db: Kysely<any>): Promise<void> {
    for (const trigger of ["peers_counted_insert", "peers_counted_delete", "peers_counted_move"]) {
      if (dialectOf(db) === "postgres") await sql`drop trigger ${sql.ref(trigger)} on peers`.execute(db);
      else await sql`drop trigger ${sql.ref(trigger)}`.execute(db);
    }
    if (dialectOf(db) === "postgres") {
      for (const fn of ["peers_count_inserted", "peers_count_deleted", "peers_count_moved"])
        await sql`drop function ${sql.ref(fn)}()`.execute(db);
    }
    await db.schema.dropTable("interface_peer_counts").execute();
  },
};

async function createSqliteTriggers(db: Kysely<any>): Promise<void> {
  await sql`create trigger peers_counted_insert after insert on peers begin
      insert into interface_peer_counts (interface_id, peers) values (new.interface_id, 1)
        on conflict (interface_id) do update set peers = peers + 1;
    end`.execute(db);
  await sql`create trigger peers_counted_delete after delete on peers begin
      update interface_peer_counts set peers = peers - 1 where interface_id = old.interface_id;
    end`.execute(db);
  await sql`create trigger peers_counted_move after update of interface_id on peers
      when old.interface_id is not new.interface_id begin
      update interface_peer_counts set peers = peers - 1 where interface_id = old.interface_id;
      insert into interface_peer_counts (interface_id, peers) values (new.interface_id, 1)
        on conflict (interface_id) do update set peers = peers + 1;
    end`.execute(db);
}

async function createPostgresTriggers(db: Kysely<any>): Promise<void> {
  // Rows are taken in interface order, so two statements over the same interfaces lock their counts
  // in the same order.
  await sql`create function peers_count_inserted() returns trigger language plpgsql as $$
    begin
      insert into interface_peer_counts as c (interface_id, peers)
        select interface_id, count(*) from inserted_peers group by interface_id order by interface_id
        on conflict (interface_id) do update set peers = c.peers + excluded.peers;
      return null;
    end $$`.execute(db);
  await sql`create function peers_count_deleted() returns trigger language plpgsql as $$
    begin
      update interface_peer_counts c set peers = c.peers - gone.peers
        from (select interface_id, count(*) as peers from deleted_peers group by interface_id) gone
        where c.interface_id = gone.interface_id;
      return null;
    end $$`.execute(db);
  await sql`create function peers_count_moved() returns trigger language plpgsql as $$
    begin
      update interface_peer_counts set peers = peers - 1 where interface_id = old.interface_id;
      insert into interface_peer_counts as c (interface_id, peers) values (new.interface_id, 1)
        on conflict (interface_id) do update set peers = c.peers + 1;
      return null;
    end $$`.execute(db);
  await sql`create trigger peers_counted_insert after insert on peers
    referencing new table as inserted_peers for each statement
    execute function peers_count_inserted()`.execute(db);
  await sql`create trigger peers_counted_delete after delete on peers
    referencing old table as deleted_peers for each statement
    execute function peers_count_deleted()`.execute(db);
  await sql`create trigger peers_counted_move after update of interface_id on peers
    for each row when (old.interface_id is distinct from new.interface_id)
    execute function peers_count_moved()`.execute(db);
}
