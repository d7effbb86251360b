// Writes a backup: every table's rows from ONE read transaction (a consistent snapshot while the
// dashboard keeps writing: on SQLite a read transaction sees one WAL snapshot, on PostgreSQL REPEATABLE
// READ), gzip'ed JSON lines, to a temporary file (mode 0600) renamed into place only when complete.
import { randomBytes } from "node:crypto";
import { createWriteStream, rmSync } from "node:fs";
import { rename } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { type Kysely, sql } from "kysely";
import { dialectOf } from "../db/index.js";
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  type BackupHeader,
  type Cell,
  type EndLine,
  type TableLine,
} from "./format.js";
import { wrapKey } from "./key-wrap.js";
import { columnsOf, countRows, migrationsIn, tablesInDependencyOrder } from "./tables.js";

// biome-ignore lint/suspicious/noExplicitAny: rows are copied without the typed schema.
type AnyDb = Kysely<any>;

export interface WriteBackupOptions {
  db: AnyDb;
  /** The 32-byte key that decrypts the database's secrets. */
  secretKey: Buffer;
  /** Wraps the key; null keeps it in clear. */
  passphrase: string | null;
  out: string;
  now?: () => Date;
}

export interface BackupSummary {
  file: string;
  engine: "sqlite" | "postgres";
  createdAt: string;
  migrations: string[];
  counts: Record<string, number>;
  encrypted: boolean;
}

/** Throws (leaving no file) when the database has no wgfleet schema or anything fails midway. */
export async function writeBackup(options: WriteBackupOptions): Promise<BackupSummary> {
  const temporary = `${options.out}.${randomBytes(6).toString("hex")}.partial`;
  try {
    const header = await inSnapshot(options.db, async (trx) => {
      const header = await readHeader(trx, options);
      const output = createWriteStream(temporary, { mode: 0o600, flags: "wx" });
      await pipeline(Readable.from(backupLines(trx, header)), createGzip(), output);
      return header;
    });
    await rename(temporary, options.out);
    return {
      file: options.out,
      engine: header.engine,
      createdAt: header.createdAt,
      migrations: header.migrations,
      counts: header.counts,
      encrypted: header.secretKey.kind === "passphrase",
    };
  } finally {
    rmSync(temporary, { force: true });
  }
}

async function inSnapshot<T>(db: AnyDb, work: (trx: AnyDb) => Promise<T>): Promise<T> {
  if (dialectOf(db) === "sqlite") return db.transaction().execute(work);
  return db.transaction().setIsolationLevel("repeatable read").setAccessMode("read only").execute(work);
}

async function readHeader(trx: AnyDb, options: WriteBackupOptions): Promise<BackupHeader> {
  const migrations = await migrationsIn(trx);
  if (migrations.length === 0) throw new Error("the database holds no wgfleet data (no migrations applied)");
  const tables = await tablesInDependencyOrder(trx);
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await countRows(trx, table);
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_FORMAT_VERSION,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    engine: dialectOf(trx),
    migrations,
    tables,
    counts,
    secretKey: wrapKey(options.secretKey, options.passphrase),
  };
}

/** The file's lines; one table's rows are in memory at a time. */
async function* backupLines(trx: AnyDb, header: BackupHeader): AsyncGenerator<string> {
  yield line(header);
  let total = 0;
  for (const table of header.tables) {
    const columns = await columnsOf(trx, table);
    yield line({ table, columns } satisfies TableLine);
    const { rows } = await sql<Record<string, Cell>>`select * from ${sql.table(table)}`.execute(trx);
    for (const row of rows) yield line(columns.map((column) => row[column] ?? null));
    total += rows.length;
  }
  yield line({ end: true, rows: total } satisfies EndLine);
}

function line(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}
