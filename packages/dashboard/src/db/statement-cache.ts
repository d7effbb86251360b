// SQLite: Kysely asks better-sqlite3 to prepare every statement it runs, and preparing (parsing and
// planning the SQL) costs more than running the small statements of the hot paths. This hands Kysely
// the prepared statement of the same SQL text again. It must never return a statement that is in the
// middle of an iteration (a stream), and never grows without bound.
import type { Database as BetterSqliteDatabase, Statement } from "better-sqlite3";
import type { SqliteDatabase } from "kysely";

/** Distinct SQL texts kept; the query shapes of the dashboard are far fewer. */
export const STATEMENT_CACHE_SIZE = 500;

export function withStatementCache(
  database: BetterSqliteDatabase,
  capacity = STATEMENT_CACHE_SIZE,
): SqliteDatabase {
  const prepare = statementCache(database, capacity);
  return {
    close: () => database.close(),
    prepare,
  };
}

/**
 * `prepare` with the least recently used `capacity` statements kept. `configure` is applied to each
 * statement it prepares (the array-row reader's cache sets raw mode): a cache's statements are only
 * ever handed to users of that cache.
 */
export function statementCache(
  database: BetterSqliteDatabase,
  capacity = STATEMENT_CACHE_SIZE,
  configure: (statement: Statement) => Statement = (statement) => statement,
): (sql: string) => Statement {
  // Map order is insertion order: re-inserting on use makes the first key the least recently used.
  const statements = new Map<string, Statement>();
  return (sql: string) => {
    const cached = statements.get(sql);
    if (cached && !cached.busy) {
      statements.delete(sql);
      statements.set(sql, cached);
      return cached;
    }
    const statement = configure(database.prepare(sql));
    if (cached) return statement; // the cached one is streaming: this one is used once
    statements.set(sql, statement);
    if (statements.size > capacity) {
      const oldest = statements.keys().next().value;
      if (oldest !== undefined) statements.delete(oldest);
    }
    return statement;
  };
}
