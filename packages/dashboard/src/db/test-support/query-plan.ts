// The engine's plan for a compiled query, as text, for tests that check which index serves a query.
import { CompiledQuery as Compiled, type CompiledQuery, sql } from "kysely";
import type { Db } from "../index.js";

export async function queryPlan(db: Db, engine: string, compiled: CompiledQuery): Promise<string> {
  if (engine === "sqlite") {
    const plan = await db.executeQuery<{ detail: string }>(
      Compiled.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
    );
    return plan.rows.map((row) => row.detail).join("\n");
  }
  // PostgreSQL reads a small table whole; with sequential scans off it shows which index serves.
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const plan = await trx.executeQuery<{ "QUERY PLAN": string }>(
      Compiled.raw(`explain ${compiled.sql}`, [...compiled.parameters]),
    );
    return plan.rows.map((row) => row["QUERY PLAN"]).join("\n");
  });
}
