// The database's own guards, on both engines: unique keys, foreign keys and their ON DELETE rules,
// transactions, 64-bit counters, and text ordering that does not depend on the engine.
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { nowIso } from "../clock.js";
import { type Db, dialectOf } from "./connection.js";
import { isForeignKeyViolation, isUniqueViolation } from "./errors.js";
import {
  insertConfiguration,
  insertInterface,
  insertNode,
  insertPeer,
  insertUser,
} from "./test-support/rows.js";

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the statement to fail");
}

function allocate(db: Db, interfaceId: string, peerId: string, address: string) {
  return db
    .insertInto("ip_allocations")
    .values({
      interface_id: interfaceId,
      pool: "198.51.100.0/24",
      address,
      peer_id: peerId,
      created_at: nowIso(),
    })
    .execute();
}

forEachEngine("database constraints", (open) => {
  let opened: OpenedDatabase;
  let db: Db;
  beforeAll(async () => {
    opened = await open();
    db = opened.db;
  });
  afterAll(async () => {
    await opened?.close();
  });

  it("refuse a second allocation of one (interface, pool, address), recognised by isUniqueViolation", async () => {
    const interfaceId = await insertInterface(db);
    const first = await insertPeer(db, { interface_id: interfaceId });
    const second = await insertPeer(db, { interface_id: interfaceId });
    await allocate(db, interfaceId, first, "198.51.100.2");

    const error = await failure(allocate(db, interfaceId, second, "198.51.100.2"));
    expect(isUniqueViolation(error)).toBe(true);
    expect(isForeignKeyViolation(error)).toBe(false);

    await allocate(db, interfaceId, second, "198.51.100.3");
    const rows = await db
      .selectFrom("ip_allocations")
      .selectAll()
      .where("interface_id", "=", interfaceId)
      .execute();
    expect(rows.map((row) => [row.address, row.peer_id]).sort()).toEqual([
      ["198.51.100.2", first],
      ["198.51.100.3", second],
    ]);
  });

  it("let the same address live in two interfaces' pools", async () => {
    const a = await insertInterface(db);
    const b = await insertInterface(db);
    await allocate(db, a, await insertPeer(db, { interface_id: a }), "198.51.100.9");
    await allocate(db, b, await insertPeer(db, { interface_id: b }), "198.51.100.9");
  });

  it("keep names unique where the API looks things up by name", async () => {
    const node = await insertNode(db, { name: "edge-1" });
    expect(isUniqueViolation(await failure(insertNode(db, { name: "edge-1" })))).toBe(true);

    const configuration = await insertConfiguration(db, { name: "corp" });
    expect(isUniqueViolation(await failure(insertConfiguration(db, { name: "corp" })))).toBe(true);

    await insertInterface(db, {
      node_id: node,
      configuration_id: configuration,
      name: "wg7",
      listen_port: 51827,
    });
    const other = await insertConfiguration(db);
    const sameName = insertInterface(db, {
      node_id: node,
      configuration_id: other,
      name: "wg7",
      listen_port: 51828,
    });
    expect(isUniqueViolation(await failure(sameName))).toBe(true);
    const samePort = insertInterface(db, {
      node_id: node,
      configuration_id: other,
      name: "wg8",
      listen_port: 51827,
    });
    expect(isUniqueViolation(await failure(samePort))).toBe(true);
    const twice = insertInterface(db, {
      node_id: node,
      configuration_id: configuration,
      name: "wg9",
      listen_port: 51829,
    });
    expect(isUniqueViolation(await failure(twice))).toBe(true);

    const interfaceId = await insertInterface(db);
    await insertPeer(db, { interface_id: interfaceId, public_key: "same-key" });
    const samePeerKey = insertPeer(db, { interface_id: interfaceId, public_key: "same-key" });
    expect(isUniqueViolation(await failure(samePeerKey))).toBe(true);

    await insertUser(db, { username: "alice" });
    expect(isUniqueViolation(await failure(insertUser(db, { username: "alice" })))).toBe(true);
  });

  it("refuse a second API key with the same hash", async () => {
    const userId = await insertUser(db);
    const key = (id: string) =>
      db
        .insertInto("api_keys")
        .values({
          id,
          user_id: userId,
          name: "ci",
          key_hash: "f".repeat(64),
          prefix: "wgf_",
          created_at: nowIso(),
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
    await key("k1");
    expect(isUniqueViolation(await failure(key("k2")))).toBe(true);
  });

  it("enforce foreign keys, recognised by isForeignKeyViolation", async () => {
    const orphan = await failure(insertPeer(db, { interface_id: "no-such-interface" }));
    expect(isForeignKeyViolation(orphan)).toBe(true);
    expect(isUniqueViolation(orphan)).toBe(false);
  });

  it("delete an interface's peers with it, and a configuration's or node's interfaces (003)", async () => {
    const node = await insertNode(db);
    const configuration = await insertConfiguration(db);
    const place = (name: string, port: number, configurationId = configuration) =>
      insertInterface(db, { node_id: node, configuration_id: configurationId, name, listen_port: port });
    const peersOf = (id: string) =>
      db.selectFrom("peers").select("id").where("interface_id", "=", id).execute();
    const exists = async (table: "interfaces" | "configurations", id: string) =>
      (await db.selectFrom(table).select("id").where("id", "=", id).executeTakeFirst()) !== undefined;

    const first = await place("wgc0", 51900);
    const peerId = await insertPeer(db, { interface_id: first });
    await allocate(db, first, peerId, "198.51.100.30");
    await db.deleteFrom("interfaces").where("id", "=", first).execute();
    expect(await peersOf(first)).toEqual([]);
    const left = await db
      .selectFrom("ip_allocations")
      .select("peer_id")
      .where("peer_id", "=", peerId)
      .execute();
    expect(left).toEqual([]);

    const second = await place("wgc1", 51901);
    await insertPeer(db, { interface_id: second });
    await db.deleteFrom("configurations").where("id", "=", configuration).execute();
    expect(await exists("interfaces", second)).toBe(false);
    expect(await peersOf(second)).toEqual([]);

    const other = await insertConfiguration(db);
    const third = await place("wgc2", 51902, other);
    await insertPeer(db, { interface_id: third });
    await db.deleteFrom("nodes").where("id", "=", node).execute();
    expect(await exists("interfaces", third)).toBe(false);
    expect(await peersOf(third)).toEqual([]);
    expect(await exists("configurations", other)).toBe(true);
  });

  it("delete a peer's stats, allocations and share links with it", async () => {
    const interfaceId = await insertInterface(db);
    const peerId = await insertPeer(db, { interface_id: interfaceId });
    const now = nowIso();
    await allocate(db, interfaceId, peerId, "198.51.100.20");
    await db
      .insertInto("peer_stats")
      .values({
        peer_id: peerId,
        rx_bytes: 1,
        tx_bytes: 2,
        raw_rx: 1,
        raw_tx: 2,
        latest_handshake_at: null,
        endpoint: null,
        updated_at: now,
      })
      .execute();
    await db
      .insertInto("share_links")
      .values({
        id: `link-${peerId}`,
        peer_id: peerId,
        token_hash: `hash-${peerId}`,
        created_at: now,
        expires_at: now,
      })
      .execute();

    await db.deleteFrom("peers").where("id", "=", peerId).execute();

    for (const table of ["peer_stats", "ip_allocations", "share_links"] as const) {
      const left = await db.selectFrom(table).select("peer_id").where("peer_id", "=", peerId).execute();
      expect(left, table).toEqual([]);
    }
  });

  it("delete a user's sessions and API keys with the user", async () => {
    const userId = await insertUser(db);
    const now = nowIso();
    await db
      .insertInto("sessions")
      .values({
        id: `s-${userId}`,
        user_id: userId,
        csrf_token: "csrf",
        ip: null,
        user_agent: null,
        created_at: now,
        expires_at: now,
        last_seen_at: now,
      })
      .execute();
    await db
      .insertInto("api_keys")
      .values({
        id: `k-${userId}`,
        user_id: userId,
        name: "ci",
        key_hash: `hash-${userId}`,
        prefix: "wgf_",
        created_at: now,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();

    await db.deleteFrom("users").where("id", "=", userId).execute();

    expect(await db.selectFrom("sessions").select("id").where("user_id", "=", userId).execute()).toEqual([]);
    expect(await db.selectFrom("api_keys").select("id").where("user_id", "=", userId).execute()).toEqual([]);
  });

  it("roll a failed transaction back entirely", async () => {
    const interfaceId = await insertInterface(db);
    const peerId = await insertPeer(db, { interface_id: interfaceId });
    const attempt = db.transaction().execute(async (trx) => {
      await trx.updateTable("peers").set({ name: "renamed" }).where("id", "=", peerId).execute();
      await allocate(trx, interfaceId, peerId, "198.51.100.30");
      await allocate(trx, interfaceId, peerId, "198.51.100.30"); // unique violation
    });
    expect(isUniqueViolation(await failure(attempt))).toBe(true);

    const peer = await db
      .selectFrom("peers")
      .select("name")
      .where("id", "=", peerId)
      .executeTakeFirstOrThrow();
    expect(peer.name).not.toBe("renamed");
    const allocations = await db
      .selectFrom("ip_allocations")
      .select("address")
      .where("peer_id", "=", peerId)
      .execute();
    expect(allocations).toEqual([]);
  });

  it("commit a transaction whose body succeeds, and return its value", async () => {
    const peerId = await insertPeer(db);
    const result = await db.transaction().execute(async (trx) => {
      await trx.updateTable("peers").set({ name: "committed" }).where("id", "=", peerId).execute();
      return "done";
    });
    expect(result).toBe("done");
    const peer = await db
      .selectFrom("peers")
      .select("name")
      .where("id", "=", peerId)
      .executeTakeFirstOrThrow();
    expect(peer.name).toBe("committed");
  });

  it("serialise concurrent transactions without losing an update", async () => {
    const interfaceId = await insertInterface(db, { revision: 0 });
    await Promise.all(
      Array.from({ length: 8 }, () =>
        db.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom("interfaces")
            .select("revision")
            .where("id", "=", interfaceId)
            // PostgreSQL runs transactions side by side: lock the row. SQLite runs them one at a time.
            .$if(dialectOf(trx) === "postgres", (query) => query.forUpdate())
            .executeTakeFirstOrThrow();
          await trx
            .updateTable("interfaces")
            .set({ revision: row.revision + 1 })
            .where("id", "=", interfaceId)
            .execute();
        }),
      ),
    );
    const row = await db
      .selectFrom("interfaces")
      .select("revision")
      .where("id", "=", interfaceId)
      .executeTakeFirstOrThrow();
    expect(row.revision).toBe(8);
  });

  it("keep byte counters above 2^32 exact and as numbers", async () => {
    const peerId = await insertPeer(db);
    const big = 2 ** 33 + 12345;
    await db
      .insertInto("peer_stats")
      .values({
        peer_id: peerId,
        rx_bytes: big,
        tx_bytes: Number.MAX_SAFE_INTEGER,
        raw_rx: 2 ** 32,
        raw_tx: 2 ** 32 + 1,
        latest_handshake_at: null,
        endpoint: null,
        updated_at: nowIso(),
      })
      .execute();
    const stats = await db
      .selectFrom("peer_stats")
      .selectAll()
      .where("peer_id", "=", peerId)
      .executeTakeFirstOrThrow();
    expect(stats.rx_bytes).toBe(big);
    expect(stats.tx_bytes).toBe(Number.MAX_SAFE_INTEGER);
    expect(stats.raw_rx).toBe(2 ** 32);
    expect(stats.raw_tx).toBe(2 ** 32 + 1);
    await db
      .insertInto("peer_quotas")
      .values({
        peer_id: peerId,
        bytes: 2 ** 50,
        period: "none",
        reset_day: 0,
        counting: "total",
        action: "suspend",
        warn_at_percent: null,
        period_start: nowIso(),
        period_end: null,
        start_rx: 2 ** 40 + 7,
      })
      .execute();
    const usage = await db
      .selectFrom("peer_quotas")
      .select("start_rx")
      .where("peer_id", "=", peerId)
      .executeTakeFirstOrThrow();
    expect(usage.start_rx).toBe(2 ** 40 + 7);

    const sum = await db
      .selectFrom("peer_stats")
      .select((eb) => [eb.fn.countAll<number>().as("count")])
      .where("peer_id", "=", peerId)
      .executeTakeFirstOrThrow();
    expect(sum.count).toBe(1);
  });

  it("hand out increasing numeric ids for generated columns", async () => {
    const now = nowIso();
    const insert = () =>
      db
        .insertInto("audit_log")
        .values({ at: now, actor: "test", action: "id.check", target: null, details: null })
        .returning("id")
        .executeTakeFirstOrThrow();
    const first = await insert();
    const second = await insert();
    expect(typeof first.id).toBe("number");
    expect(second.id).toBeGreaterThan(first.id);
  });

  it("order and compare text the same way on both engines (binary, not locale)", async () => {
    const interfaceId = await insertInterface(db);
    for (const name of ["b", "B", "a", "A", "_x", "ä", "10", "9"]) {
      await insertPeer(db, { interface_id: interfaceId, name });
    }
    const rows = await db
      .selectFrom("peers")
      .select("name")
      .where("interface_id", "=", interfaceId)
      .orderBy("name")
      .execute();
    expect(rows.map((row) => row.name)).toEqual(["10", "9", "A", "B", "_x", "a", "b", "ä"]);
  });

  it("store a wrong type as an error, not silently (STRICT on SQLite)", async () => {
    const peerId = await insertPeer(db);
    const wrong = db
      .updateTable("peers")
      .set({ mtu: "not a number" as unknown as number })
      .where("id", "=", peerId)
      .execute();
    await expect(wrong).rejects.toThrow();
  });
});
