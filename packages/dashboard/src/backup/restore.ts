// Restores a backup into an empty target, on either engine whatever the backup's: the file is read
// and checked in full first (a damaged file, a newer format or a wrong passphrase writes nothing), then
// the schema is built up to the backup's last migration, every row inserted in dependency order in one
// transaction (PostgreSQL identity sequences moved past the restored ids), and the schema brought to
// this version's newest. `dryRun` does all of that into a throwaway in-memory SQLite database instead.
import { rmSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { createDatabase, migrateToLatest, migrateUpTo, SQLITE_FILE_NAME } from "../db/index.js";
import { readBackup } from "./backup-reader.js";
import type { BackupHeader, Cell } from "./format.js";
import { writeKeyFile } from "./key-file.js";
import { unwrapKey } from "./key-wrap.js";
import {
  assertDatabaseEmpty,
  checkKeyTarget,
  describeDatabase,
  type RestoreTarget,
  sqliteFileAbsent,
} from "./restore-target.js";
import { identityColumns } from "./tables.js";

// biome-ignore lint/suspicious/noExplicitAny: rows are copied without the typed schema.
type AnyDb = Kysely<any>;

export interface RestoreOptions {
  file: string;
  passphrase: string | null;
  target: RestoreTarget;
  dryRun: boolean;
}

export interface RestoreSummary {
  file: string;
  /** The engine the backup was taken from. */
  sourceEngine: "sqlite" | "postgres";
  createdAt: string;
  target: string;
  migrations: string[];
  counts: Record<string, number>;
  dryRun: boolean;
  /** Where the secret key is: written to the data dir, already there, or WGFLEET_SECRET_KEY. */
  secretKey: "file" | "present" | "env";
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreSummary> {
  const { header, key } = await checkBackupFile(options.file, options.passphrase);
  const keyPlace = checkKeyTarget(options.target, key);
  if (options.dryRun) {
    await assertTargetEmpty(options.target, header.migrations);
    await rehearse(options.file, header);
  } else {
    await restoreInto(options, header, key, keyPlace);
  }
  return {
    file: options.file,
    sourceEngine: header.engine,
    createdAt: header.createdAt,
    target: describeDatabase(options.target),
    migrations: header.migrations,
    counts: header.counts,
    dryRun: options.dryRun,
    secretKey: keyPlace,
  };
}

/** Reads the whole file; returns its header and secret key, or throws saying what is wrong. */
export async function checkBackupFile(
  file: string,
  passphrase: string | null,
): Promise<{ header: BackupHeader; key: Buffer }> {
  let header: BackupHeader | undefined;
  let key: Buffer | undefined;
  for await (const event of readBackup(file)) {
    if (event.kind === "header") {
      header = event.header;
      key = unwrapKey(header.secretKey, passphrase);
    }
  }
  if (header === undefined || key === undefined) throw new Error("unreachable: a backup without a header");
  return { header, key };
}

async function restoreInto(
  options: RestoreOptions,
  header: BackupHeader,
  key: Buffer,
  keyPlace: "file" | "present" | "env",
): Promise<void> {
  const { target } = options;
  const createdSqlite = target.databaseUrl === null && sqliteFileAbsent(target);
  const db = await createDatabase(
    target.databaseUrl === null ? { dataDir: target.dataDir } : { url: target.databaseUrl, poolSize: 2 },
  );
  let keyFile: string | null = null;
  try {
    await assertDatabaseEmpty(db, target, header.migrations);
    if (keyPlace === "file") keyFile = writeKeyFile(target.dataDir, key);
    await loadRows(db, options.file, header);
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    if (keyFile !== null) rmSync(keyFile, { force: true });
    if (createdSqlite) removeSqliteFiles(target.dataDir);
    throw error;
  }
  await db.destroy();
}

/** The backup's schema, then its rows in one transaction. */
async function loadRows(db: AnyDb, file: string, header: BackupHeader): Promise<void> {
  const last = header.migrations[header.migrations.length - 1] as string;
  await migrateUpTo(db, last);
  await db.transaction().execute(async (trx) => {
    await insertRows(trx, file);
    await moveSequences(trx);
  });
}

/** Dry run: the same load into an in-memory SQLite database (types, keys and uniqueness checked). */
async function rehearse(file: string, header: BackupHeader): Promise<void> {
  const database = new BetterSqlite3(":memory:");
  database.pragma("foreign_keys = ON");
  const db: AnyDb = new Kysely({ dialect: new SqliteDialect({ database }) });
  try {
    await loadRows(db, file, header);
  } finally {
    await db.destroy();
  }
}

async function assertTargetEmpty(target: RestoreTarget, migrations: string[]): Promise<void> {
  if (target.databaseUrl === null) {
    if (sqliteFileAbsent(target)) return;
    // Read-only: a dry run must not even switch an existing file to WAL.
    const database = new BetterSqlite3(join(target.dataDir, SQLITE_FILE_NAME), { readonly: true });
    const db: AnyDb = new Kysely({ dialect: new SqliteDialect({ database }) });
    try {
      await assertDatabaseEmpty(db, target, migrations);
    } finally {
      await db.destroy();
    }
    return;
  }
  const db = await createDatabase({ url: target.databaseUrl, poolSize: 1 });
  try {
    await assertDatabaseEmpty(db, target, migrations);
  } finally {
    await db.destroy();
  }
}

/** PostgreSQL's bind-parameter limit is 65535 per statement; SQLite's is 32766. */
const MAX_PARAMETERS = 30_000;
const MAX_BATCH = 500;

async function insertRows(trx: AnyDb, file: string): Promise<void> {
  let table = "";
  let columns: string[] = [];
  let batch: Array<Record<string, Cell>> = [];
  const flush = async () => {
    if (batch.length > 0) await trx.insertInto(table).values(batch).execute();
    batch = [];
  };
  for await (const event of readBackup(file)) {
    if (event.kind === "table") {
      await flush();
      table = event.table;
      columns = event.columns;
    } else if (event.kind === "row") {
      batch.push(Object.fromEntries(columns.map((column, i) => [column, event.cells[i] ?? null])));
      if (batch.length >= Math.min(MAX_BATCH, Math.floor(MAX_PARAMETERS / columns.length))) await flush();
    }
  }
  await flush();
}

/** Identity columns were given explicit ids: the next generated one must come after the largest. */
async function moveSequences(trx: AnyDb): Promise<void> {
  for (const [table, column] of await identityColumns(trx)) {
    await sql`select setval(pg_get_serial_sequence(${table}, ${column}),
      coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(trx);
  }
}

function removeSqliteFiles(dataDir: string): void {
  for (const suffix of ["", "-wal", "-shm"])
    rmSync(join(dataDir, SQLITE_FILE_NAME + suffix), { force: true });
}
