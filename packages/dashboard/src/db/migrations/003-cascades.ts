// One way to delete: the foreign keys from interfaces to their configuration and node, and from peers
// to their interface, become ON DELETE CASCADE (001 made them RESTRICT while services deleted children
// by hand, three times, differently). Deleting a node, configuration or interface row now takes
// everything under it; services only tell the nodes first. Also drops peer_stats_history, which nothing
// ever read (traffic history is traffic_samples). SQLite cannot alter a foreign key: its two tables are
// rebuilt with their rows (foreign keys off for the copy, checked before the commit).
import { type Kysely, type Migration, sql } from "kysely";
import { dialectOf } from "../connection.js";

type Action = "cascade" | "restrict";

/** table → its foreign-key columns this migration changes, with the tables they point to. */
const FOREIGN_KEYS = {
  interfaces: { configuration_id: "configurations", node_id: "nodes" },
  peers: { interface_id: "interfaces" },
} as const;

export const cascadesMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await setForeignKeyActions(db, "cascade");
    await db.schema.dropTable("peer_stats_history").execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await createPeerStatsHistory(db);
    await setForeignKeyActions(db, "restrict");
  },
};

async function setForeignKeyActions(db: Kysely<any>, action: Action): Promise<void> {
  if (dialectOf(db) === "postgres") {
    for (const [table, columns] of Object.entries(FOREIGN_KEYS)) {
      for (const [column, target] of Object.entries(columns)) {
        // 001 left PostgreSQL's default constraint names (TABLE_COLUMN_fkey).
        const name = `${table}_${column}_fkey`;
        await db.schema.alterTable(table).dropConstraint(name).execute();
        await db.schema
          .alterTable(table)
          .addForeignKeyConstraint(name, [column], target, ["id"], (c) => c.onDelete(action))
          .execute();
      }
    }
    return;
  }
  // SQLite: migrations run outside a transaction here (Kysely: no transactional DDL), so foreign keys
  // can be switched off for the rebuild — with them on, dropping the old table would cascade its rows'
  // children away.
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      for (const [table, columns] of Object.entries(FOREIGN_KEYS)) {
        await rebuildSqliteTable(trx, table, Object.keys(columns), action);
      }
      const broken = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length > 0)
        throw new Error(`foreign keys broken after the rebuild: ${JSON.stringify(broken.rows)}`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

/** The SQLite procedure for a schema change: new table, rows copied, old dropped, new renamed. */
async function rebuildSqliteTable(db: Kysely<any>, table: string, columns: string[], action: Action) {
  const definitions = await sql<{ type: string; sql: string }>`
    select type, sql from sqlite_master where tbl_name = ${table} and sql is not null`.execute(db);
  const create = definitions.rows.find((row) => row.type === "table")?.sql;
  if (!create) throw new Error(`table ${table} not found`);
  let next = create.replace(new RegExp(`^create table "${table}"`, "i"), `create table "${table}_rebuilt"`);
  for (const column of columns) {
    const clause = new RegExp(`("${column}"[^,]*? on delete )(cascade|restrict)`, "i");
    if (!clause.test(next)) throw new Error(`no foreign key on ${table}.${column}`);
    next = next.replace(clause, `$1${action}`);
  }
  await sql.raw(next).execute(db);
  await sql.raw(`insert into "${table}_rebuilt" select * from "${table}"`).execute(db);
  await sql.raw(`drop table "${table}"`).execute(db);
  await sql.raw(`alter table "${table}_rebuilt" rename to "${table}"`).execute(db);
  for (const index of definitions.rows.filter((row) => row.type === "index")) {
    await sql.raw(index.sql).execute(db);
  }
}

/** peer_stats_history as 001 made it (for down). */
async function createPeerStatsHistory(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === "postgres";
  const text = postgres ? sql`text collate "C"` : sql`text`;
  const bigint = postgres ? sql`bigint` : sql`integer`;
  let table = db.schema.createTable("peer_stats_history");
  table = postgres
    ? table.addColumn("id", "bigint", (col) => col.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn("id", "integer", (col) => col.primaryKey().autoIncrement());
  table = table
    .addColumn("peer_id", text, (col) => col.notNull().references("peers.id").onDelete("cascade"))
    .addColumn("at", text, (col) => col.notNull())
    .addColumn("rx_bytes", bigint, (col) => col.notNull())
    .addColumn("tx_bytes", bigint, (col) => col.notNull());
  await (postgres ? table : table.modifyEnd(sql`strict`)).execute();
  await db.schema
    .createIndex("peer_stats_history_peer_at_idx")
    .on("peer_stats_history")
    .columns(["peer_id", "at"])
    .execute();
  await db.schema.createIndex("peer_stats_history_at_idx").on("peer_stats_history").column("at").execute();
}
