// The alert engine on both engines: each rule fires once while its condition holds and resolves once
// when it ends, with alert.firing / alert.resolved on the bus; drift repairs heard on the bus count per
// hour; pool use is recorded hourly and drives the forecast; a second engine (a replica) announces
// nothing twice; the metrics mirror the facts.
import type { AlertEventData } from "@wgfleet/core";
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { ConfigurationRepository } from "../configurations/configuration.repository.js";
import { insertConfiguration, insertInterface, insertNode, insertPeer } from "../db/test-support/rows.js";
import { DomainEventBus } from "../events/index.js";
import { AddressPools, AllocationRepository, InterfaceRepository } from "../interfaces/index.js";
import { createLogger } from "../logging/logger.js";
import { MetricsRegistry } from "../metrics/registry.js";
import { AlertRepository } from "./alert.repository.js";
import { AlertEngine } from "./alert-engine.js";
import { AlertFactsRepository } from "./alert-facts.repository.js";
import { AlertMetrics } from "./alert-metrics.js";
import { PoolForecasts } from "./pool-forecasts.js";

const T0 = Date.parse("2026-03-01T10:00:00.000Z");
const MINUTE = 60_000;

forEachEngine("alert engine", (open) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  async function setUp() {
    opened = await open();
    const { db } = opened;
    let now = T0;
    const clock = { now: () => now };
    const logger = createLogger({ level: "silent" });
    const bus = new DomainEventBus(logger, clock);
    const seen: Array<{ type: string; data: AlertEventData }> = [];
    bus.subscribe("record", (event) => {
      if (event.type === "alert.firing" || event.type === "alert.resolved") seen.push(event);
    });
    const registry = new MetricsRegistry();
    const engineFor = () => {
      const engine = new AlertEngine({
        alerts: new AlertRepository(db),
        facts: new AlertFactsRepository(db),
        interfaces: new InterfaceRepository(db),
        configurations: new ConfigurationRepository(db),
        pools: new AddressPools(db, new AllocationRepository(db)),
        events: bus,
        metrics: new AlertMetrics(registry),
        logger,
        clock,
      });
      bus.subscribe("alerts", (event) => engine.onEvent(event));
      return engine;
    };
    return {
      db,
      bus,
      seen,
      registry,
      engine: engineFor(),
      engineFor,
      clock,
      advance: (ms: number) => (now += ms),
    };
  }

  it("fires node.offline and node.degraded once while they hold, and resolves each once", async () => {
    const { db, seen, engine, registry } = await setUp();
    const node = await insertNode(db, { name: "edge", status: "online" });
    await insertNode(db, { name: "spare", status: "offline", enabled: 0 });
    expect((await engine.evaluate()).fired).toEqual([]);

    await db
      .updateTable("nodes")
      .set({ status: "offline", status_reason: "timeout" })
      .where("id", "=", node)
      .execute();
    const first = await engine.evaluate();
    expect(first.fired.map((a) => [a.kind, a.subject])).toEqual([["node.offline", node]]);
    expect((await engine.evaluate()).fired).toEqual([]);
    expect(await registry.render()).toContain(`wgfleet_node_up{node="${node}"} 0`);

    await db
      .updateTable("nodes")
      .set({ status: "degraded", status_reason: "slow" })
      .where("id", "=", node)
      .execute();
    const second = await engine.evaluate();
    expect(second.resolved.map((a) => a.kind)).toEqual(["node.offline"]);
    expect(second.fired.map((a) => a.kind)).toEqual(["node.degraded"]);
    expect(await registry.render()).toContain(`wgfleet_node_degraded{node="${node}"} 1`);

    await db
      .updateTable("nodes")
      .set({ status: "online", status_reason: null })
      .where("id", "=", node)
      .execute();
    expect((await engine.evaluate()).resolved.map((a) => a.kind)).toEqual(["node.degraded"]);
    expect((await engine.evaluate()).resolved).toEqual([]);
    expect(seen.map((e) => [e.type, e.data.kind])).toEqual([
      ["alert.firing", "node.offline"],
      ["alert.resolved", "node.offline"],
      ["alert.firing", "node.degraded"],
      ["alert.resolved", "node.degraded"],
    ]);
    expect(seen[0]?.data).toMatchObject({
      subject: node,
      summary: "node edge is offline: timeout",
      resolvedAt: null,
    });
    expect(seen[1]?.data.resolvedAt).toEqual(expect.any(String));
  });

  it("announces an alert once when two engines (replicas) tick together", async () => {
    const { db, seen, engine, engineFor } = await setUp();
    await insertNode(db, { status: "offline" });
    const other = engineFor();
    const reports = await Promise.all([engine.evaluate(), other.evaluate()]);
    expect(reports.flatMap((r) => r.fired)).toHaveLength(1);
    expect(seen.filter((e) => e.type === "alert.firing")).toHaveLength(1);
    const rows = await db.selectFrom("alerts").selectAll().execute();
    expect(rows).toHaveLength(1);
  });

  it("fires pool.full at the threshold, records hourly use and forecasts from it", async () => {
    const { db, seen, engine, advance, clock, registry } = await setUp();
    const nodeId = await insertNode(db, { name: "edge", status: "online" });
    const configuration = await insertConfiguration(db, { name: "office" });
    // 198.51.100.0/28: 13 addresses to hand out (network, broadcast and the gateway excluded).
    const ifaceId = await insertInterface(db, {
      node_id: nodeId,
      configuration_id: configuration,
      name: "wg3",
      pool_v4: "198.51.100.0/28",
    });
    const allocations = new AllocationRepository(db);
    const take = async (n: number) => {
      const peer = await insertPeer(db, { interface_id: ifaceId, name: `p${n}`, public_key: `key-${n}` });
      await allocations.insertIfFree([
        {
          interface_id: ifaceId,
          pool: "198.51.100.0/28",
          address: `198.51.100.${n + 1}`,
          peer_id: peer,
          created_at: "x",
        },
      ]);
    };
    for (let n = 1; n <= 4; n++) await take(n);
    await engine.evaluate();
    advance(2 * 60 * MINUTE);
    for (let n = 5; n <= 11; n++) await take(n);
    expect((await engine.evaluate()).fired).toEqual([]);
    // 7 addresses in 2 hours: 84 a day; 2 free → 0.0238 days, rounded up to a tenth.
    const forecasts = new PoolForecasts(new AlertRepository(db), clock);
    expect(await forecasts.forecastDays(ifaceId, "198.51.100.0/28", 2)).toBe(0.1);
    expect(await registry.render()).toContain(
      `wgfleet_pool_used_ratio{node="${nodeId}",interface="wg3"} ${11 / 13}`,
    );

    await take(12);
    const full = await engine.evaluate();
    expect(full.fired.map((a) => a.subject)).toEqual([`${ifaceId}/198.51.100.0/28`]);
    expect(seen.at(-1)?.data).toMatchObject({
      kind: "pool.full",
      details: {
        node: "edge",
        configuration: "office",
        interface: "wg3",
        used: 12,
        total: 13,
        thresholdPercent: 90,
      },
    });
    expect((await engine.evaluate()).fired).toEqual([]);
    const hours = await db.selectFrom("pool_usage_hours").select(["hour", "used"]).orderBy("hour").execute();
    expect(hours).toEqual([
      { hour: "2026-03-01T10:00:00.000Z", used: 4 },
      { hour: "2026-03-01T12:00:00.000Z", used: 12 },
    ]);
  });

  it("counts drift repairs heard on the bus per hour, and fires drift.repairs at three", async () => {
    const { db, bus, engine, advance, registry } = await setUp();
    const nodeId = await insertNode(db, { name: "edge", status: "online" });
    const repaired = (repairs: number) =>
      bus.publish({ type: "drift.repaired", data: { nodeId, name: "edge", interface: "wg0", repairs } });
    await repaired(1);
    await repaired(1);
    expect((await engine.evaluate()).fired).toEqual([]);
    advance(61 * MINUTE);
    await repaired(2);
    // Two in the last hour: the first two fell out of it.
    expect((await engine.evaluate()).fired).toEqual([]);
    await repaired(1);
    expect((await engine.evaluate()).fired.map((a) => a.kind)).toEqual(["drift.repairs"]);
    expect(await registry.render()).toContain(`wgfleet_drift_repairs_total{node="${nodeId}"} 5`);
    advance(61 * MINUTE);
    expect((await engine.evaluate()).resolved.map((a) => a.kind)).toEqual(["drift.repairs"]);
  });

  it("fires handshakes.stale above the share of peers that had a handshake, by the stored threshold", async () => {
    const { db, engine, registry } = await setUp();
    const ifaceId = await insertInterface(db, { name: "wg4" });
    const stats = async (name: string, handshakeAgoMs: number | null, enabled = 1) => {
      const peer = await insertPeer(db, { interface_id: ifaceId, name, public_key: `key-${name}`, enabled });
      await db
        .insertInto("peer_stats")
        .values({
          peer_id: peer,
          rx_bytes: 0,
          tx_bytes: 0,
          raw_rx: 0,
          raw_tx: 0,
          latest_handshake_at: handshakeAgoMs === null ? null : new Date(T0 - handshakeAgoMs).toISOString(),
          endpoint: null,
          updated_at: new Date(T0).toISOString(),
        })
        .execute();
    };
    await stats("fresh", MINUTE);
    await stats("old", 10 * MINUTE);
    await stats("never", null);
    await stats("off", 10 * MINUTE, 0);
    // 1 of the 2 that ever had one: 50 %, not above 50 %.
    expect((await engine.evaluate()).fired).toEqual([]);
    expect(await registry.render()).toContain("wgfleet_peers_handshake_stale_ratio 0.5");
    await new AlertRepository(db).saveSettings({
      poolFullPercent: 90,
      driftRepairsPerHour: 3,
      staleHandshakePercent: 40,
    });
    const report = await engine.evaluate();
    expect(report.fired.map((a) => [a.kind, a.subject])).toEqual([["handshakes.stale", "fleet"]]);
  });
});
