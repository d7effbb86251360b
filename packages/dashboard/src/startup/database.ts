// Opens the configured database (SQLite under the data dir, or PostgreSQL from DATABASE_URL), brings
// it to the newest schema, and opens the secret box checked against it. Shared by `serve` and the
// admin commands, so both see the same data. Warns when the data dir is open to other users. Never
// logs the database URL.
import { statSync } from "node:fs";
import { join } from "node:path";
import {
  appliedMigrations,
  createDatabase,
  type Db,
  migrateToLatest,
  SQLITE_FILE_NAME,
} from "../db/index.js";
import type { Logger } from "../logging/logger.js";
import { verifyKey } from "../secrets/key-check.js";
import { SecretBox } from "../secrets/secret-box.js";

export interface DatabaseTarget {
  dataDir: string;
  databaseUrl: string | null;
  /** PostgreSQL pool size (WGFLEET_DATABASE_POOL_SIZE); the driver's default when absent. */
  databasePoolSize?: number;
  /** WGFLEET_SECRET_KEY, when set. */
  secretKey: string | null;
}

export interface OpenedStore {
  db: Db;
  secrets: SecretBox;
}

/** The database is missing or holds no wgfleet schema (an admin command on the wrong data dir). */
export class NoDatabaseError extends Error {
  override name = "NoDatabaseError";
}

/**
 * `mustExist` (the admin commands): refuse a data dir without a SQLite file, or a database without a
 * wgfleet schema, instead of creating a fresh one there: `wgfleet user add` on a mistyped --data-dir
 * would otherwise make an empty database that `serve` never reads.
 */
export async function openStore(
  target: DatabaseTarget,
  logger: Logger,
  options: { mustExist?: boolean } = {},
): Promise<OpenedStore> {
  if (options.mustExist && !target.databaseUrl && !sqliteFileHoldsData(target.dataDir)) {
    throw new NoDatabaseError(noDatabaseMessage(target));
  }
  const db = await createDatabase(
    target.databaseUrl
      ? {
          url: target.databaseUrl,
          ...(target.databasePoolSize ? { poolSize: target.databasePoolSize } : {}),
          onPoolError: (error) =>
            logger.warn({ err: { message: error.message } }, "database connection lost"),
        }
      : { dataDir: target.dataDir },
  );
  warnIfDataDirIsOpen(target.dataDir, logger);
  try {
    if (options.mustExist && (await appliedMigrations(db)).length === 0) {
      throw new NoDatabaseError(noDatabaseMessage(target));
    }
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info({ migrations: applied }, "database migrated");
    const secrets = await SecretBox.open({
      dataDir: target.dataDir,
      envKey: target.secretKey ?? undefined,
      logger,
    });
    await verifyKey(db, secrets);
    return { db, secrets };
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
}

/** The data dir holds the database and the secret key: nobody but its owner should list or enter it. */
function warnIfDataDirIsOpen(dataDir: string, logger: Logger): void {
  let mode: number;
  try {
    mode = statSync(dataDir).mode & 0o777;
  } catch {
    return; // PostgreSQL without a data dir yet: SecretBox creates it privately
  }
  if ((mode & 0o077) !== 0) {
    logger.warn(
      { dataDir, mode: `0${mode.toString(8)}` },
      "the data directory is readable by other users; run chmod 700 on it",
    );
  }
}

function sqliteFileHoldsData(dataDir: string): boolean {
  try {
    return statSync(join(dataDir, SQLITE_FILE_NAME)).size > 0;
  } catch {
    return false;
  }
}

function noDatabaseMessage(target: DatabaseTarget): string {
  const where = target.databaseUrl
    ? "the database DATABASE_URL names has no wgfleet schema"
    : `no wgfleet database in ${target.dataDir}`;
  return `${where}; check --data-dir / DATABASE_URL, or run \`wgfleet serve\` (or \`wgfleet restore\`) there first`;
}
