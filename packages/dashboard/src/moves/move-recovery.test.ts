// Moves a crash cut off are undone by a replica at its start — but only those of replicas that
// stopped (or of unknown owners): a live replica's move in flight keeps its row and its new addresses.
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { afterEach, beforeEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { insertConfiguration, insertInterface, insertNode, insertPeer } from "../db/test-support/rows.js";
import { createTestApp, type TestApp } from "../http/test-support/test-app.js";
import { ReplicaRepository } from "../replicas/replica.repository.js";
import { PeerMoveRepository } from "./peer-move.repository.js";

forEachEngine("recovery of interrupted moves", (open) => {
  let opened: OpenedDatabase;
  let test: TestApp;
  beforeEach(async () => {
    opened = await open();
    test = await createTestApp(opened);
  });
  afterEach(async () => {
    await test.app.close();
    await opened.close();
  });

  it("undoes a stopped replica's and an ownerless pending move, never a live replica's", async () => {
    const db = opened.db;
    const replicas = new ReplicaRepository(db);
    const at = new Date().toISOString();
    const gone = spawnSync(process.execPath, ["-e", ""]).pid as number;
    // This test's process is alive, and a replica on this host whose process is gone has stopped.
    await replicas.register({ id: "live-replica", hostname: hostname(), pid: process.pid, at });
    await replicas.register({ id: "crashed-replica", hostname: hostname(), pid: gone, at });

    const configuration = await insertConfiguration(db);
    const source = await insertInterface(db, {
      configuration_id: configuration,
      node_id: await insertNode(db),
    });
    const target = await insertInterface(db, {
      configuration_id: configuration,
      node_id: await insertNode(db),
      pool_v4: "203.0.113.0/24",
    });
    const owners = { live: "live-replica", crashed: "crashed-replica", unknown: null } as const;
    const moves = new PeerMoveRepository(db);
    let host = 2;
    for (const [which, owner] of Object.entries(owners)) {
      const peer = await insertPeer(db, {
        interface_id: source,
        name: which,
        addresses: JSON.stringify([`198.51.100.${host}/32`]),
      });
      const address = `203.0.113.${host++}`;
      await db
        .insertInto("ip_allocations")
        .values({ interface_id: target, pool: "203.0.113.0/24", address, peer_id: peer, created_at: at })
        .execute();
      await moves.insert({
        id: `move-${which}`,
        peer_id: peer,
        from_interface_id: source,
        to_interface_id: target,
        old_addresses: JSON.stringify([`198.51.100.${host - 1}/32`]),
        new_addresses: JSON.stringify([`${address}/32`]),
        state: "pending",
        grace_until: null,
        created_at: at,
        owner_replica: owner,
      });
    }

    expect(await test.context.services.peerMoves.recoverPending()).toBe(2);
    expect((await moves.listPending()).map((move) => move.id)).toEqual(["move-live"]);
    const kept = await db
      .selectFrom("ip_allocations")
      .select("address")
      .where("interface_id", "=", target)
      .execute();
    expect(kept.map((row) => row.address)).toEqual(["203.0.113.2"]);
  });
});
