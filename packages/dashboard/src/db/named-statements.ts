// PostgreSQL: the hot-path statements as named server-side prepared statements. Kysely sends every
// statement unnamed, and PostgreSQL parses, analyzes and plans an unnamed statement on every run;
// for the small statements of a peer creation that was most of the server's CPU. A named statement is
// parsed once per connection, then only bound and executed (pg remembers per connection which names
// it has prepared).
//
// Design: PreparedQuery (prepared-query.ts) registers the SQL text it compiled for PostgreSQL here;
// the name is derived from the text, so it is the same in every replica and on every connection. The
// pool handed to Kysely's PostgresDialect gives out clients that send a registered text with its name
// and every other statement as before. Kysely runs a transaction's statements on one client, so a
// statement is named the same way in a transaction and outside one. Each run is still planned for its
// values (the pool's sessions set plan_cache_mode = force_custom_plan, see connection.ts): a generic
// plan made while a table was nearly empty would otherwise stay until the next ANALYZE.
//
// Replicas of different versions share a database: when another replica's migration changes a table
// under a prepared `select *`, PostgreSQL refuses the old statement with "cached plan must not change
// result type" (SQLSTATE 0A000). The client then drops that statement and prepares the text afresh
// under a new name (pg cannot be told to forget a name it prepared) and runs it again; inside a
// transaction the error has aborted the transaction, so it is thrown and the next run on that
// connection uses the new name (the old one is deallocated as soon as the connection can).
import { createHash } from "node:crypto";
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import type pg from "pg";

/**
 * Distinct texts named at most. The texts of one statement differ only by the lengths of `in` lists
 * (the nodes or interfaces of a configuration), so this is never reached in practice; it bounds the
 * server statements each connection keeps if it were.
 */
export const NAMED_STATEMENT_LIMIT = 256;

const FEATURE_NOT_SUPPORTED = "0A000";
const UNDEFINED_STATEMENT = "26000";

const names = new Map<string, string>();

/** Runs `sql` as a named statement from now on (up to NAMED_STATEMENT_LIMIT texts). */
export function nameStatement(sql: string): void {
  if (names.has(sql) || names.size >= NAMED_STATEMENT_LIMIT) return;
  names.set(sql, `wgfleet_${createHash("sha256").update(sql).digest("hex").slice(0, 24)}`);
}

/** The statement name of a registered SQL text, or undefined. */
export function statementName(sql: string): string | undefined {
  return names.get(sql);
}

/** The pool for Kysely's PostgresDialect: its clients name the registered statements. */
export function namingPool(pool: pg.Pool): PostgresPool {
  const clients = new WeakMap<pg.PoolClient, NamingClient>();
  return {
    async connect() {
      const client = await pool.connect();
      // One wrapper per pg client: it holds the client's renamed statements, and Kysely keeps its
      // connection object per client object.
      let naming = clients.get(client);
      if (!naming) {
        naming = new NamingClient(client);
        clients.set(client, naming);
      }
      return naming;
    },
    end: () => pool.end(),
  };
}

class NamingClient implements PostgresPoolClient {
  /** Base name → the name the text is prepared under on this connection after a schema change. */
  private readonly renamed = new Map<string, string>();
  /** Stale names to deallocate once the connection is out of its failed transaction. */
  private readonly stale: string[] = [];
  private renames = 0;

  constructor(private readonly client: pg.PoolClient) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== "string") {
      return this.client.query(sqlOrCursor as never) as unknown as PostgresCursor<R>;
    }
    const name = statementName(sqlOrCursor);
    const values = parameters as unknown[];
    if (name === undefined) return this.client.query(sqlOrCursor, values) as never;
    return this.named(name, sqlOrCursor, values);
  }

  release(destroy?: boolean): void {
    this.client.release(destroy);
  }

  private async named<R>(base: string, text: string, values: unknown[]): Promise<PostgresQueryResult<R>> {
    if (this.stale.length > 0) await this.deallocateStale();
    const name = this.renamed.get(base) ?? base;
    try {
      return (await this.client.query({ name, text, values })) as never;
    } catch (error) {
      if ((error as { code?: unknown }).code !== FEATURE_NOT_SUPPORTED) throw error;
      // Any other 0A000 fails again on a fresh statement and is thrown then.
      this.renamed.set(base, `${base}_${++this.renames}`);
      this.stale.push(name);
      if (this.client.getTransactionStatus() === "E") throw error;
      await this.deallocateStale();
      return (await this.client.query({ name: this.renamed.get(base), text, values })) as never;
    }
  }

  /**
   * DEALLOCATE is refused in a failed transaction: then it waits for the next statement. A name
   * that never got prepared (its Parse was what failed) is not there to drop.
   */
  private async deallocateStale(): Promise<void> {
    if (this.client.getTransactionStatus() === "E") return;
    for (const name of this.stale.splice(0)) {
      await this.client.query(`deallocate ${name}`).catch((error: { code?: unknown }) => {
        if (error.code !== UNDEFINED_STATEMENT) throw error;
      });
    }
  }
}
