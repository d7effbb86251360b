// The stats poller's traffic history and the traffic route, on both engines, with a scripted node
// transport standing in for WireGuard (the real interface is test/dashboard/traffic-stats.test.ts):
// per-interface samples that add up to the peers' totals, counter resets, bounded rows, rates, the
// retention prune, offline nodes skipped, failing reads warned once, the local node's health stored.
import { LOCAL_NODE_ID } from "@wgfleet/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { forEachEngine } from "../../../../test/support/databases.js";
import { DEFAULT_STATS_SETTINGS, type StatsSettings } from "../config/stats-settings.js";
import { startDomainServices } from "../domain-services.js";
import { createTestApp, type TestApp } from "../http/test-support/test-app.js";
import { InterfaceRepository } from "../interfaces/interface.repository.js";
import { StatsRepository } from "./stats.repository.js";
import { StatsService } from "./stats.service.js";
import { StatsNodesRepository } from "./stats-nodes.repository.js";
import { ScriptedNode } from "./test-support/scripted-node.js";
import { TrafficService } from "./traffic.service.js";
import { TrafficSamplesRepository } from "./traffic-samples.repository.js";

const T0 = Date.parse("2030-03-01T12:00:00.000Z");
const SETTINGS: StatsSettings = { ...DEFAULT_STATS_SETTINGS, intervalMs: 10_000, retentionDays: 7 };

forEachEngine("traffic history", (open) => {
  let t: TestApp;
  const local = new ScriptedNode(LOCAL_NODE_ID);
  let clock = T0;
  let stats: StatsService;
  let traffic: TrafficService;
  let interfaceId = "";
  const keys: string[] = [];

  const set = (index: number, rx: number, tx: number) =>
    local.counters.set(keys[index] as string, { rx, tx });
  const samples = () => t.context.db.selectFrom("traffic_samples").selectAll().orderBy("at").execute();
  const peerTotals = async () => {
    const rows = await t.context.db.selectFrom("peer_stats").select(["rx_bytes", "tx_bytes"]).execute();
    return {
      rxBytes: rows.reduce((sum, r) => sum + Number(r.rx_bytes), 0),
      txBytes: rows.reduce((sum, r) => sum + Number(r.tx_bytes), 0),
    };
  };
  const api = async (url: string, headers = t.bearer(t.adminKey)) =>
    t.app.inject({ method: "GET", url, headers });

  beforeAll(async () => {
    t = await createTestApp(await open(), {
      config: { localNode: { enabled: true, unavailableReason: null } },
      localTransport: local,
    });
    await startDomainServices(t.context.services);
    const headers = t.bearer(t.adminKey);
    const post = async (url: string, payload: object) => {
      const response = await t.app.inject({ method: "POST", url, headers, payload });
      if (response.statusCode !== 201) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    await post("/api/v1/configurations", { name: "traffic" });
    interfaceId = (
      await post("/api/v1/configurations/traffic/interfaces", {
        nodeId: "local",
        listenPort: 51_820,
        pool: "198.51.100.0/24",
        endpoint: "198.18.0.1:51820",
      })
    ).id;
    for (const name of ["a", "b"]) {
      keys.push((await post("/api/v1/configurations/traffic/peers", { name, node: "local" })).publicKey);
    }
    const db = t.context.db;
    const samples = new TrafficSamplesRepository(db);
    const nodes = new StatsNodesRepository(db);
    stats = new StatsService({
      interfaces: new InterfaceRepository(db),
      stats: new StatsRepository(db),
      nodes,
      transports: t.context.services.nodeTransports,
      logger: t.context.logger,
      settings: SETTINGS,
      now: () => clock,
    });
    traffic = new TrafficService({
      samples,
      nodes,
      rates: stats.rates,
      settings: SETTINGS,
      now: () => clock,
    });
  });

  afterAll(async () => t?.close());

  beforeEach(() => {
    local.failReads = false;
  });

  it("stores each poll's new bytes in the interface's minute bucket: one row, summing to the peers' totals", async () => {
    set(0, 1_000, 2_000);
    set(1, 500, 0);
    const first = await stats.pollOnce();
    expect(first).toMatchObject({ interfaces: 1, peersRead: 2, rxBytes: 1_500, txBytes: 2_000, failures: 0 });
    clock += 10_000;
    set(0, 1_600, 2_500);
    expect(await stats.pollOnce()).toMatchObject({ rxBytes: 600, txBytes: 500 });
    clock += 10_000;
    expect(await stats.pollOnce()).toMatchObject({ rxBytes: 0, txBytes: 0, peersChanged: 0 });

    const rows = await samples();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      interface_id: interfaceId,
      node_id: "local",
      at: "2030-03-01T12:00:00.000Z",
    });
    expect({ rx: Number(rows[0]?.rx_bytes), tx: Number(rows[0]?.tx_bytes) }).toEqual({
      rx: 2_100,
      tx: 2_500,
    });
    expect(await peerTotals()).toEqual({ rxBytes: 2_100, txBytes: 2_500 });

    const answer = await traffic.traffic({ todayStart: "2030-03-01T00:00:00.000Z", series: true });
    expect(answer.today).toEqual({ rxBytes: 2_100, txBytes: 2_500 });
    expect(answer.nodes).toEqual([
      { nodeId: "local", now: { rxBytesPerSecond: 0, txBytesPerSecond: 0 }, today: answer.today },
    ]);
    expect(answer.series).toEqual([{ at: "2030-03-01T12:00:00.000Z", rxBytes: 2_100, txBytes: 2_500 }]);
  });

  it("measures traffic now as bytes per second between the last two polls, and forgets it when polls stop", async () => {
    clock += 10_000;
    set(1, 500 + 4_000, 1_000);
    await stats.pollOnce();
    const answer = await traffic.traffic({ node: "local" });
    expect(answer.now).toEqual({ rxBytesPerSecond: 400, txBytesPerSecond: 100 });
    expect(answer.measuredAt).toBe(new Date(clock).toISOString());
    clock += 31_000;
    expect((await traffic.traffic()).now).toEqual({ rxBytesPerSecond: 0, txBytesPerSecond: 0 });
  });

  it("counts only the new readings after a counter reset: never negative, never twice", async () => {
    const before = await peerTotals();
    clock += 60_000; // next bucket
    set(0, 100, 40); // the interface was re-created: counters restart below their last values
    set(1, 0, 0);
    const report = await stats.pollOnce();
    expect(report).toMatchObject({ rxBytes: 100, txBytes: 40 });
    clock += 10_000;
    set(0, 300, 40);
    expect(await stats.pollOnce()).toMatchObject({ rxBytes: 200, txBytes: 0 });
    const rows = await samples();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(Number(row.rx_bytes)).toBeGreaterThanOrEqual(0);
      expect(Number(row.tx_bytes)).toBeGreaterThanOrEqual(0);
    }
    expect(Number(rows[1]?.rx_bytes)).toBe(300);
    const after = await peerTotals();
    expect(after).toEqual({ rxBytes: before.rxBytes + 300, txBytes: before.txBytes + 40 });
    const sum = rows.reduce((s, r) => ({ rx: s.rx + Number(r.rx_bytes), tx: s.tx + Number(r.tx_bytes) }), {
      rx: 0,
      tx: 0,
    });
    expect(sum).toEqual({ rx: after.rxBytes, tx: after.txBytes });
  });

  it("counts a round once even when two polls are asked for at the same time", async () => {
    const before = await peerTotals();
    clock += 10_000;
    set(0, 1_300, 40);
    const [a, b] = await Promise.all([stats.pollOnce(), stats.pollOnce()]);
    expect(a.rxBytes + b.rxBytes).toBe(1_000);
    expect((await peerTotals()).rxBytes).toBe(before.rxBytes + 1_000);
  });

  it("warns once when reading an interface starts failing, and says when it works again", async () => {
    const warnings = () =>
      t.logs.filter((l) => l.includes('"level":40') && l.includes("reading live peer stats failed")).length;
    const before = warnings();
    local.failReads = true;
    for (let i = 0; i < 3; i++) expect((await stats.pollOnce()).failures).toBe(1);
    expect(warnings()).toBe(before + 1);
    local.failReads = false;
    expect((await stats.pollOnce()).failures).toBe(0);
    expect(t.logs.some((l) => l.includes("reading live peer stats works again"))).toBe(true);
  });

  it("does not ask offline or unavailable remote nodes, and logs that once per change", async () => {
    const remote = new ScriptedNode("n-offline");
    const now = new Date(clock).toISOString();
    await t.context.db
      .insertInto("nodes")
      .values({
        id: remote.nodeId,
        name: "remote-offline",
        agent_url: "http://198.18.0.250:9",
        secret_enc: null,
        secret_key_id: null,
        enabled: 1,
        weight: 100,
        max_peers: 10,
        endpoint_host: "198.18.0.250",
        status: "offline",
        status_reason: "offline: test",
        consecutive_failures: 3,
        last_health: null,
        last_seen_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const configuration = await t.context.db
      .selectFrom("configurations")
      .select("id")
      .executeTakeFirstOrThrow();
    const iface = await t.context.db
      .selectFrom("interfaces")
      .selectAll()
      .where("id", "=", interfaceId)
      .executeTakeFirstOrThrow();
    await t.context.db
      .insertInto("interfaces")
      .values({
        ...iface,
        id: "11111111-2222-4333-8444-555555555555",
        configuration_id: configuration.id,
        node_id: remote.nodeId,
      })
      .execute();
    t.context.services.nodeTransports.register(remote.nodeId, remote);
    try {
      const skippedLines = () => t.logs.filter((l) => l.includes("not polling live stats")).length;
      for (let i = 0; i < 3; i++) expect((await stats.pollOnce()).skipped).toBe(1);
      expect(remote.reads).toBe(0);
      expect(skippedLines()).toBe(1);
      await t.context.db
        .updateTable("nodes")
        .set({ status: "online" })
        .where("id", "=", remote.nodeId)
        .execute();
      expect((await stats.pollOnce()).skipped).toBe(0);
      expect(remote.reads).toBe(1);
      expect(t.logs.some((l) => l.includes("polling live stats again"))).toBe(true);
    } finally {
      t.context.services.nodeTransports.unregister(remote.nodeId);
      await t.context.db.deleteFrom("interfaces").where("node_id", "=", remote.nodeId).execute();
      await t.context.db.deleteFrom("nodes").where("id", "=", remote.nodeId).execute();
    }
  });

  it("stores the local node's own health report on every poll", async () => {
    await stats.pollOnce();
    const node = (await api("/api/v1/nodes/local")).json();
    expect(node.lastHealth).toMatchObject({ version: "scripted", protocol: "v1" });
    expect(node.lastSeenAt).toBe(new Date(clock).toISOString());
    expect(node.status).toBe("online");
  });

  describe("GET /api/v1/stats/traffic", () => {
    it("answers a viewer, overall and per node, with the series on request", async () => {
      await t.context.services.stats.pollOnce();
      const viewer = await t.createUser("viewer");
      const headers = t.bearer(await t.apiKeyFor(viewer));
      const overall = await api("/api/v1/stats/traffic", headers);
      expect(overall.statusCode).toBe(200);
      const body = overall.json();
      expect(body).toMatchObject({ node: null, sampleSeconds: 60, nodes: [{ nodeId: "local" }] });
      expect(body.series).toBeUndefined();
      const one = await api("/api/v1/stats/traffic?node=local&series=true", headers);
      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({
        node: "local",
        nodes: [{ nodeId: "local" }],
        series: expect.any(Array),
      });
    });

    it("refuses an unknown node (404), a bad todayStart and unknown parameters (400), and anonymous callers (401)", async () => {
      expect((await api("/api/v1/stats/traffic?node=nope")).statusCode).toBe(404);
      for (const query of ["todayStart=yesterday", "todayStart=2001-01-01T00:00:00Z", "extra=1"]) {
        const response = await api(`/api/v1/stats/traffic?${query}`);
        expect(response.statusCode, query).toBe(400);
        expect(response.json().error.code).toBe("VALIDATION");
      }
      const bad = await api("/api/v1/stats/traffic?todayStart=2001-01-01T00:00:00Z");
      expect(bad.json().error.field).toBe("todayStart");
      expect((await t.app.inject({ method: "GET", url: "/api/v1/stats/traffic" })).statusCode).toBe(401);
    });

    it("is in the OpenAPI document with its response schema", async () => {
      const doc = (await api("/api/v1/openapi.json")).json();
      const operation = doc.paths["/api/v1/stats/traffic"].get;
      expect(operation.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
        "from",
        "id",
        "node",
        "scope",
        "series",
        "step",
        "to",
        "todayStart",
      ]);
      const schema = operation.responses["200"].content["application/json"].schema;
      expect(Object.keys(schema.properties)).toEqual(
        expect.arrayContaining(["now", "today", "nodes", "series", "measuredAt"]),
      );
    });
  });
});
