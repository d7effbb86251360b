// The counts the database keeps — peers per interface (migration 030), addresses per interface pool
// (031) — against a real COUNT of `peers` and `ip_allocations`, on both engines, over the real app with scripted nodes: `auto` creations, creations a node refused
// (rolled back), a rolled-back transaction, bulk creation and bulk deletion, single deletions, moves
// between nodes, concurrent creations, an interface deleted with its peers, and the migration's
// backfill of rows that existed before them. Placement reads these counts (countPeersOfNodes, the
// pools' exhaustedInterfaces) and every creation its pool's (AddressPools.stats).
import { LOCAL_NODE_ID } from "@wgfleet/core";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachEngine } from "../../../../test/support/databases.js";
import { nowIso } from "../clock.js";
import { type Db, migrateToLatest, migrateUpTo } from "../db/index.js";
import { insertConfiguration, insertInterface, insertNode, insertPeer } from "../db/test-support/rows.js";
import { startDomainServices } from "../domain-services.js";
import { createTestApp, type TestApp } from "../http/test-support/test-app.js";
import { AllocationRepository } from "../interfaces/allocation.repository.js";
import { PeerRepository } from "../peers/peer.repository.js";
import { ScriptedNode } from "../stats/test-support/scripted-node.js";
import { NodeRepository } from "./node.repository.js";

/** A scripted node that refuses peer changes while `refuse` is set (a node failing a creation). */
class RefusingNode extends ScriptedNode {
  refuse = false;
  override async upsertPeers(...args: Parameters<ScriptedNode["upsertPeers"]>): Promise<void> {
    if (this.refuse) throw new Error("scripted refusal");
    return super.upsertPeers(...args);
  }
}

/** interface id → peers, as `COUNT(*)` sees them and as the kept table says (zero rows left out). */
async function realCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom("peers")
    .select(["interface_id", (eb) => eb.fn.countAll<string | number>().as("n")])
    .groupBy("interface_id")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.interface_id, Number(r.n)]));
}

async function keptCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db.selectFrom("interface_peer_counts").selectAll().where("peers", "!=", 0).execute();
  return Object.fromEntries(rows.map((r) => [r.interface_id, Number(r.peers)]));
}

/** "interface|pool" → addresses, counted and kept (zero rows left out). */
async function realAllocations(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom("ip_allocations")
    .select(["interface_id", "pool", (eb) => eb.fn.countAll<string | number>().as("n")])
    .groupBy(["interface_id", "pool"])
    .execute();
  return Object.fromEntries(rows.map((r) => [`${r.interface_id}|${r.pool}`, Number(r.n)]));
}

async function keptAllocations(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom("pool_allocation_counts")
    .selectAll()
    .where("allocated", "!=", 0)
    .execute();
  return Object.fromEntries(rows.map((r) => [`${r.interface_id}|${r.pool}`, Number(r.allocated)]));
}

async function realCountsByNode(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("peers")
    .innerJoin("interfaces", "interfaces.id", "peers.interface_id")
    .select(["interfaces.node_id as nodeId", (eb) => eb.fn.countAll<string | number>().as("n")])
    .groupBy("interfaces.node_id")
    .execute();
  return new Map(rows.map((r) => [r.nodeId, Number(r.n)]));
}

forEachEngine("interface peer counts", (open) => {
  let t: TestApp;
  const local = new RefusingNode(LOCAL_NODE_ID);
  const remotes = [new RefusingNode("count-node-a"), new RefusingNode("count-node-b")];
  const db = () => t.context.db;

  async function post(url: string, payload: object, expected = 201) {
    const response = await t.app.inject({ method: "POST", url, headers: t.bearer(t.adminKey), payload });
    if (response.statusCode !== expected)
      throw new Error(`${url}: ${response.statusCode} ${response.body} (expected ${expected})`);
    return response.json();
  }

  async function expectExact(): Promise<void> {
    const real = await realCounts(db());
    expect(await keptCounts(db())).toEqual(real);
    const allocations = await realAllocations(db());
    expect(Object.keys(allocations).length).toBeGreaterThan(0);
    expect(await keptAllocations(db())).toEqual(allocations);
    const repository = new AllocationRepository(db());
    const interfaceIds = (await db().selectFrom("interfaces").select("id").execute()).map((i) => i.id);
    const byPool = await repository.countsByPool(interfaceIds);
    for (const [key, n] of Object.entries(allocations)) {
      expect(byPool.get(key)).toBe(BigInt(n));
      const [iface, pool] = key.split("|") as [string, string];
      expect(await repository.countOfPool(iface, pool)).toBe(BigInt(n));
    }
    // Placement's view: every node's figure equals a real count of its peers.
    const byNode = await realCountsByNode(db());
    const nodes = new NodeRepository(db());
    expect(await nodes.countPeersByNode()).toEqual(byNode);
    const ids = [LOCAL_NODE_ID, ...remotes.map((r) => r.nodeId)];
    const placed = await nodes.countPeersOfNodes(ids);
    for (const id of ids) {
      expect(placed.get(id) ?? 0).toBe(byNode.get(id) ?? 0);
      expect(await nodes.countPeers(id)).toBe(byNode.get(id) ?? 0);
    }
  }

  beforeAll(async () => {
    t = await createTestApp(await open(), {
      config: { localNode: { enabled: true, unavailableReason: null } },
      localTransport: local,
    });
    // The local node's row, as at a start.
    await startDomainServices(t.context.services);
    for (const [i, remote] of remotes.entries()) {
      await insertNode(db(), {
        id: remote.nodeId,
        name: remote.nodeId,
        agent_url: `http://198.18.0.${240 + i}:9`,
        secret_enc: t.context.secrets.encrypt("count-test-secret-0123456789abcdef"),
        enabled: 1,
        status: "online",
        max_peers: 1000,
        weight: 100,
        endpoint_host: `198.18.0.${240 + i}`,
      });
      // The dashboard registers its own transport for a node it meets; the scripted one replaces it.
      await t.context.services.remoteNodes.ensure([remote.nodeId]);
      t.context.services.nodeTransports.register(remote.nodeId, remote);
    }
    await post("/api/v1/configurations", { name: "counted" });
    await post("/api/v1/configurations", { name: "other" });
    const pools = ["198.51.100.0/26", "198.51.100.64/26", "198.51.100.128/26"];
    for (const [i, nodeId] of [LOCAL_NODE_ID, ...remotes.map((r) => r.nodeId)].entries()) {
      await post("/api/v1/configurations/counted/interfaces", {
        nodeId,
        listenPort: 51_840 + i,
        pool: pools[i],
        endpoint: `198.18.0.${240 + i}:${51_840 + i}`,
      });
    }
    // A second interface on the local node: a node's figure sums its interfaces.
    await post("/api/v1/configurations/other/interfaces", {
      nodeId: LOCAL_NODE_ID,
      listenPort: 51_850,
      pool: "203.0.113.0/26",
      endpoint: "198.18.0.1:51850",
    });
  });
  afterAll(async () => t?.close());

  const createPeer = (name: string, node = "auto", expected = 201) =>
    post("/api/v1/configurations/counted/peers", { name, node }, expected);

  it("auto and explicit creations, and creations a node refused, count exactly", async () => {
    for (let i = 0; i < 9; i++) await createPeer(`auto-${i}`);
    await post("/api/v1/configurations/other/peers", { name: "elsewhere", node: LOCAL_NODE_ID });
    await createPeer("explicit", remotes[0]?.nodeId);
    await expectExact();
    // The node refuses: the pending peer was inserted, then deleted again.
    for (const node of [local, ...remotes]) node.refuse = true;
    await createPeer("refused-auto", "auto", 502);
    await createPeer("refused-explicit", remotes[1]?.nodeId, 502);
    for (const node of [local, ...remotes]) node.refuse = false;
    await expectExact();
  });

  it("a transaction that inserted and deleted peers and addresses, then failed, leaves the counts as they were", async () => {
    const before = await keptCounts(db());
    const allocationsBefore = await keptAllocations(db());
    const [iface] = await db().selectFrom("interfaces").select("id").execute();
    const peers = new PeerRepository(db());
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          const ids = [];
          for (let i = 0; i < 3; i++) ids.push(await insertPeer(trx, { interface_id: iface?.id }));
          await trx
            .insertInto("ip_allocations")
            .values({
              interface_id: iface?.id as string,
              pool: "x",
              address: "x",
              peer_id: ids[1] as string,
              created_at: nowIso(),
            })
            .execute();
          await peers.delete(ids[0] as string, trx);
          throw new Error("rolled back on purpose");
        }),
    ).rejects.toThrow("rolled back on purpose");
    expect(await keptCounts(db())).toEqual(before);
    expect(await keptAllocations(db())).toEqual(allocationsBefore);
    await expectExact();
  });

  it("bulk creation and bulk deletion count exactly", async () => {
    const bulk = await post("/api/v1/configurations/counted/peers/bulk", { count: 30, namePrefix: "bulk" });
    expect(bulk.created).toHaveLength(30);
    await expectExact();
    // One node fails its part of a bulk creation: its peers are rolled back.
    if (remotes[0]) remotes[0].refuse = true;
    const partial = await post("/api/v1/configurations/counted/peers/bulk", {
      count: 12,
      namePrefix: "part",
    });
    if (remotes[0]) remotes[0].refuse = false;
    expect(partial.failures.length).toBe(1);
    await expectExact();
    const ids = bulk.created.slice(0, 20).map((p: { id: string }) => p.id);
    const deleted = await post("/api/v1/peers/bulk", { ids, action: "delete" }, 200);
    expect(deleted.results.filter((r: { ok: boolean }) => r.ok)).toHaveLength(20);
    await expectExact();
  });

  it("single deletions and moves between nodes count exactly", async () => {
    const peers = await db().selectFrom("peers").select(["id", "interface_id"]).orderBy("name").execute();
    for (const peer of peers.slice(0, 3)) {
      const response = await t.app.inject({
        method: "DELETE",
        url: `/api/v1/peers/${peer.id}`,
        headers: t.bearer(t.adminKey),
      });
      expect(response.statusCode).toBe(204);
    }
    await expectExact();
    const [a, b] = remotes.map((r) => r.nodeId) as [string, string];
    const onA = await db()
      .selectFrom("peers")
      .innerJoin("interfaces", "interfaces.id", "peers.interface_id")
      .select("peers.id")
      .where("interfaces.node_id", "=", a)
      .execute();
    expect(onA.length).toBeGreaterThan(2);
    await post(`/api/v1/peers/${onA[0]?.id}/move`, { node: b }, 200);
    await post("/api/v1/peers/bulk", { ids: [onA[1]?.id, onA[2]?.id], action: "move", node: b }, 200);
    await expectExact();
  });

  it("concurrent creations count exactly", async () => {
    const created = await Promise.all(
      Array.from({ length: 24 }, (_, i) => createPeer(`together-${i}`, "auto")),
    );
    expect(created).toHaveLength(24);
    await expectExact();
  });

  it("an interface deleted with its peers takes its count with it", async () => {
    const iface = await db()
      .selectFrom("interfaces")
      .select("id")
      .where("node_id", "=", remotes[1]?.nodeId as string)
      .executeTakeFirstOrThrow();
    await db().deleteFrom("interfaces").where("id", "=", iface.id).execute();
    expect(
      await db()
        .selectFrom("interface_peer_counts")
        .select("peers")
        .where("interface_id", "=", iface.id)
        .execute(),
    ).toEqual([]);
    await expectExact();
  });
});

forEachEngine("interface peer counts migration", (open) => {
  describe("backfill", () => {
    it("counts the peers that existed before migration 030", async () => {
      const database = await open({ migrate: false });
      try {
        const db = database.db;
        await migrateUpTo(db, "029_agent_relay");
        const configuration = await insertConfiguration(db);
        const node = await insertNode(db);
        const first = await insertInterface(db, {
          configuration_id: configuration,
          pool_v4: "198.51.100.0/25",
        });
        const second = await insertInterface(db, {
          configuration_id: configuration,
          node_id: node,
          pool_v4: "198.51.100.128/25",
        });
        await insertInterface(db, { configuration_id: configuration, pool_v4: "203.0.113.0/25" });
        for (let i = 0; i < 5; i++) await insertPeer(db, { interface_id: first });
        for (let i = 0; i < 2; i++) {
          const peer = await insertPeer(db, { interface_id: second });
          await db
            .insertInto("ip_allocations")
            .values({
              interface_id: second,
              pool: "198.51.100.128/25",
              address: `198.51.100.${130 + i}`,
              peer_id: peer,
              created_at: nowIso(),
            })
            .execute();
        }
        await migrateToLatest(db);
        expect(await keptCounts(db)).toEqual({ [first]: 5, [second]: 2 });
        expect(await keptAllocations(db)).toEqual({ [`${second}|198.51.100.128/25`]: 2 });
        // And kept from then on.
        await insertPeer(db, { interface_id: second, created_at: nowIso() });
        expect(await keptCounts(db)).toEqual(await realCounts(db));
        // The whole table, recounted by hand, matches too (no stray rows for other interfaces).
        const { rows } = await sql<{ n: number }>`select count(*) as n from interface_peer_counts`.execute(
          db,
        );
        expect(Number(rows[0]?.n)).toBe(2);
      } finally {
        await database.close();
      }
    });
  });
});
