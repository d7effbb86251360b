// Restore targets for the backup tests: an empty SQLite data dir, or an empty PostgreSQL database
// (created on the run's server, dropped again by `close`), plus a row-by-row dump to compare databases.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import type { Engine } from "../../../../../test/support/databases.js";
import { testPostgresUrl } from "../../../../../test/support/databases.js";
import type { RestoreTarget } from "../restore-target.js";
import { type AnyDb, listTables } from "../tables.js";

export interface EmptyTarget {
  target: RestoreTarget;
  close(): Promise<void>;
}

export async function emptyTarget(engine: Engine): Promise<EmptyTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), "wgfleet-restore-"));
  if (engine === "sqlite") {
    return {
      target: { dataDir: join(dataDir, "data"), databaseUrl: null, envKey: null },
      close: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const adminUrl = await testPostgresUrl();
  const name = `wgfleet_restore_${randomBytes(6).toString("hex")}`;
  await withAdmin(adminUrl, (admin) => admin.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    target: { dataDir: join(dataDir, "data"), databaseUrl: url.toString(), envKey: null },
    close: async () => {
      await withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Every table's rows, each as JSON text, sorted: equal dumps mean equal data on any engine. */
export async function dumpTables(db: AnyDb): Promise<Record<string, string[]>> {
  const dump: Record<string, string[]> = {};
  for (const table of (await listTables(db)).sort()) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    dump[table] = rows
      .map((row) =>
        JSON.stringify(Object.fromEntries(Object.entries(row).sort(([a], [b]) => a.localeCompare(b)))),
      )
      .sort();
  }
  return dump;
}
