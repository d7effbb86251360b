// The suspension sync on both engines: what a node reports it keeps off the kernel becomes the peers'
// suspension columns, the "suspended" status filter, the DTO and the history; only changes are written.
import type { InterfaceHealth, SuspendedPeer } from "@wgfleet/core";
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { insertConfiguration, insertInterface, insertNode, insertPeer } from "../db/test-support/rows.js";
import { InterfaceRepository, type InterfaceRow } from "../interfaces/interface.repository.js";
import { toPeerDto } from "../peers/peer.mapper.js";
import { PeerRepository } from "../peers/peer.repository.js";
import { LifecycleEventsRepository } from "./lifecycle-events.repository.js";
import { SuspensionRepository } from "./suspension.repository.js";
import { SuspensionSync } from "./suspension-sync.js";

const T0 = Date.parse("2026-03-01T10:00:00.000Z");

function health(name: string, suspendedPeers?: SuspendedPeer[]): InterfaceHealth {
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
    ...(suspendedPeers ? { suspendedPeers } : {}),
  };
}

forEachEngine("suspension sync", (open) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  async function setUp() {
    opened = await open();
    const { db } = opened;
    const node = await insertNode(db);
    const configuration = await insertConfiguration(db, { name: "office" });
    const iface = await insertInterface(db, { node_id: node, configuration_id: configuration, name: "wg0" });
    const peer = async (name: string, extra: Parameters<typeof insertPeer>[1] = {}) => {
      const id = await insertPeer(db, { interface_id: iface, name, public_key: `key-${name}`, ...extra });
      return { id, key: `key-${name}` };
    };
    let now = T0;
    const sync = new SuspensionSync({
      repository: new SuspensionRepository(db),
      interfaces: new InterfaceRepository(db),
      now: () => now,
    });
    const peers = new PeerRepository(db);
    const events = new LifecycleEventsRepository(db);
    const suspendedIds = async () =>
      (
        await peers.list({
          interfaces: [(await new InterfaceRepository(db).findById(iface)) as InterfaceRow],
          status: "suspended",
          onlineSince: new Date(T0).toISOString(),
          now: new Date(T0).toISOString(),
          limit: 100,
        })
      ).items
        .map((p) => p.id)
        .sort();
    const dto = async (id: string) => {
      const view = await peers.findView(id);
      if (!view) throw new Error("no peer");
      return toPeerDto(view, "office");
    };
    return {
      db,
      node,
      iface,
      peer,
      sync,
      events,
      suspendedIds,
      dto,
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  it("records newly suspended peers: reason and since, the status filter, the DTO, a 'suspended' event", async () => {
    const s = await setUp();
    const expired = await s.peer("laptop", { expires_at: "2026-03-01T09:59:00.000Z" });
    const closed = await s.peer("phone");
    const running = await s.peer("desktop");

    const report = await s.sync.sync(s.node, {
      interfaces: [
        health("wg0", [
          { publicKey: expired.key, reason: "expired", since: T0 - 60_000 },
          { publicKey: closed.key, reason: "schedule", since: T0 - 5_000 },
          { publicKey: "key-not-ours", reason: "quota", since: T0 },
        ]),
      ],
    });

    expect(report).toEqual({ suspended: 2, restored: 0 });
    expect(await s.suspendedIds()).toEqual([expired.id, closed.id].sort());
    expect((await s.dto(expired.id)).suspension).toEqual({
      reason: "expired",
      since: "2026-03-01T09:59:00.000Z",
    });
    expect((await s.dto(closed.id)).suspension).toEqual({
      reason: "schedule",
      since: "2026-03-01T09:59:55.000Z",
    });
    expect((await s.dto(running.id)).suspension).toBeNull();
    const [event] = await s.events.listByPeer(expired.id, 10);
    expect(event).toMatchObject({
      kind: "suspended",
      rule: "expiry",
      at: "2026-03-01T09:59:00.000Z",
      peerName: "laptop",
      configurationName: "office",
    });
    expect(event?.detail).toContain("expired at 2026-03-01T09:59:00.000Z");
    expect((await s.events.listByPeer(closed.id, 10)).map((e) => [e.kind, e.rule])).toEqual([
      ["suspended", "schedule"],
    ]);
    expect(await s.events.listByPeer(running.id, 10)).toEqual([]);
  });

  it("writes nothing when the report says what is stored", async () => {
    const s = await setUp();
    const peer = await s.peer("laptop");
    const report = { interfaces: [health("wg0", [{ publicKey: peer.key, reason: "schedule", since: T0 }])] };
    await s.sync.sync(s.node, report);
    // The node's later `since` for the same reason is not a new suspension.
    s.advance(30_000);
    const again = await s.sync.sync(s.node, {
      interfaces: [health("wg0", [{ publicKey: peer.key, reason: "schedule", since: T0 + 10_000 }])],
    });
    expect(again).toEqual({ suspended: 0, restored: 0 });
    expect(await s.events.listByPeer(peer.id, 10)).toHaveLength(1);
    expect((await s.dto(peer.id)).suspension?.since).toBe(new Date(T0).toISOString());
  });

  it("clears a peer no longer reported with a 'restored' event by the rule that had suspended it", async () => {
    const s = await setUp();
    const renewed = await s.peer("laptop", { expires_at: "2026-04-01T00:00:00.000Z" });
    const disabled = await s.peer("old", { enabled: 0 });
    await s.sync.sync(s.node, {
      interfaces: [
        health("wg0", [
          { publicKey: renewed.key, reason: "expired", since: T0 },
          { publicKey: disabled.key, reason: "schedule", since: T0 },
        ]),
      ],
    });
    s.advance(60_000);

    const report = await s.sync.sync(s.node, { interfaces: [health("wg0", [])] });

    expect(report).toEqual({ suspended: 0, restored: 2 });
    expect(await s.suspendedIds()).toEqual([]);
    expect((await s.dto(renewed.id)).suspension).toBeNull();
    const history = await s.events.listByPeer(renewed.id, 10);
    expect(history.map((e) => [e.kind, e.rule, e.at])).toEqual([
      ["restored", "expiry", "2026-03-01T10:01:00.000Z"],
      ["suspended", "expiry", "2026-03-01T10:00:00.000Z"],
    ]);
    expect(history[0]?.detail).toContain("renewed until 2026-04-01T00:00:00.000Z");
    // Disabled, it is off its node anyway: cleared, but nothing was restored.
    expect((await s.dto(disabled.id)).suspension).toBeNull();
    expect((await s.events.listByPeer(disabled.id, 10)).map((e) => e.kind)).toEqual(["suspended"]);
  });

  it("records a new reason as a new suspension", async () => {
    const s = await setUp();
    const peer = await s.peer("laptop");
    await s.sync.sync(s.node, {
      interfaces: [health("wg0", [{ publicKey: peer.key, reason: "schedule", since: T0 }])],
    });
    await s.sync.sync(s.node, {
      interfaces: [health("wg0", [{ publicKey: peer.key, reason: "expired", since: T0 + 1000 }])],
    });
    expect((await s.dto(peer.id)).suspension?.reason).toBe("expired");
    expect((await s.events.listByPeer(peer.id, 10)).map((e) => e.rule)).toEqual(["expiry", "schedule"]);
  });

  it("leaves an interface alone whose health has no suspendedPeers (an agent from before access rules)", async () => {
    const s = await setUp();
    const peer = await s.peer("laptop");
    await s.sync.sync(s.node, {
      interfaces: [health("wg0", [{ publicKey: peer.key, reason: "schedule", since: T0 }])],
    });
    const report = await s.sync.sync(s.node, { interfaces: [health("wg0")] });
    expect(report).toEqual({ suspended: 0, restored: 0 });
    expect(await s.suspendedIds()).toEqual([peer.id]);
    // Another node's interface of the same name is not this one.
    const other = await insertNode(s.db);
    await s.sync.sync(other, { interfaces: [health("wg0", [])] });
    expect(await s.suspendedIds()).toEqual([peer.id]);
  });
});
