// Runs a suite on both database engines: `forEachEngine(name, (open) => { ... })` declares
// "name [sqlite]" and "name [postgres]"; each `open()` gives a fresh, migrated database (a SQLite file
// in a temp dir, or a new database on the run's PostgreSQL) and a `close()` that removes it again.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, inject } from "vitest";
import { createDatabase, type Db, migrateToLatest } from "../../packages/dashboard/src/db/index.js";
import type { TestPostgresPlan } from "./global-setup.js";
import { sharedPostgresUrl } from "./postgres.js";

export type Engine = "sqlite" | "postgres";

export interface OpenedDatabase {
  db: Db;
  /** A fresh private directory (the SQLite file lives here; SecretBox keys can too). */
  dataDir: string;
  /** The PostgreSQL database's URL (for connections of one's own); null on SQLite. */
  url: string | null;
  /** Destroys the Kysely instance and removes the database and the directory. Idempotent. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Run the migrations (default true); false gives an empty database. */
  migrate?: boolean;
}

export type OpenDatabase = (options?: OpenOptions) => Promise<OpenedDatabase>;

export const ENGINES: readonly Engine[] = ["sqlite", "postgres"];

export function forEachEngine(name: string, body: (open: OpenDatabase, engine: Engine) => void): void {
  for (const engine of ENGINES) {
    const skipReason = engineSkipReason(engine);
    describe.skipIf(skipReason !== null)(`${name} [${engine}]`, () => {
      body((options) => openTestDatabase(engine, options), engine);
    });
  }
}

let warned = false;

function postgresPlan(): TestPostgresPlan {
  const plan = inject("wgfleetPostgres") as TestPostgresPlan | undefined;
  if (plan) return plan;
  const skipReason = "test/support/global-setup.ts did not run (a Vitest config without it?)";
  if (process.env.CI === "true") throw new Error(`CI=true and the tests need PostgreSQL: ${skipReason}`);
  return { externalUrl: null, stateDir: null, skipReason };
}

/** Why an engine's tests are skipped on this machine, or null. */
export function engineSkipReason(engine: Engine): string | null {
  if (engine === "sqlite") return null;
  const reason = postgresPlan().skipReason;
  if (reason !== null && !warned) {
    warned = true;
    console.warn(`skipping PostgreSQL tests: ${reason}`);
  }
  return reason;
}

/** The maintenance URL of the run's PostgreSQL (a superuser, or a CREATEDB user), starting it if needed. */
export async function testPostgresUrl(): Promise<string> {
  const plan = postgresPlan();
  if (plan.externalUrl) return plan.externalUrl;
  if (plan.stateDir) return sharedPostgresUrl(plan.stateDir);
  throw new Error(`PostgreSQL is not available for tests: ${plan.skipReason}`);
}

export async function openTestDatabase(engine: Engine, options: OpenOptions = {}): Promise<OpenedDatabase> {
  const { migrated, ...opened } = engine === "sqlite" ? await openSqlite() : await openPostgres(options);
  if ((options.migrate ?? true) && !migrated) {
    try {
      await migrateToLatest(opened.db);
    } catch (error) {
      await opened.close();
      throw error;
    }
  }
  return opened;
}

function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), "wgfleet-test-"));
}

async function openSqlite(): Promise<OpenedDatabase & { migrated: boolean }> {
  const dataDir = makeDataDir();
  let db: Db;
  try {
    db = await createDatabase({ dataDir });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    db,
    dataDir,
    url: null,
    migrated: false,
    close: once(async () => {
      try {
        await db.destroy();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }),
  };
}

async function openPostgres(options: OpenOptions): Promise<OpenedDatabase & { migrated: boolean }> {
  const adminUrl = await testPostgresUrl();
  const plan = postgresPlan();
  // The private cluster keeps a migrated template, so a fresh database is a quick file copy; an
  // external server (whose template could be stale) gets each database migrated from scratch.
  const template =
    (options.migrate ?? true) && plan.externalUrl === null ? await migratedTemplate(adminUrl) : null;
  const name = `wgfleet_test_${randomBytes(8).toString("hex")}`;
  await withAdmin(adminUrl, (admin) => createEmptyDatabase(admin, name, template));
  const dataDir = makeDataDir();
  const url = databaseUrl(adminUrl, name);
  let db: Db;
  try {
    db = await createDatabase({ url, poolSize: 4 });
  } catch (error) {
    await dropDatabase(adminUrl, name).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    db,
    dataDir,
    url,
    migrated: template !== null,
    close: once(async () => {
      try {
        await db.destroy();
        await dropDatabase(adminUrl, name);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }),
  };
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function createEmptyDatabase(admin: pg.Client, name: string, template: string | null): Promise<void> {
  const { rows } = await admin.query<{ version: string }>(
    "select current_setting('server_version_num') as version",
  );
  const fileCopy = Number(rows[0]?.version) >= 150000 ? " strategy = file_copy" : "";
  await admin.query(`create database ${name} template ${template ?? "template1"}${fileCopy}`);
}

const TEMPLATE_NAME = "wgfleet_test_template";
const TEMPLATE_LOCK = 7_270_001;
let templateReady: Promise<string> | undefined;

/** The run's migrated template database, built once by whichever worker asks first. */
function migratedTemplate(adminUrl: string): Promise<string> {
  templateReady ??= withAdmin(adminUrl, async (admin) => {
    await admin.query("select pg_advisory_lock($1)", [TEMPLATE_LOCK]);
    const existing = await admin.query("select 1 from pg_database where datname = $1", [TEMPLATE_NAME]);
    if (existing.rowCount) return TEMPLATE_NAME;
    // Built under another name and renamed when complete: a half-built template is never used.
    const building = `${TEMPLATE_NAME}_building`;
    await admin.query(`drop database if exists ${building} with (force)`);
    await createEmptyDatabase(admin, building, null);
    const db = await createDatabase({ url: databaseUrl(adminUrl, building), poolSize: 1 });
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
    await admin.query(`alter database ${building} rename to ${TEMPLATE_NAME}`);
    await admin.query(`alter database ${TEMPLATE_NAME} with is_template true allow_connections false`);
    return TEMPLATE_NAME;
  });
  templateReady.catch(() => {
    templateReady = undefined;
  });
  return templateReady;
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
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

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= action();
    return done;
  };
}
