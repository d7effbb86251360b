// How many addresses each interface pool has handed out, kept by the database itself (issue 17), as
// migration 030 keeps peers per interface. `auto` placement leaves out interfaces whose pools are full
// and every creation reports its pool's usage: both counted `ip_allocations` rows, a grouped count over
// every candidate interface (O(peers) per creation once a configuration spans the fleet). Triggers on
// `ip_allocations` keep this table exact in the statement that inserts or deletes rows, whatever the
// path (creations, moves, bulk, adoption, restore, the cascades from peers and interfaces); an insert
// that skipped a taken address (`on conflict do nothing`) counts nothing. Rows of ip_allocations are
// never updated. A row exists once a pool has had an address; no row means 0. Derived data: backups
// leave the table out (backup/tables.ts) and restored allocations rebuild it.
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

export const poolAllocationCountsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    const text = postgres ? sql`text collate "C"` : sql`text`;
    await db.schema
      .createTable("pool_allocation_counts")
      .addColumn("interface_id", text, (col) => col.notNull().references("interfaces.id").onDelete("cascade"))
      .addColumn("pool", text, (col) => col.notNull())
      .addColumn("allocated", "integer", (col) => col.notNull())
      .addPrimaryKeyConstraint("pool_allocation_counts_pkey", ["interface_id", "pool"])
      .execute();
    await sql`insert into pool_allocation_counts (interface_id, pool, allocated)
      select interface_id, pool, count(*) from ip_allocations group by interface_id, pool`.execute(db);
    if (postgres) await createPostgresTriggers(db);
    else await createSqliteTriggers(db);
  },

  async down(db: Kysely<any>): Promise<void> {
    const postgres = dialectOf(db) === "postgres";
    for (const trigger of ["allocations_counted_insert", "allocations_counted_delete"]) {
      if (postgres) await sql`drop trigger ${sql.ref(trigger)} on ip_allocations`.execute(db);
      else await sql`drop trigger ${sql.ref(trigger)}`.execute(db);
    }
    if (postgres) {
      for (const fn of ["allocations_count_inserted", "allocations_count_deleted"])
        await sql`drop function ${sql.ref(fn)}()`.execute(db);
    }
    await db.schema.dropTable("pool_allocation_counts").execute();
  },
};

async function createSqliteTriggers(db: Kysely<any>): Promise<void> {
  await sql`create trigger allocations_counted_insert after insert on ip_allocations begin
      insert into pool_allocation_counts (interface_id, pool, allocated) values (new.interface_id, new.pool, 1)
        on conflict (interface_id, pool) do update set allocated = allocated + 1;
    end`.execute(db);
  await sql`create trigger allocations_counted_delete after delete on ip_allocations begin
      update pool_allocation_counts set allocated = allocated - 1
        where interface_id = old.interface_id and pool = old.pool;
    end`.execute(db);
}

/** Statement triggers over transition tables: a multi-row insert or delete updates each count once. */
async function createPostgresTriggers(db: Kysely<any>): Promise<void> {
  await sql`create function allocations_count_inserted() returns trigger language plpgsql as $$
    begin
      insert into pool_allocation_counts as c (interface_id, pool, allocated)
        select interface_id, pool, count(*) from inserted_allocations
          group by interface_id, pool order by interface_id, pool
        on conflict (interface_id, pool) do update set allocated = c.allocated + excluded.allocated;
      return null;
    end $$`.execute(db);
  await sql`create function allocations_count_deleted() returns trigger language plpgsql as $$
    begin
      update pool_allocation_counts c set allocated = c.allocated - gone.allocated
        from (select interface_id, pool, count(*) as allocated from deleted_allocations
          group by interface_id, pool) gone
        where c.interface_id = gone.interface_id and c.pool = gone.pool;
      return null;
    end $$`.execute(db);
  await sql`create trigger allocations_counted_insert after insert on ip_allocations
    referencing new table as inserted_allocations for each statement
    execute function allocations_count_inserted()`.execute(db);
  await sql`create trigger allocations_counted_delete after delete on ip_allocations
    referencing old table as deleted_allocations for each statement
    execute function allocations_count_deleted()`.execute(db);
}
