// Opens the configured database (SQLite under the data dir, or PostgreSQL from DATABASE_URL), brings
// it to the newest schema, and opens the secret box checked against it. Shared by `serve` and the
// admin commands, so both see the same data. Warns when the data dir is open to other users. Never
// logs the database URL.
import { statSync } from "node:fs";
import { createDatabase, type Db, migrateToLatest } from "../db/index.js";
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

export async function openStore(target: DatabaseTarget, logger: Logger): Promise<OpenedStore> {
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
