// selectArrays: a select's rows as arrays in select order, the same through the driver's own reader
// and inside a transaction (Kysely's objects), with int8 and NULL as Kysely gives them; a read waits for
// another caller's open transaction on SQLite's one connection instead of seeing its writes.
import { sql } from "kysely";
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { selectArrays } from "./connection.js";
import { insertInterface, insertPeer } from "./test-support/rows.js";

forEachEngine("selectArrays", (open, engine) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it("gives each row's values in select order, outside and inside a transaction", async () => {
    opened = await open();
    const { db } = opened;
    const iface = await insertInterface(db);
    const id = await insertPeer(db, { interface_id: iface, name: "z", mtu: null, keepalive: 25 });
    await db
      .insertInto("peer_stats")
      .values({
        peer_id: id,
        rx_bytes: 5_000_000_000,
        tx_bytes: 0,
        raw_rx: 0,
        raw_tx: 0,
        latest_handshake_at: null,
        endpoint: null,
        updated_at: "2026-01-01T00:00:00.000Z",
      })
      .execute();
    const query = db
      .selectFrom("peers as p")
      .innerJoin("peer_stats as s", "s.peer_id", "p.id")
      .select(["p.keepalive as keepalive", "p.name as name", "s.rx_bytes as rx", "p.mtu as mtu"])
      .compile();
    const expected = [[25, "z", 5_000_000_000, null]];
    expect(await selectArrays(db, query)).toEqual(expected);
    expect(await db.transaction().execute((trx) => selectArrays(trx, query))).toEqual(expected);
  });

  // Only SQLite has one connection that a reader could share with an open transaction (PostgreSQL's
  // pool gives each its own): defined for it alone, not skipped for the other engine.
  if (engine !== "sqlite") return;
  it("waits for an open transaction instead of reading its writes", async () => {
    opened = await open();
    const { db } = opened;
    const iface = await insertInterface(db);
    const names = db.selectFrom("peers").select("name").compile();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted!: () => void;
    const written = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const transaction = db
      .transaction()
      .execute(async (trx) => {
        await insertPeer(trx, { interface_id: iface, name: "uncommitted" });
        inserted();
        await held;
        throw new Error("rolled back");
      })
      .catch(() => {});
    await written;
    const read = selectArrays(db, names);
    release();
    await transaction;
    expect(await read).toEqual([]);
    expect((await sql`select count(*) as n from peers`.execute(db)).rows).toEqual([{ n: 0 }]);
  });
});
