// What the database holds, read from the engine's own catalogue rather than a list in code: every
// table (a table added by a later migration is backed up without touching this folder), its columns,
// the foreign keys that fix the order rows must be inserted in, and PostgreSQL's identity columns.
import { type Kysely, sql } from "kysely";
import { dialectOf } from "../db/index.js";

// biome-ignore lint/suspicious/noExplicitAny: the catalogue is read without the typed schema.
export type AnyDb = Kysely<any>;

/** Kysely's own bookkeeping; the migration list travels in the header instead. */
const MIGRATION_TABLES = new Set(["kysely_migration", "kysely_migration_lock"]);
/** Kept by triggers from other tables' rows (migrations 030, 031): restoring those rows rebuilds them. */
const DERIVED_TABLES = new Set(["interface_peer_counts", "pool_allocation_counts"]);

export async function listTables(db: AnyDb): Promise<string[]> {
  const query =
    dialectOf(db) === "sqlite"
      ? sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
      : sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`;
  const { rows } = await query.execute(db);
  return rows
    .map((row) => row.name)
    .filter((name) => !MIGRATION_TABLES.has(name) && !DERIVED_TABLES.has(name));
}

export async function hasMigrationTable(db: AnyDb): Promise<boolean> {
  const query =
    dialectOf(db) === "sqlite"
      ? sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name = 'kysely_migration'`
      : sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_name = 'kysely_migration'`;
  return (await query.execute(db)).rows.length > 0;
}

/** The applied migrations, oldest first (names are numbered, so name order is applying order). */
export async function migrationsIn(db: AnyDb): Promise<string[]> {
  if (!(await hasMigrationTable(db))) return [];
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((row) => row.name);
}

export async function columnsOf(db: AnyDb, table: string): Promise<string[]> {
  if (dialectOf(db) === "sqlite") {
    const { rows } = await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db);
    return rows.map((row) => row.name);
  }
  const { rows } = await sql<{ name: string }>`select column_name as name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(db);
  return rows.map((row) => row.name);
}

/** child → the tables it references. */
async function foreignKeys(db: AnyDb, tables: string[]): Promise<Map<string, Set<string>>> {
  const parents = new Map(tables.map((table) => [table, new Set<string>()]));
  if (dialectOf(db) === "sqlite") {
    for (const table of tables) {
      const { rows } = await sql<{
        table: string;
      }>`select "table" from pragma_foreign_key_list(${table})`.execute(db);
      for (const row of rows) parents.get(table)?.add(row.table);
    }
    return parents;
  }
  const { rows } = await sql<{ child: string; parent: string }>`
    select child.relname as child, parent.relname as parent
    from pg_constraint c
    join pg_class child on child.oid = c.conrelid
    join pg_class parent on parent.oid = c.confrelid
    where c.contype = 'f' and c.connamespace = current_schema()::regnamespace`.execute(db);
  for (const row of rows) parents.get(row.child)?.add(row.parent);
  return parents;
}

/** Every table, parents before the tables that reference them; ties in name order (stable files). */
export async function tablesInDependencyOrder(db: AnyDb): Promise<string[]> {
  const tables = (await listTables(db)).sort();
  const parents = await foreignKeys(db, tables);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter(
      (table) =>
        !placed.has(table) &&
        [...(parents.get(table) ?? [])].every((parent) => parent === table || placed.has(parent)),
    );
    if (ready.length === 0) throw new Error("the tables' foreign keys form a cycle; cannot order them");
    for (const table of ready) {
      ordered.push(table);
      placed.add(table);
    }
  }
  return ordered;
}

/** PostgreSQL identity columns ([table, column]), whose sequences must move past restored ids. */
export async function identityColumns(db: AnyDb): Promise<Array<[string, string]>> {
  if (dialectOf(db) !== "postgres") return [];
  const { rows } = await sql<{ table: string; column: string }>`
    select table_name as "table", column_name as "column" from information_schema.columns
    where table_schema = current_schema() and is_identity = 'YES'`.execute(db);
  return rows.map((row) => [row.table, row.column]);
}

/** A table's row count (for the header and the emptiness check of a restore target). */
export async function countRows(db: AnyDb, table: string): Promise<number> {
  const { rows } = await sql<{ count: number }>`select count(*) as count from ${sql.table(table)}`.execute(
    db,
  );
  return Number(rows[0]?.count ?? 0);
}
