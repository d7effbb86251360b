// Where domain events come from, below the HTTP layer and on both engines: the bus (ids, times, a
// failing subscriber neither stops the others nor reaches the publisher), the suspension sync's
// peer.expired / peer.suspended after its transaction (once, not again for the same report), node status
// changes and drift repairs from health answers, and pool.almost_full once when a pool crosses 90 %.
import { formatAddress, type Health, type InterfaceHealth } from "@wgfleet/core";
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { countingDb } from "../db/test-support/query-counter.js";
import { insertConfiguration, insertInterface, insertNode, insertPeer } from "../db/test-support/rows.js";
import { AddressPools, AllocationRepository, InterfaceRepository, poolsOf } from "../interfaces/index.js";
import { SuspensionRepository } from "../lifecycle/suspension.repository.js";
import { SuspensionSync } from "../lifecycle/suspension-sync.js";
import { createLogger } from "../logging/logger.js";
import { publishDriftRepairs, publishStatusChange } from "../nodes/node-events.js";
import { publishPoolUsage } from "../peers/peer-events.js";
import type { DomainEvent } from "./domain-events.js";
import { DomainEventBus } from "./event-bus.js";

const T0 = Date.parse("2026-03-01T10:00:00.000Z");

function iface(name: string, extra: Partial<InterfaceHealth> = {}): InterfaceHealth {
  return {
    name,
    up: true,
    listenPort: 51820,
    publicKey: null,
    peerCount: 0,
    activePeers: 0,
    rxBytes: 0,
    txBytes: 0,
    revision: 1,
    digest: "",
    lastApplyError: null,
    driftRepairs: 0,
    strayPeers: [],
    ...extra,
  };
}

function recordingBus() {
  const seen: DomainEvent[] = [];
  const bus = new DomainEventBus(createLogger({ level: "silent" }), { now: () => T0 });
  bus.subscribe("record", (event) => {
    seen.push(event);
  });
  return { bus, seen };
}

it("stamps events and keeps a failing subscriber from the publisher and the other subscribers", async () => {
  const warnings: unknown[] = [];
  const bus = new DomainEventBus({ warn: (...args: unknown[]) => warnings.push(args) } as never, {
    now: () => T0,
  });
  const seen: DomainEvent[] = [];
  bus.subscribe("broken", () => {
    throw new Error("receiver table missing");
  });
  const stop = bus.subscribe("record", (event) => {
    seen.push(event);
  });
  const data = { nodeId: "n1", name: "edge", from: "online", reason: "timeout" };
  await bus.publish({ type: "node.offline", data });
  expect(seen).toEqual([
    {
      type: "node.offline",
      data,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      occurredAt: "2026-03-01T10:00:00.000Z",
    },
  ]);
  expect(warnings).toHaveLength(1);
  stop();
  await bus.publish({ type: "node.offline", data });
  expect(seen).toHaveLength(1);
});

it("publishes node status changes to online, offline and degraded only, and drift repairs since the last answer", async () => {
  const { bus, seen } = recordingBus();
  const row = { id: "n1", name: "edge", status: "online" as const };
  await publishStatusChange(bus, row, "online", null);
  await publishStatusChange(bus, row, "unavailable", "secret unreadable");
  await publishStatusChange(bus, row, "degraded", "slow");
  await publishStatusChange(bus, { ...row, status: "offline" }, "online", null);
  expect(seen.map((e) => [e.type, (e.data as { from: string }).from])).toEqual([
    ["node.degraded", "online"],
    ["node.online", "offline"],
  ]);

  seen.length = 0;
  const health = (repairs: Record<string, number>): Pick<Health, "interfaces"> => ({
    interfaces: Object.entries(repairs).map(([name, driftRepairs]) => iface(name, { driftRepairs })),
  });
  const node = (last: Pick<Health, "interfaces"> | null) => ({
    id: "n1",
    name: "edge",
    last_health: last ? JSON.stringify(last) : null,
  });
  await publishDriftRepairs(bus, node(null), health({ wg0: 3 }));
  await publishDriftRepairs(bus, node(health({ wg0: 3, wg1: 5 })), health({ wg0: 5, wg1: 1, wg2: 2 }));
  expect(seen.map((e) => e.data)).toEqual([{ nodeId: "n1", name: "edge", interface: "wg0", repairs: 2 }]);
});

forEachEngine("domain events", (open) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it("sends peer.expired and peer.suspended after the suspension sync stored them, once", async () => {
    opened = await open();
    const { db } = opened;
    const node = await insertNode(db);
    const configuration = await insertConfiguration(db, { name: "office" });
    const ifaceId = await insertInterface(db, {
      node_id: node,
      configuration_id: configuration,
      name: "wg7",
    });
    const expired = await insertPeer(db, { interface_id: ifaceId, name: "laptop", public_key: "key-laptop" });
    const closed = await insertPeer(db, { interface_id: ifaceId, name: "phone", public_key: "key-phone" });
    const { bus, seen } = recordingBus();
    const sync = new SuspensionSync({
      repository: new SuspensionRepository(db),
      interfaces: new InterfaceRepository(db),
      events: bus,
      now: () => T0,
    });
    const report = {
      interfaces: [
        iface("wg7", {
          suspendedPeers: [
            { publicKey: "key-laptop", reason: "expired", since: T0 - 1_000 },
            { publicKey: "key-phone", reason: "quota", since: T0 },
          ],
        }),
      ],
    };
    await sync.sync(node, report);
    const byPeer = new Map(seen.map((e) => [(e.data as { peerId: string }).peerId, e]));
    expect(byPeer.get(expired)).toMatchObject({
      type: "peer.expired",
      data: { name: "laptop", configuration: "office", nodeId: node, interface: "wg7" },
    });
    expect(byPeer.get(closed)).toMatchObject({
      type: "peer.suspended",
      data: { name: "phone", interface: "wg7" },
    });
    expect(JSON.stringify(byPeer.get(closed)?.data)).toContain("traffic budget");
    await sync.sync(node, report);
    expect(seen).toHaveLength(2);
  });

  it("sends pool.almost_full once, when an allocation takes the pool to 90 %", async () => {
    opened = await open();
    const { db } = opened;
    const ifaceId = await insertInterface(db, { name: "wg8", pool_v4: "198.51.100.0/28" });
    const row = await new InterfaceRepository(db).findById(ifaceId);
    if (!row) throw new Error("no interface");
    const allocations = new AllocationRepository(db);
    const pools = new AddressPools(db, allocations);
    const [pool] = poolsOf(row);
    if (!pool) throw new Error("no pool");
    const { total } = await pools.stats(ifaceId, pool);
    const { bus, seen } = recordingBus();
    const crossingAt = Math.ceil(Number(total) * 0.9);
    for (let n = 1; n <= Number(total); n++) {
      const peer = await insertPeer(db, { interface_id: ifaceId, name: `p${n}`, public_key: `key-${n}` });
      await allocations.insertIfFree([
        {
          interface_id: ifaceId,
          pool: pool.key,
          address: `198.51.100.${n + 1}`,
          peer_id: peer,
          created_at: "x",
        },
      ]);
      await publishPoolUsage(bus, pools, row, "office");
      expect(seen.length, `after ${n} of ${total}`).toBe(n >= crossingAt ? 1 : 0);
    }
    expect(seen[0]).toMatchObject({
      type: "pool.almost_full",
      data: { interface: "wg8", cidr: "198.51.100.0/28", allocated: crossingAt, total: Number(total) },
    });
  });

  it("pool.almost_full from the allocator this process holds: the same crossing, no query per creation", async () => {
    opened = await open();
    const counted = countingDb(opened.db);
    const ifaceId = await insertInterface(opened.db, { name: "wg9", pool_v4: "198.51.100.16/28" });
    const row = await new InterfaceRepository(opened.db).findById(ifaceId);
    if (!row) throw new Error("no interface");
    const allocations = new AllocationRepository(counted.db);
    const pools = new AddressPools(counted.db, allocations);
    const [pool] = poolsOf(row);
    if (!pool) throw new Error("no pool");
    const { total } = await pools.stats(ifaceId, pool);
    const { bus, seen } = recordingBus();
    const crossingAt = Math.ceil(Number(total) * 0.9);
    for (let n = 1; n <= Number(total); n++) {
      const peer = await insertPeer(opened.db, {
        interface_id: ifaceId,
        name: `q${n}`,
        public_key: `k-${n}`,
      });
      const lease = await pools.lease(ifaceId, [pool], new Map());
      const [taken] = lease.addresses;
      if (!taken) throw new Error("no address");
      await allocations.insertIfFree([
        {
          interface_id: ifaceId,
          pool: pool.key,
          address: formatAddress(taken.address),
          peer_id: peer,
          created_at: "x",
        },
      ]);
      // A lease not yet committed is not counted: the check runs after the creation's commit.
      const other = await pools.lease(ifaceId, [pool], new Map()).catch(() => null);
      lease.commit();
      const asked = await counted.queries.during(() => publishPoolUsage(bus, pools, row, "office"));
      other?.abort();
      expect(asked, `queries after ${n}`).toBe(0);
      expect(seen.length, `after ${n} of ${total}`).toBe(n >= crossingAt ? 1 : 0);
    }
    expect(seen[0]).toMatchObject({
      type: "pool.almost_full",
      data: { interface: "wg9", allocated: crossingAt, total: Number(total) },
    });
  });
});
