import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withStatementCache } from "./statement-cache.js";

describe("withStatementCache", () => {
  let dir: string;
  let database: BetterSqlite3.Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "wgfleet-stmt-"));
    database = new BetterSqlite3(join(dir, "test.db"));
    database.exec("create table t (n integer)");
    database.exec("insert into t values (1), (2), (3)");
  });
  afterEach(() => {
    if (database.open) database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prepares each SQL text once and runs it again with new parameters", () => {
    const cached = withStatementCache(database);
    const first = cached.prepare("select n from t where n >= ? order by n");
    expect(first.all([2])).toEqual([{ n: 2 }, { n: 3 }]);
    const again = cached.prepare("select n from t where n >= ? order by n");
    expect(again).toBe(first);
    expect(again.all([3])).toEqual([{ n: 3 }]);
    expect(cached.prepare("select count(*) as c from t")).not.toBe(first);
  });

  it("does not hand out a statement that is streaming", () => {
    const cached = withStatementCache(database);
    const streaming = cached.prepare("select n from t order by n");
    const rows = streaming.iterate([]);
    expect(rows.next().value).toEqual({ n: 1 });
    const other = cached.prepare("select n from t order by n");
    expect(other).not.toBe(streaming);
    expect(other.all([])).toHaveLength(3);
    expect([...rows]).toEqual([{ n: 2 }, { n: 3 }]);
    expect(cached.prepare("select n from t order by n")).toBe(streaming);
  });

  it("keeps at most its capacity, dropping the least recently used", () => {
    const cached = withStatementCache(database, 2);
    const a = cached.prepare("select 1 as a");
    const b = cached.prepare("select 2 as b");
    expect(cached.prepare("select 1 as a")).toBe(a); // a is now the most recent
    cached.prepare("select 3 as c"); // drops b
    expect(cached.prepare("select 1 as a")).toBe(a);
    expect(cached.prepare("select 2 as b")).not.toBe(b);
  });

  it("closes the database", () => {
    const cached = withStatementCache(database);
    cached.prepare("select 1");
    cached.close();
    expect(database.open).toBe(false);
  });
});
