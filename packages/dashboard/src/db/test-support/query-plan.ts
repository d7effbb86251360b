// The engine's plan for a compiled query, as text, for tests that check which index serves a query.
import { CompiledQuery as Compiled, type CompiledQuery, sql } from "kysely";
import type { Db } from "../index.js";

export async function queryPlan(db: Db, engine: string, compiled: CompiledQuery): Promise<string> {
  if (engine === "sqlite") return ownQueryPlan(db, engine, compiled);
  // PostgreSQL reads a small table whole; with sequential scans off it shows which index serves.
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    return ownQueryPlan(trx, engine, compiled);
  });
}

/**
 * The plan the engine picks by itself (PostgreSQL's sequential scans allowed): for tests over tables
 * large enough, and analyzed, that a sequential scan is a real choice the planner must not make.
 */
export async function ownQueryPlan(db: Db, engine: string, compiled: CompiledQuery): Promise<string> {
  const explain = engine === "sqlite" ? "explain query plan" : "explain";
  const plan = await db.executeQuery<{ detail?: string; "QUERY PLAN"?: string }>(
    Compiled.raw(`${explain} ${compiled.sql}`, [...compiled.parameters]),
  );
  return plan.rows.map((row) => row.detail ?? row["QUERY PLAN"]).join("\n");
}
