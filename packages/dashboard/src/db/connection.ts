// Opens the dashboard database: SQLite in the data directory by default, PostgreSQL when given a URL.
// The only module that knows how to connect; it never logs or throws a connection URL (passwords).
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import {
  type CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  sql,
} from "kysely";
import type pg from "pg";
import { namingPool } from "./named-statements.js";
import type { Database } from "./schema.js";
import { statementCache, withStatementCache } from "./statement-cache.js";

export type Db = Kysely<Database>;
export type DatabaseDialect = "sqlite" | "postgres";

export type DatabaseOptions =
  | {
      /**
       * SQLite: `<dataDir>/wgfleet.db`; the directory is created with mode 0700, the database and its
       * -wal / -shm files are 0600 whatever the directory's mode and the umask.
       */
      dataDir: string;
    }
  | {
      /** PostgreSQL: a `postgres://` (or `postgresql://`) URL. */
      url: string;
      /** Pool size; 10 when not given. */
      poolSize?: number;
      /** Told about errors of idle pooled connections (server restart); they are otherwise ignored. */
      onPoolError?: (error: Error) => void;
    };

export const SQLITE_FILE_NAME = "wgfleet.db";
const PG_INT8_OID = 20;

/** One round trip to the database; throws when it is unreachable (health checks, opening). */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

export async function createDatabase(options: DatabaseOptions): Promise<Db> {
  let db: Db | undefined;
  try {
    db = "url" in options ? await openPostgres(options) : openSqlite(options.dataDir);
    await pingDatabase(db);
    return db;
  } catch (error) {
    await db?.destroy().catch(() => {});
    throw new Error(`cannot open the database (${describeTarget(options)}): ${messageOf(error)}`, {
      cause: error,
    });
  }
}

export async function closeDatabase(db: Db): Promise<void> {
  await db.destroy();
}

/** Which engine a Kysely instance (or a transaction of one) talks to. */
// biome-ignore lint/suspicious/noExplicitAny: takes a Kysely of any schema, as migrations use Kysely<any>.
export function dialectOf(db: Kysely<any>): DatabaseDialect {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof SqliteAdapter) return "sqlite";
  if (adapter instanceof PostgresAdapter) return "postgres";
  throw new Error(`unsupported database adapter ${adapter.constructor.name}`);
}

/** Runs a compiled select and gives its rows as arrays of column values. */
type ArrayReader = (query: CompiledQuery) => Promise<unknown[][]>;

/** Each opened database's array reader, which talks to the driver below Kysely. */
const arrayReaders = new WeakMap<Db, ArrayReader>();

/**
 * The rows of a compiled select as arrays, values in the select list's order. For wide rows read in
 * hundreds (a page of the peer list) the driver's object per row cost more CPU than the query: with
 * better-sqlite3, 40 named columns made a page of 500 take 4.2 ms against 1.8 ms as arrays. A
 * transaction has no reader of its own and gets Kysely's objects' values, in the same order (the
 * aliases are names, never integers, so object key order is select order).
 */
export async function selectArrays(db: Db, query: CompiledQuery): Promise<unknown[][]> {
  const read = arrayReaders.get(db);
  if (read) return read(query);
  const { rows } = await db.executeQuery(query);
  return rows.map((row) => Object.values(row as object));
}

function openSqlite(dataDir: string): Db {
  ensurePrivateDirectory(dataDir);
  const file = join(dataDir, SQLITE_FILE_NAME);
  createPrivateFile(file);
  const database = new BetterSqlite3(file);
  try {
    database.pragma("journal_mode = WAL");
    database.pragma("foreign_keys = ON");
    database.pragma("busy_timeout = 5000");
    database.pragma("synchronous = NORMAL");
    // SQLite gives -wal and -shm the database file's mode; this covers files left by an older version.
    for (const suffix of ["-wal", "-shm"]) {
      if (existsSync(file + suffix)) chmodSync(file + suffix, 0o600);
    }
  } catch (error) {
    database.close();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  // Its own statements: raw mode stays set on a statement, so Kysely's cache never sees these. Run
  // holding Kysely's connection, as its queries are: never inside another caller's open transaction.
  const prepareRaw = statementCache(database, undefined, (statement) => statement.raw(true));
  arrayReaders.set(db, (query) =>
    db.connection().execute(async () => prepareRaw(query.sql).all(query.parameters) as unknown[][]),
  );
  const dataVersion = database.prepare("pragma data_version").pluck();
  outsideCommits.set(db, () => Number(dataVersion.get()));
  return db;
}

/** Each SQLite database's count of commits by other connections (PRAGMA data_version). */
const outsideCommits = new WeakMap<Db, () => number>();

/**
 * A number that changes whenever another process (an admin command) committed to this SQLite
 * database, read without a statement through Kysely; null for PostgreSQL.
 */
export function outsideCommitsOf(db: Db): (() => number) | null {
  return outsideCommits.get(db) ?? null;
}

/** Creates the file empty with mode 0600 (or tightens an existing one), before SQLite opens it. */
function createPrivateFile(path: string): void {
  closeSync(openSync(path, "a", 0o600));
  chmodSync(path, 0o600);
}

function ensurePrivateDirectory(dir: string): void {
  const existed = pathExists(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode is filtered by the umask; a directory we created must end up exactly 0700.
  if (!existed) chmodSync(dir, 0o700);
}

function pathExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The pg module, loaded only for PostgreSQL: a SQLite dashboard never needs it (about 1 MB of heap). */
export async function loadPg(): Promise<typeof pg> {
  return (await import("pg")).default;
}

async function openPostgres(options: {
  url: string;
  poolSize?: number;
  onPoolError?: (error: Error) => void;
}): Promise<Db> {
  assertPostgresUrl(options.url);
  const pg = await loadPg();
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: "wgfleet",
    types: { getTypeParser: typeParser(pg.types) } as pg.CustomTypesConfig,
  });
  // An idle client's error (server restart, network) must not crash the process: the next query
  // gets a fresh connection.
  pool.on("error", (error) => options.onPoolError?.(error));
  // Queued before anything the connection is handed out for (pg runs a client's queries in order).
  pool.on("connect", (client) => {
    client.query(CUSTOM_PLANS).catch(() => {});
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: namingPool(pool) }) });
  arrayReaders.set(db, async (query) => {
    const result = await pool.query({
      text: query.sql,
      values: query.parameters as unknown[],
      rowMode: "array",
    });
    return result.rows as unknown[][];
  });
  return db;
}

/**
 * Named statements (named-statements.ts) are planned for each run's values and the tables' current
 * size, as unnamed ones are: PostgreSQL's default would switch a statement to one generic plan after
 * five runs, made with the statistics of that moment — on a new database, of nearly empty tables, so a
 * name check or a peer update would keep reading every row of `peers` as it grows until the next
 * ANALYZE. What naming saves is the parse and analysis of every run.
 */
const CUSTOM_PLANS = "set plan_cache_mode = force_custom_plan";

/** int8 (COUNT, bigint byte counters, identity ids) as a JS number; numeric stays text (exact). */
function typeParser(types: typeof pg.types) {
  return (oid: number, format?: "text" | "binary"): ((value: string) => unknown) => {
    if (oid === PG_INT8_OID && format !== "binary") return (value: string) => Number(value);
    return types.getTypeParser(oid, format ?? "text") as (value: string) => unknown;
  };
}

function assertPostgresUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new Error("the database URL is not a valid URL");
  }
  if (protocol !== "postgres:" && protocol !== "postgresql:") {
    throw new Error(`the database URL must start with postgres:// (got ${protocol}//)`);
  }
}

/** Where we tried to connect, without credentials. */
function describeTarget(options: DatabaseOptions): string {
  if (!("url" in options)) return `SQLite in ${options.dataDir}`;
  try {
    const url = new URL(options.url);
    return `PostgreSQL at ${url.hostname || "localhost"}:${url.port || "5432"}${url.pathname}`;
  } catch {
    return "PostgreSQL";
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
