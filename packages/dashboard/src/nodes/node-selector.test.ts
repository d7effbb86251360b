// The selector's view of the database on both engines: peers counted per node across all its
// interfaces (pending included), a remote node whose pool is full passed over by `auto` and refused
// when chosen explicitly.
import { NodeUnavailableError } from "@wgfleet/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { nowIso } from "../clock.js";
import type { Db } from "../db/index.js";
import { insertConfiguration, insertInterface, insertNode, insertPeer } from "../db/test-support/rows.js";
import { AddressPools } from "../interfaces/address-pools.js";
import { AllocationRepository } from "../interfaces/allocation.repository.js";
import { InterfaceRepository } from "../interfaces/interface.repository.js";
import type { NodeTransport } from "../transport/node-transport.js";
import { NodeRepository } from "./node.repository.js";
import { InterfaceSelector } from "./node-selector.js";
import { NodeTransports } from "./node-transports.js";

forEachEngine("InterfaceSelector", (open) => {
  let opened: OpenedDatabase;
  let db: Db;
  let selector: InterfaceSelector;
  let transports: NodeTransports;
  beforeAll(async () => {
    opened = await open();
    db = opened.db;
    transports = new NodeTransports();
    selector = new InterfaceSelector({
      nodes: new NodeRepository(db),
      transports,
      pools: new AddressPools(db, new AllocationRepository(db)),
    });
  });
  afterAll(async () => {
    await opened?.close();
  });

  /** An online remote node the selector can reach (its transport is registered, never called). */
  async function onlineNode(name: string): Promise<string> {
    const id = await insertNode(db, {
      name: `${name}-${Math.random().toString(36).slice(2, 8)}`,
      status: "online",
      max_peers: 10,
    });
    transports.register(id, { nodeId: id } as unknown as NodeTransport);
    return id;
  }

  async function peers(interfaceId: string, count: number, state: "active" | "pending" = "active") {
    for (let i = 0; i < count; i++) await insertPeer(db, { interface_id: interfaceId, state });
  }

  it("counts a node's peers over all its interfaces, pending included, and picks the lowest load", async () => {
    const configuration = await insertConfiguration(db);
    const other = await insertConfiguration(db);
    const a = await onlineNode("a");
    const b = await onlineNode("b");
    const onA = await insertInterface(db, {
      configuration_id: configuration,
      node_id: a,
      listen_port: 51001,
    });
    const onB = await insertInterface(db, {
      configuration_id: configuration,
      node_id: b,
      listen_port: 51001,
    });
    await peers(onA, 2);
    await peers(onA, 1, "pending");
    await peers(onB, 4);
    const candidates = await new InterfaceRepository(db).listByConfiguration(configuration);
    expect((await selector.choose(candidates, "auto")).id).toBe(onA); // 3/10 against 4/10

    // Peers of another configuration on node a count too: 5/10 against 4/10.
    const otherOnA = await insertInterface(db, {
      configuration_id: other,
      node_id: a,
      listen_port: 51002,
      name: "wg1",
    });
    await peers(otherOnA, 2);
    expect((await selector.choose(candidates, "auto")).id).toBe(onB);
  });

  it("passes over a remote node whose pool is full, and refuses it when chosen by name", async () => {
    const configuration = await insertConfiguration(db);
    const a = await onlineNode("a");
    const b = await onlineNode("b");
    // 198.51.100.0/30 holds one peer address (.2): the gateway takes .1.
    const full = await insertInterface(db, {
      configuration_id: configuration,
      node_id: a,
      listen_port: 51003,
      pool_v4: "198.51.100.0/30",
    });
    const roomy = await insertInterface(db, {
      configuration_id: configuration,
      node_id: b,
      listen_port: 51003,
      pool_v4: "203.0.113.0/24",
    });
    await peers(roomy, 3);
    const candidates = await new InterfaceRepository(db).listByConfiguration(configuration);
    expect((await selector.choose(candidates, "auto")).id).toBe(full); // 0/10 against 3/10

    const peer = await insertPeer(db, { interface_id: full });
    await db
      .insertInto("ip_allocations")
      .values({
        interface_id: full,
        pool: "198.51.100.0/30",
        address: "198.51.100.2",
        peer_id: peer,
        created_at: nowIso(),
      })
      .execute();
    expect((await selector.choose(candidates, "auto")).id).toBe(roomy);
    const refused = await selector.choose(candidates, a).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(NodeUnavailableError);
    expect((refused as Error).message).toContain("pool exhausted");
  });
});
