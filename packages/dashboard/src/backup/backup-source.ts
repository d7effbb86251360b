// What a backup reads: the database `serve` uses and the key that decrypts its secrets. Opened as it
// is — never created, never migrated (a data dir without a database is refused, not initialised) —
// and the key is checked against the database's key check value, so a backup always decrypts.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { createDatabase, type Db, SQLITE_FILE_NAME } from "../db/index.js";
import {
  KEY_CHECK_META_KEY,
  loadSecretKey,
  SECRET_KEY_ENV,
  SECRET_KEY_FILE_NAME,
  SecretBox,
} from "../secrets/index.js";
import { describeDatabase, type RestoreTarget } from "./restore-target.js";
import { hasMigrationTable } from "./tables.js";

export interface BackupSource {
  db: Db;
  secretKey: Buffer;
  close(): Promise<void>;
}

export async function openBackupSource(target: RestoreTarget): Promise<BackupSource> {
  const where = describeDatabase(target);
  if (target.databaseUrl === null && !existsSync(join(target.dataDir, SQLITE_FILE_NAME))) {
    throw new Error(
      `there is no wgfleet database in ${target.dataDir} (no ${SQLITE_FILE_NAME}); nothing to back up`,
    );
  }
  const secretKey = readKey(target);
  const db = await createDatabase(
    target.databaseUrl === null ? { dataDir: target.dataDir } : { url: target.databaseUrl, poolSize: 2 },
  );
  try {
    if (!(await hasMigrationTable(db))) throw new Error(`${where} holds no wgfleet data; nothing to back up`);
    await assertKeyMatches(db, secretKey);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, secretKey, close: () => db.destroy() };
}

function readKey(target: RestoreTarget): Buffer {
  const hasEnvKey = target.envKey !== null && target.envKey.trim() !== "";
  if (!hasEnvKey && !existsSync(join(target.dataDir, SECRET_KEY_FILE_NAME))) {
    throw new Error(
      `there is no ${SECRET_KEY_FILE_NAME} in ${target.dataDir} and ${SECRET_KEY_ENV} is not set: without the key the backup's secrets could not be decrypted`,
    );
  }
  return loadSecretKey({ dataDir: target.dataDir, envKey: target.envKey ?? "" }).key;
}

async function assertKeyMatches(db: Db, key: Buffer): Promise<void> {
  const { rows } = await sql<{
    value: string;
  }>`select value from meta where key = ${KEY_CHECK_META_KEY}`.execute(db);
  const stored = rows[0]?.value;
  if (stored !== undefined && !SecretBox.fromKey(key).matchesCheckValue(stored)) {
    throw new Error("the secret key does not match the one this database's secrets were encrypted with");
  }
}
