import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  engineSkipReason,
  forEachEngine,
  type OpenedDatabase,
  openTestDatabase,
} from "../../../../test/support/databases.js";
import { findFreePort } from "../../../../test/support/postgres.js";
import { closeDatabase, createDatabase, dialectOf, SQLITE_FILE_NAME } from "./connection.js";

describe("createDatabase with a data dir (SQLite)", () => {
  let parent: string;
  beforeAll(() => {
    parent = mkdtempSync(join(tmpdir(), "wgfleet-conn-"));
  });
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it("creates the data dir with mode 0700 and the database file in it", async () => {
    const dataDir = join(parent, "nested", "data");
    const db = await createDatabase({ dataDir });
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, SQLITE_FILE_NAME)).isFile()).toBe(true);
      expect(dialectOf(db)).toBe("sqlite");
    } finally {
      await closeDatabase(db);
    }
  });

  it("sets WAL, foreign keys, the busy timeout and synchronous=NORMAL", async () => {
    const db = await createDatabase({ dataDir: join(parent, "pragmas") });
    try {
      const pragma = async (name: string) => {
        const { rows } = await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db);
        return Object.values(rows[0] ?? {})[0];
      };
      expect(await pragma("journal_mode")).toBe("wal");
      expect(await pragma("foreign_keys")).toBe(1);
      expect(await pragma("busy_timeout")).toBe(5000);
      expect(await pragma("synchronous")).toBe(1); // NORMAL
    } finally {
      await closeDatabase(db);
    }
  });

  it("says which data dir it could not open", async () => {
    const notADir = join(parent, "a-file");
    writeFileSync(notADir, "");
    await expect(createDatabase({ dataDir: notADir })).rejects.toThrow(
      `cannot open the database (SQLite in ${notADir})`,
    );
  });

  it("keeps the data when opened again", async () => {
    const dataDir = join(parent, "reopen");
    const first = await createDatabase({ dataDir });
    await sql`create table t (x integer)`.execute(first);
    await sql`insert into t values (42)`.execute(first);
    await closeDatabase(first);
    const second = await createDatabase({ dataDir });
    try {
      const { rows } = await sql<{ x: number }>`select x from t`.execute(second);
      expect(rows).toEqual([{ x: 42 }]);
    } finally {
      await closeDatabase(second);
    }
  });
});

describe("createDatabase with a URL", () => {
  it("refuses a URL that is not postgres://", async () => {
    await expect(createDatabase({ url: "mysql://u:p@localhost/db" })).rejects.toThrow(/postgres:\/\//);
    await expect(createDatabase({ url: "not a url" })).rejects.toThrow(/not a valid URL/);
  });

  it("says where it could not connect, without the password", async () => {
    const port = await findFreePort();
    const attempt = createDatabase({ url: `postgres://wgfleet:hunter2secret@127.0.0.1:${port}/wgfleet` });
    const error = await attempt.then(
      () => null,
      (thrown: Error) => thrown,
    );
    expect(error?.message).toMatch(
      new RegExp(`cannot open the database \\(PostgreSQL at 127.0.0.1:${port}/wgfleet\\)`),
    );
    expect(error?.message).not.toContain("hunter2secret");
  });
});

forEachEngine("a database connection", (open, engine) => {
  let opened: OpenedDatabase;
  beforeAll(async () => {
    opened = await open();
  });
  afterAll(async () => {
    await opened?.close();
  });

  it("knows its engine, inside a transaction too", async () => {
    expect(dialectOf(opened.db)).toBe(engine);
    await opened.db.transaction().execute(async (trx) => {
      expect(dialectOf(trx)).toBe(engine);
    });
  });

  it("returns 64-bit integers and counts as numbers", async () => {
    const { rows } = await sql<{ big: number; count: number }>`
      select cast(${2 ** 40 + 3} as bigint) as big, (select count(*) from nodes) as count`.execute(opened.db);
    expect(rows[0]).toEqual({ big: 2 ** 40 + 3, count: 0 });
  });
});

describe.skipIf(engineSkipReason("postgres") !== null)("a PostgreSQL connection", () => {
  let opened: OpenedDatabase;
  beforeAll(async () => {
    opened = await openTestDatabase("postgres");
  });
  afterAll(async () => {
    await opened?.close();
  });

  it("leaves numeric exact (text): cast a sum of bigints back to bigint to get a number", async () => {
    const { rows } = await sql<{ exact: unknown; summed: unknown; cast: unknown }>`
      select cast(1.50 as numeric) as exact,
             sum(v) as summed,
             cast(sum(v) as bigint) as cast
      from (values (cast(5000000000 as bigint)), (cast(1 as bigint))) as t(v)`.execute(opened.db);
    expect(rows[0]).toEqual({ exact: "1.50", summed: "5000000001", cast: 5000000001 });
  });
});
