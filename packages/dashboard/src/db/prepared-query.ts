// Statements of the hot paths (every peer creation runs them) built and compiled by Kysely once per
// engine and shape, then run again with new values: building the query tree and compiling it to SQL
// cost more than running these small statements. The query is compiled with a marker string in place
// of each value (each element of an array, each field of a row); each run binds the caller's values at
// the markers' positions. The shape is the arrays' lengths and the rows' defined fields, so an
// `in (...)` list or a multi-row insert compiles once per length. Only for statements whose SQL does
// not depend on a value otherwise (no `is` with a value); a value that does not reach the parameters
// is an error at the first compile. On PostgreSQL the compiled texts also run as named server-side
// prepared statements (see named-statements.ts), so the server does not plan them on every run either.
import { type Compilable, type CompiledQuery, NoResultError, type QueryNode, type QueryResult } from "kysely";
import { type Db, dialectOf } from "./connection.js";
import { nameStatement } from "./named-statements.js";

/** Where a value sits in the arguments: argument index, then array indexes / field names. */
type Path = readonly (number | string)[];

/** Where a compiled parameter comes from: a constant of the statement, or a value of the arguments. */
type Binding = { constant: unknown } | { path: Path };

interface Compiled {
  query: CompiledQuery;
  bindings: Binding[];
}

const MARKER = "\u0000wgfleet-value:";

export interface PreparedQueryOptions {
  /**
   * Run as a named statement on PostgreSQL (default true). False for statements whose row count
   * differs from run to run (batches): each count is a text of its own, and every connection would
   * keep a server statement per count.
   */
  named?: boolean;
}

export class PreparedQuery<A extends readonly unknown[], R> {
  private readonly compiled = new Map<string, Compiled>();
  private readonly named: boolean;

  /** `build` must put every value it is given into the query as it is (not compare or transform it). */
  constructor(
    private readonly build: (db: Db, ...args: A) => Compilable<R>,
    options: PreparedQueryOptions = {},
  ) {
    this.named = options.named ?? true;
  }

  /** Runs on `db`, which may be a transaction. */
  async execute(db: Db, ...args: A): Promise<QueryResult<R>> {
    const { query, bindings } = this.compiledFor(db, args);
    const parameters = bindings.map((binding) =>
      "constant" in binding ? binding.constant : valueAt(args, binding.path),
    );
    // The database has no plugins, so the compiled tree and its query id need no per-run transform.
    return db.executeQuery<R>({ ...query, parameters } as CompiledQuery<R>);
  }

  /** The rows of a run. */
  async rows(db: Db, ...args: A): Promise<R[]> {
    return (await this.execute(db, ...args)).rows;
  }

  /** The first row, or Kysely's NoResultError as `executeTakeFirstOrThrow` throws it. */
  async firstOrThrow(db: Db, ...args: A): Promise<R> {
    const [row] = await this.rows(db, ...args);
    if (row === undefined) throw new NoResultError(this.compiledFor(db, args).query.query as QueryNode);
    return row;
  }

  /** The rows an insert, update or delete without RETURNING changed. */
  async affected(db: Db, ...args: A): Promise<number> {
    return Number((await this.execute(db, ...args)).numAffectedRows ?? 0n);
  }

  private compiledFor(db: Db, args: A): Compiled {
    const dialect = dialectOf(db);
    const key = `${dialect}|${shapeOf(args)}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      compiled = this.compile(db, args);
      this.compiled.set(key, compiled);
      if (this.named && dialect === "postgres") nameStatement(compiled.query.sql);
    }
    return compiled;
  }

  private compile(db: Db, args: A): Compiled {
    const markers = new Map<string, Path>();
    const marked = args.map((arg, i) => markValues(arg, [i], markers)) as unknown as A;
    const query = this.build(db, ...marked).compile();
    const bound = new Set<string>();
    const bindings = query.parameters.map((parameter): Binding => {
      const path = typeof parameter === "string" ? markers.get(parameter) : undefined;
      if (path === undefined) return { constant: parameter };
      bound.add(parameter as string);
      return { path };
    });
    if (bound.size !== markers.size) {
      throw new Error(`a prepared query does not bind all of its values: ${query.sql}`);
    }
    return { query, bindings };
  }
}

/** The value with a marker string in place of every leaf; `undefined` fields are left out (as Kysely does). */
function markValues(value: unknown, path: Path, markers: Map<string, Path>): unknown {
  if (Array.isArray(value)) return value.map((item, i) => markValues(item, [...path, i], markers));
  if (isRow(value)) {
    const marked: Record<string, unknown> = {};
    for (const [field, inner] of Object.entries(value)) {
      if (inner !== undefined) marked[field] = markValues(inner, [...path, field], markers);
    }
    return marked;
  }
  const marker = `${MARKER}${path.join(".")}`;
  markers.set(marker, path);
  return marker;
}

/**
 * What decides the SQL: arrays' lengths, rows' defined fields in order. Built for every run (a peer
 * row has some 30 fields), so in one string without intermediate arrays.
 */
function shapeOf(value: unknown): string {
  if (Array.isArray(value)) {
    let shape = "[";
    for (let i = 0; i < value.length; i++) shape += (i > 0 ? "," : "") + shapeOf(value[i]);
    return `${shape}]`;
  }
  if (isRow(value)) {
    let shape = "{";
    for (const field in value) {
      const inner = value[field];
      if (inner !== undefined) shape += `${field}:${shapeOf(inner)},`;
    }
    return `${shape}}`;
  }
  return "";
}

function valueAt(args: readonly unknown[], path: Path): unknown {
  let value: unknown = args;
  for (const step of path) value = (value as Record<string | number, unknown>)[step];
  return value;
}

function isRow(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
