import { randomUUID } from "node:crypto";
import { NoResultError } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import type { Db } from "./connection.js";
import { PreparedQuery } from "./prepared-query.js";
import { insertNode } from "./test-support/rows.js";

const nodeNames = new PreparedQuery((db: Db, ids: readonly string[]) =>
  db.selectFrom("nodes").select(["id", "name"]).where("id", "in", ids).orderBy("name"),
);

/** A constant of the statement (the weight step) between two values. */
const raiseWeight = new PreparedQuery((db: Db, id: string, updatedAt: string) =>
  db
    .updateTable("nodes")
    .set((eb) => ({ weight: eb("weight", "+", 5), updated_at: updatedAt }))
    .where("id", "=", id)
    .returning(["weight", "updated_at"]),
);

const setWeight = new PreparedQuery((db: Db, id: string, weight: number) =>
  db.updateTable("nodes").set({ weight }).where("id", "=", id),
);

const renameNodes = new PreparedQuery((db: Db, rows: Array<{ id: string; name: string }>) =>
  db
    .insertInto("nodes")
    .values(
      rows.map((row) => ({
        ...row,
        agent_url: null,
        secret_enc: null,
        secret_key_id: null,
        enabled: 1,
        weight: 100,
        max_peers: 10,
        endpoint_host: null,
        status: "unknown" as const,
        status_reason: null,
        consecutive_failures: 0,
        last_health: null,
        last_seen_at: null,
        created_at: "2025-01-01T00:00:00.000Z",
        updated_at: "2025-01-01T00:00:00.000Z",
      })),
    )
    .returning("name"),
);

forEachEngine("PreparedQuery", (open) => {
  let opened: OpenedDatabase;
  let db: Db;
  beforeAll(async () => {
    opened = await open();
    db = opened.db;
  });
  afterAll(async () => {
    await opened?.close();
  });

  it("binds each run's values, also for in-lists of different lengths", async () => {
    const a = await insertNode(db, { name: `a-${randomUUID()}` });
    const b = await insertNode(db, { name: `b-${randomUUID()}` });
    const c = await insertNode(db, { name: `c-${randomUUID()}` });
    expect((await nodeNames.rows(db, [a, b])).map((r) => r.id)).toEqual([a, b]);
    expect((await nodeNames.rows(db, [c])).map((r) => r.id)).toEqual([c]);
    expect((await nodeNames.rows(db, [c, b, a])).map((r) => r.id)).toEqual([a, b, c]);
    expect(await nodeNames.rows(db, [b, c])).toHaveLength(2);
  });

  it("keeps the statement's own constants and runs inside a transaction", async () => {
    const id = await insertNode(db, { weight: 100 });
    expect(await raiseWeight.firstOrThrow(db, id, "2025-01-02T00:00:00.000Z")).toEqual({
      weight: 105,
      updated_at: "2025-01-02T00:00:00.000Z",
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await raiseWeight.firstOrThrow(trx, id, "2025-01-03T00:00:00.000Z");
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await setWeight.affected(db, id, 110)).toBe(1);
    const row = await db.selectFrom("nodes").select("weight").where("id", "=", id).executeTakeFirstOrThrow();
    expect(Number(row.weight)).toBe(110);
  });

  it("binds the fields of multi-row inserts and throws Kysely's NoResultError on no row", async () => {
    const rows = [
      { id: randomUUID(), name: `m-${randomUUID()}` },
      { id: randomUUID(), name: `n-${randomUUID()}` },
    ];
    expect((await renameNodes.rows(db, rows)).map((r) => r.name).sort()).toEqual(rows.map((r) => r.name));
    const one = { id: randomUUID(), name: `o-${randomUUID()}` };
    expect(await renameNodes.rows(db, [one])).toEqual([{ name: one.name }]);
    expect(await setWeight.affected(db, randomUUID(), 7)).toBe(0);
    await expect(raiseWeight.firstOrThrow(db, randomUUID(), "x")).rejects.toBeInstanceOf(NoResultError);
  });

  it("refuses a build that does not put a value into the query", async () => {
    const ignoring = new PreparedQuery((d: Db, _unused: string) => d.selectFrom("nodes").select("id"));
    await expect(ignoring.rows(db, "x")).rejects.toThrow("does not bind all of its values");
  });
});
