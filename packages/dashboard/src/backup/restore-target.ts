// Where a restore writes: the database `serve` would open (DATABASE_URL, else SQLite in the data dir)
// and the data dir's secret.key. Both must be empty: a restore never merges into, or overwrites, data.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { SQLITE_FILE_NAME } from "../db/index.js";
import { decodeKey, SECRET_KEY_ENV, SECRET_KEY_FILE_NAME } from "../secrets/index.js";
import { type AnyDb, countRows, listTables, migrationsIn } from "./tables.js";

export interface RestoreTarget {
  dataDir: string;
  databaseUrl: string | null;
  /** WGFLEET_SECRET_KEY, when set. */
  envKey: string | null;
}

/** The target database, named without credentials. */
export function describeDatabase(target: RestoreTarget): string {
  if (target.databaseUrl === null) return `the SQLite database ${join(target.dataDir, SQLITE_FILE_NAME)}`;
  try {
    const url = new URL(target.databaseUrl);
    return `the PostgreSQL database at ${url.hostname || "localhost"}:${url.port || "5432"}${url.pathname}`;
  } catch {
    return "the PostgreSQL database";
  }
}

export class TargetNotEmptyError extends Error {
  override name = "TargetNotEmptyError";
}

/**
 * Where the key goes: "file" (written to the data dir), "present" (the data dir already holds this very
 * key) or "env" (WGFLEET_SECRET_KEY is this key). Throws when another key is there.
 */
export function checkKeyTarget(target: RestoreTarget, key: Buffer): "file" | "present" | "env" {
  if (target.envKey !== null && target.envKey.trim() !== "") {
    const envKey = decodeKey(target.envKey);
    if (envKey === null || !envKey.equals(key)) {
      throw new TargetNotEmptyError(
        `${SECRET_KEY_ENV} is set to another key than the backup's; unset it (the backup's key goes to ${SECRET_KEY_FILE_NAME}) or set it to the backup's key`,
      );
    }
    return "env";
  }
  const path = join(target.dataDir, SECRET_KEY_FILE_NAME);
  if (!existsSync(path)) return "file";
  const content = readFileSync(path);
  const existing = content.length === 32 ? content : decodeKey(content.toString("latin1"));
  if (existing?.equals(key)) return "present";
  throw new TargetNotEmptyError(
    `${path} holds another key than the backup's; restore into an empty data dir`,
  );
}

/** True when the SQLite file is missing or empty (nothing to open yet). */
export function sqliteFileAbsent(target: RestoreTarget): boolean {
  const file = join(target.dataDir, SQLITE_FILE_NAME);
  return !existsSync(file) || statSync(file).size === 0;
}

/**
 * Throws unless the database holds no rows: no tables at all, or a wgfleet schema that is empty and
 * not ahead of the backup (a restore that failed halfway can simply be run again).
 */
export async function assertDatabaseEmpty(db: AnyDb, target: RestoreTarget, backupMigrations: string[]) {
  const where = describeDatabase(target);
  for (const table of await listTables(db)) {
    const rows = await countRows(db, table);
    if (rows > 0) {
      throw new TargetNotEmptyError(
        `${where} is not empty (table ${table} has ${rows} rows); restore needs an empty one`,
      );
    }
  }
  const applied = await migrationsIn(db);
  if (applied.some((name, i) => backupMigrations[i] !== name)) {
    throw new TargetNotEmptyError(`${where} has a schema ahead of the backup's; restore needs an empty one`);
  }
}
