import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { closeDatabase, createDatabase, type Db } from "./connection.js";
import { statementName } from "./named-statements.js";
import { PreparedQuery } from "./prepared-query.js";
import { insertNode } from "./test-support/rows.js";

/** A `select *`: the statement whose result type a migration of another replica changes. */
const nodeById = new PreparedQuery((db: Db, id: string) =>
  db.selectFrom("nodes").selectAll().where("id", "=", id),
);

const nodeWeight = new PreparedQuery((db: Db, id: string) =>
  db.selectFrom("nodes").select(["name", "weight"]).where("id", "=", id),
);

/** Its own text, so its plan counters are its own. */
const nodeWeightOnly = new PreparedQuery((db: Db, id: string) =>
  db.selectFrom("nodes").select("weight").where("id", "=", id),
);

const unnamedWeight = new PreparedQuery(
  (db: Db, id: string) => db.selectFrom("nodes").select(["weight", "name"]).where("id", "=", id),
  { named: false },
);

interface PreparedStatement {
  name: string;
  executions: number;
}

/** The named statements of the connection `db` runs on, with how often each ran since its Parse. */
async function preparedStatements(db: Db): Promise<PreparedStatement[]> {
  const { rows } = await sql<PreparedStatement>`
    select name, generic_plans + custom_plans as executions from pg_prepared_statements order by name
  `.execute(db);
  return rows;
}

forEachEngine("named statements", (open, engine) => {
  let opened: OpenedDatabase;
  /** One connection, so every statement below runs on the same PostgreSQL session. */
  let single: Db;
  beforeAll(async () => {
    opened = await open();
    single = opened.url ? await createDatabase({ url: opened.url, poolSize: 1 }) : opened.db;
  });
  afterAll(async () => {
    if (single !== opened?.db) await closeDatabase(single);
    await opened?.close();
  });

  if (engine === "sqlite") {
    it("leaves SQLite's statements unnamed (better-sqlite3 caches them)", async () => {
      const id = await insertNode(single, { name: `s-${randomUUID()}`, weight: 3 });
      expect(await nodeWeight.rows(single, id)).toEqual([expect.objectContaining({ weight: 3 })]);
      const text = single.selectFrom("nodes").select(["name", "weight"]).where("id", "=", id).compile().sql;
      expect(statementName(text)).toBeUndefined();
    });
    return;
  }

  it("plans every run for its values: no generic plan frozen with the statistics of a young table", async () => {
    const id = await insertNode(single, { name: `p-${randomUUID()}`, weight: 2 });
    await sql`analyze nodes`.execute(single);
    for (let run = 0; run < 8; run++) await nodeWeightOnly.rows(single, id);
    const name = statementName(
      single.selectFrom("nodes").select("weight").where("id", "=", id).compile().sql,
    );
    const { rows } = await sql<{ generic_plans: number; custom_plans: number }>`
      select generic_plans, custom_plans from pg_prepared_statements where name = ${name}
    `.execute(single);
    expect(rows).toEqual([{ generic_plans: 0, custom_plans: expect.any(Number) }]);
    expect(rows[0]?.custom_plans).toBeGreaterThanOrEqual(8);
  });

  it("parses a statement once per connection and gives the rows an unnamed run gives", async () => {
    const id = await insertNode(single, { name: `p-${randomUUID()}`, weight: 7 });
    const unnamed = await single
      .selectFrom("nodes")
      .select(["name", "weight"])
      .where("id", "=", id)
      .execute();
    for (let run = 0; run < 3; run++) expect(await nodeWeight.rows(single, id)).toEqual(unnamed);
    await single.transaction().execute(async (trx) => {
      expect(await nodeWeight.rows(trx, id)).toEqual(unnamed);
    });
    const text = single.selectFrom("nodes").select(["name", "weight"]).where("id", "=", id).compile().sql;
    const name = statementName(text);
    expect(name).toMatch(/^wgfleet_[0-9a-f]{24}$/);
    expect(await preparedStatements(single)).toContainEqual({ name, executions: 4 });
  });

  it("leaves a statement built with named: false and every other statement unnamed", async () => {
    const id = await insertNode(single, { weight: 9 });
    expect(await unnamedWeight.rows(single, id)).toEqual([expect.objectContaining({ weight: 9 })]);
    await single.selectFrom("nodes").select("id").where("id", "=", id).execute();
    const before = await preparedStatements(single);
    expect(await unnamedWeight.rows(single, id)).toHaveLength(1);
    expect(await preparedStatements(single)).toEqual(before);
    const text = single.selectFrom("nodes").select(["weight", "name"]).where("id", "=", id).compile().sql;
    expect(statementName(text)).toBeUndefined();
  });

  it("prepares a `select *` afresh when another replica's migration changes its table", async () => {
    const id = await insertNode(single, { name: `m-${randomUUID()}` });
    const text = single.selectFrom("nodes").selectAll().where("id", "=", id).compile().sql;
    await nodeById.rows(single, id);
    const name = statementName(text) as string;
    expect((await preparedStatements(single)).map((s) => s.name)).toContain(name);

    // Outside a transaction: the statement is dropped, prepared again and run again, unseen.
    await sql`alter table nodes add column added_by_newer_replica text`.execute(opened.db);
    const [row] = await nodeById.rows(single, id);
    expect(row).toHaveProperty("added_by_newer_replica", null);
    const renamed = (await preparedStatements(single)).map((s) => s.name).filter((n) => n.startsWith(name));
    expect(renamed).toEqual([`${name}_1`]);

    // Inside a transaction the error has aborted it: thrown once, then the next run prepares afresh
    // and the stale statement is deallocated.
    await sql`alter table nodes add column added_later text`.execute(opened.db);
    await expect(
      single.transaction().execute(async (trx) => {
        await nodeById.rows(trx, id);
      }),
    ).rejects.toMatchObject({ code: "0A000" });
    const [again] = await single.transaction().execute((trx) => nodeById.rows(trx, id));
    expect(again).toHaveProperty("added_later", null);
    const names = (await preparedStatements(single)).map((s) => s.name).filter((n) => n.startsWith(name));
    expect(names).toEqual([`${name}_2`]);
  });
});
