// The traffic history end to end on both engines, time moved by an injected clock: the stats round's
// per-peer minute buckets against a model of what the scripted counters moved (counter resets
// included), the rollup into hours and days (sums equal, re-runs and restarts change nothing), the
// history query of every scope through the HTTP route (steps, points, auto, stitching of the part not
// rolled yet, handshakes, 400s and 404s, viewers), and the retention prune of each table.
import { LOCAL_NODE_ID } from "@wgfleet/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine } from "../../../../test/support/databases.js";
import { startDomainServices } from "../domain-services.js";
import { createTestApp, type TestApp } from "../http/test-support/test-app.js";
import { ScriptedNode } from "./test-support/scripted-node.js";
import { type HistoryTable, TrafficRollupRepository } from "./traffic-rollup.repository.js";
import { TrafficRollupService } from "./traffic-rollup.service.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Two hours before midnight: the scenario crosses a day boundary. */
const T0 = Date.parse("2030-03-01T22:00:00.000Z");
const REMOTE = "n-history";

interface Bytes {
  rx: number;
  tx: number;
}

interface TestPeer {
  name: string;
  id: string;
  publicKey: string;
  node: ScriptedNode;
  interfaceId: string;
  nodeId: string;
  configuration: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const floorTo = (ms: number, step: number) => Math.floor(ms / step) * step;

forEachEngine("traffic history rollups and query", (open) => {
  let t: TestApp;
  let clock = T0;
  const local = new ScriptedNode(LOCAL_NODE_ID);
  const remote = new ScriptedNode(REMOTE);
  const peers: TestPeer[] = [];
  const interfaces: Record<string, { id: string; nodeId: string; configuration: string }> = {};
  /** What the scripted counters moved: peer id → minute bucket start (ms) → bytes. */
  const model = new Map<string, Map<number, Bytes>>();
  /** The raw counters each peer's node reports now. */
  const raw = new Map<string, Bytes>();

  const api = async (url: string, headers = t.bearer(t.adminKey)) =>
    t.app.inject({ method: "GET", url, headers });
  const history = async (query: string) => {
    const response = await api(`/api/v1/stats/traffic?${query}`);
    if (response.statusCode !== 200) throw new Error(`${query}: ${response.statusCode} ${response.body}`);
    return response.json().history;
  };
  const peer = (name: string) => peers.find((p) => p.name === name) as TestPeer;

  /** Sets a peer's raw counters and books what the dashboard should count for it at the current minute. */
  const setRaw = (p: TestPeer, next: Bytes) => {
    const previous = raw.get(p.id) ?? { rx: 0, tx: 0 };
    // WireGuard's counters restart from zero: a smaller reading is all that moved since.
    const delta = {
      rx: next.rx >= previous.rx ? next.rx - previous.rx : next.rx,
      tx: next.tx >= previous.tx ? next.tx - previous.tx : next.tx,
    };
    raw.set(p.id, next);
    p.node.counters.set(p.publicKey, next);
    const buckets = model.get(p.id) ?? new Map<number, Bytes>();
    model.set(p.id, buckets);
    const at = floorTo(clock, MINUTE);
    const sum = buckets.get(at) ?? { rx: 0, tx: 0 };
    buckets.set(at, { rx: sum.rx + delta.rx, tx: sum.tx + delta.tx });
  };

  /** Modelled bytes of the peers `which` selects in [from, to). */
  const expected = (which: (p: TestPeer) => boolean, from: number, to: number): Bytes => {
    const sum = { rx: 0, tx: 0 };
    for (const p of peers.filter(which)) {
      for (const [at, bytes] of model.get(p.id) ?? []) {
        if (at < from || at >= to) continue;
        sum.rx += bytes.rx;
        sum.tx += bytes.tx;
      }
    }
    return sum;
  };
  const total = (points: Array<{ rxBytes: number; txBytes: number }>): Bytes =>
    points.reduce((s, p) => ({ rx: s.rx + p.rxBytes, tx: s.tx + p.txBytes }), { rx: 0, tx: 0 });
  const rows = async (table: "traffic_peer_hours" | "traffic_peer_days" | "traffic_interface_hours") =>
    t.context.db.selectFrom(table).selectAll().orderBy("at").execute();
  const snapshot = async () => {
    const db = t.context.db;
    const all = async (table: Parameters<typeof db.selectFrom>[0]) =>
      (await db.selectFrom(table).selectAll().execute()).map((r) => JSON.stringify(r)).sort();
    return {
      peerHours: await all("traffic_peer_hours"),
      peerDays: await all("traffic_peer_days"),
      interfaceHours: await all("traffic_interface_hours"),
      interfaceDays: await all("traffic_interface_days"),
      marks: await all("traffic_rollup_marks"),
    };
  };

  beforeAll(async () => {
    t = await createTestApp(await open(), {
      config: { localNode: { enabled: true, unavailableReason: null } },
      localTransport: local,
      clock: { now: () => clock },
    });
    await startDomainServices(t.context.services);
    const now = iso(clock);
    await t.context.db
      .insertInto("nodes")
      .values({
        id: REMOTE,
        name: "remote-history",
        agent_url: "http://198.18.0.251:9",
        secret_enc: t.context.secrets.encrypt("history-test-secret-0123456789abcdef"),
        secret_key_id: null,
        enabled: 1,
        weight: 100,
        max_peers: 100,
        endpoint_host: "198.18.0.251",
        status: "online",
        status_reason: null,
        consecutive_failures: 0,
        last_health: null,
        last_seen_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
    // The dashboard registers its own transport for a node it meets; the scripted one replaces it.
    await t.context.services.remoteNodes.ensure([REMOTE]);
    t.context.services.nodeTransports.register(REMOTE, remote);
    const headers = t.bearer(t.adminKey);
    const post = async (url: string, payload: object) => {
      const response = await t.app.inject({ method: "POST", url, headers, payload });
      if (response.statusCode !== 201) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    await post("/api/v1/configurations", { name: "hista" });
    await post("/api/v1/configurations", { name: "histb" });
    const addInterface = async (key: string, configuration: string, nodeId: string, pool: string) => {
      const created = await post(`/api/v1/configurations/${configuration}/interfaces`, {
        nodeId,
        listenPort: nodeId === REMOTE ? 51_830 : configuration === "hista" ? 51_831 : 51_832,
        pool,
        endpoint: nodeId === REMOTE ? "198.18.0.251:51830" : "198.18.0.1:51831",
      });
      interfaces[key] = { id: created.id, nodeId, configuration };
    };
    await addInterface("A", "hista", LOCAL_NODE_ID, "198.51.100.0/25");
    await addInterface("B", "histb", LOCAL_NODE_ID, "203.0.113.0/25");
    await addInterface("C", "histb", REMOTE, "203.0.113.128/25");
    for (const [name, key] of [
      ["a1", "A"],
      ["a2", "A"],
      ["b1", "B"],
      ["c1", "C"],
    ] as const) {
      const iface = interfaces[key] as { id: string; nodeId: string; configuration: string };
      const created = await post(`/api/v1/configurations/${iface.configuration}/peers`, {
        name,
        node: iface.nodeId,
      });
      peers.push({
        name,
        id: created.id,
        publicKey: created.publicKey,
        node: iface.nodeId === REMOTE ? remote : local,
        interfaceId: iface.id,
        nodeId: iface.nodeId,
        configuration: iface.configuration,
      });
    }
  });

  afterAll(async () => {
    t?.context.services.nodeTransports.unregister(REMOTE);
    await t?.close();
  });

  it("writes sparse per-peer minute buckets that add up to the interface buckets, a counter reset counted once", async () => {
    // 3.5 hours of polls every 5 minutes; b1 is idle every third poll, c1 moves only rx.
    for (let k = 0; clock < T0 + 3.5 * HOUR; k++) {
      for (const [i, p] of peers.entries()) {
        const before = raw.get(p.id) ?? { rx: 0, tx: 0 };
        const idle = p.name === "b1" && k % 3 === 0;
        const rx = idle ? 0 : ((k * 7 + i * 13) % 50) * 1_000 + 1;
        const tx = idle || p.name === "c1" ? 0 : ((k * 3 + i * 5) % 20) * 500;
        setRaw(p, { rx: before.rx + rx, tx: before.tx + tx });
      }
      if (k % 4 === 0) peer("a1").node.handshakes.set(peer("a1").publicKey, Math.floor(clock / 1000) - 5);
      await t.context.services.stats.pollOnce();
      clock += 5 * MINUTE;
    }
    // A reset in the middle of a minute bucket: 20 s in, a1's counters restart below their last values.
    const a1 = peer("a1");
    const resetMinute = floorTo(clock, MINUTE);
    const beforeReset = model.get(a1.id)?.get(resetMinute) ?? { rx: 0, tx: 0 };
    setRaw(a1, { rx: (raw.get(a1.id)?.rx ?? 0) + 4_000, tx: (raw.get(a1.id)?.tx ?? 0) + 40 });
    await t.context.services.stats.pollOnce();
    clock += 20_000;
    setRaw(a1, { rx: 700, tx: 70 });
    await t.context.services.stats.pollOnce();
    clock += 20_000;
    setRaw(a1, { rx: 1_000, tx: 100 });
    await t.context.services.stats.pollOnce();
    clock += 20_000;
    expect(model.get(a1.id)?.get(resetMinute)).toEqual({
      rx: beforeReset.rx + 4_000 + 700 + 300,
      tx: beforeReset.tx + 40 + 70 + 30,
    });

    const db = t.context.db;
    const minutes = await db.selectFrom("traffic_peer_minutes").selectAll().execute();
    const stored = new Map(
      minutes.map((r) => [`${r.peer_id} ${r.at}`, { rx: Number(r.rx_bytes), tx: Number(r.tx_bytes) }]),
    );
    const modelled = new Map<string, Bytes>();
    for (const [peerId, buckets] of model) {
      for (const [at, bytes] of buckets)
        if (bytes.rx + bytes.tx > 0) modelled.set(`${peerId} ${iso(at)}`, bytes);
    }
    expect(stored).toEqual(modelled);
    expect(minutes.some((r) => r.peer_id === peer("b1").id && r.at === iso(T0))).toBe(false);

    // Every interface bucket is the sum of its peers' buckets, and carries its configuration.
    const samples = await db.selectFrom("traffic_samples").selectAll().execute();
    for (const sample of samples) {
      const iface = Object.values(interfaces).find((i) => i.id === sample.interface_id);
      const at = Date.parse(sample.at);
      expect({ rx: Number(sample.rx_bytes), tx: Number(sample.tx_bytes) }).toEqual(
        expected((p) => p.interfaceId === sample.interface_id, at, at + MINUTE),
      );
      const configuration = await db
        .selectFrom("configurations")
        .select("id")
        .where("name", "=", iface?.configuration as string)
        .executeTakeFirstOrThrow();
      expect(sample.configuration_id).toBe(configuration.id);
    }
    const totals = await db.selectFrom("peer_stats").select(["peer_id", "rx_bytes"]).execute();
    for (const row of totals) {
      expect(Number(row.rx_bytes)).toBe(expected((p) => p.id === row.peer_id, 0, Number.MAX_SAFE_INTEGER).rx);
    }
  });

  it("rolls closed hours and days up, sums equal to the minutes; the open hour stays in minutes", async () => {
    const report = await t.context.services.trafficRollup.runOnce();
    const closedHour = floorTo(clock - 2 * MINUTE, HOUR);
    expect(report.hoursUntil).toBe(iso(closedHour));
    expect(report.daysUntil).toBe(iso(floorTo(closedHour, DAY)));

    const peerHours = await rows("traffic_peer_hours");
    expect(peerHours.length).toBeGreaterThan(0);
    for (const row of peerHours) {
      const at = Date.parse(row.at);
      expect(at).toBeLessThan(closedHour);
      expect({ rx: Number(row.rx_bytes), tx: Number(row.tx_bytes) }).toEqual(
        expected((p) => p.id === row.peer_id, at, at + HOUR),
      );
    }
    for (const p of peers) {
      const sum = peerHours
        .filter((r) => r.peer_id === p.id)
        .reduce((s, r) => ({ rx: s.rx + Number(r.rx_bytes), tx: s.tx + Number(r.tx_bytes) }), {
          rx: 0,
          tx: 0,
        });
      expect(sum).toEqual(expected((q) => q.id === p.id, 0, closedHour));
    }
    for (const row of await rows("traffic_interface_hours")) {
      const at = Date.parse(row.at);
      const iface = Object.values(interfaces).find((i) => i.id === row.interface_id);
      expect(row.node_id).toBe(iface?.nodeId);
      expect({ rx: Number(row.rx_bytes), tx: Number(row.tx_bytes) }).toEqual(
        expected((p) => p.interfaceId === row.interface_id, at, at + HOUR),
      );
    }
    const day = Date.parse("2030-03-01T00:00:00.000Z");
    const peerDays = await rows("traffic_peer_days");
    expect(new Set(peerDays.map((r) => r.at))).toEqual(new Set([iso(day)]));
    for (const row of peerDays) {
      expect({ rx: Number(row.rx_bytes), tx: Number(row.tx_bytes) }).toEqual(
        expected((p) => p.id === row.peer_id, day, day + DAY),
      );
    }
  });

  it("changes nothing when run again, or after a restart with a new job", async () => {
    const before = await snapshot();
    await t.context.services.trafficRollup.runOnce();
    expect(await snapshot()).toEqual(before);
    const restarted = new TrafficRollupService({
      rollups: new TrafficRollupRepository(t.context.db),
      logger: t.context.logger,
      now: () => clock,
    });
    await Promise.all([restarted.runOnce(), restarted.runOnce()]);
    expect(await snapshot()).toEqual(before);
    // Even a mark behind the rows (rolled ranges rolled again) rewrites the same sums, never adds.
    await t.context.db
      .updateTable("traffic_rollup_marks")
      .set({ until: iso(T0 - DAY) })
      .execute();
    await restarted.runOnce();
    expect(await snapshot()).toEqual(before);
  });

  it("answers every scope with the right sums, stitching the part not rolled yet", async () => {
    const configurationB = (p: TestPeer) => p.configuration === "histb";
    const scopes: Array<[string, (p: TestPeer) => boolean]> = [
      [`scope=peer&id=${peer("a1").id}`, (p) => p.name === "a1"],
      [`scope=interface&id=${interfaces.C?.id}`, (p) => p.name === "c1"],
      [`scope=node&id=${LOCAL_NODE_ID}`, (p) => p.nodeId === LOCAL_NODE_ID],
      [`scope=node&id=${REMOTE}`, (p) => p.nodeId === REMOTE],
      ["scope=configuration&id=histb", configurationB],
      ["scope=fleet", () => true],
    ];
    const from = T0 - HOUR;
    const to = clock;
    for (const [scope, which] of scopes) {
      for (const step of ["1m", "5m", "15m", "1h", "6h", "1d"]) {
        const answer = await history(`${scope}&from=${iso(from)}&to=${iso(to)}&step=${step}`);
        expect(answer.step, scope).toBe(step);
        expect(total(answer.points), `${scope} ${step}`).toEqual(expected(which, from, to));
      }
      // Each hourly point is its hour: the rolled hours from the hourly table, the newest from minutes.
      const hourly = await history(`${scope}&from=${iso(from)}&to=${iso(to)}&step=1h`);
      expect(hourly.stepSeconds).toBe(3_600);
      for (const point of hourly.points) {
        const at = Date.parse(point.at);
        expect({ rx: point.rxBytes, tx: point.txBytes }).toEqual(expected(which, at, at + HOUR));
      }
      expect(hourly.points.at(-1).at).toBe(iso(floorTo(to, HOUR)));
    }
    const oneMinute = await history(
      `scope=peer&id=${peer("a1").id}&from=${iso(T0)}&to=${iso(T0 + 10 * MINUTE)}&step=1m`,
    );
    expect(oneMinute).toMatchObject({ scope: "peer", id: peer("a1").id, from: iso(T0), stepSeconds: 60 });
    expect(oneMinute.points.map((p: { at: string }) => p.at)).toEqual([iso(T0), iso(T0 + 5 * MINUTE)]);
  });

  it("lists a peer's distinct handshake times, and none for other scopes", async () => {
    const answer = await history(`scope=peer&id=${peer("a1").id}&from=${iso(T0)}&to=${iso(clock)}&step=1h`);
    const expectedTimes = [];
    for (let k = 0; T0 + k * 5 * MINUTE < T0 + 3.5 * HOUR; k += 4) {
      expectedTimes.push(iso((Math.floor((T0 + k * 5 * MINUTE) / 1000) - 5) * 1000));
    }
    expect(answer.handshakes).toEqual(expectedTimes.filter((at) => at >= iso(T0)));
    expect((await history("scope=fleet")).handshakes).toBeUndefined();
  });

  it("picks the finest step the kept history holds that gives at most 1,000 points", async () => {
    for (const [span, step] of [
      [3 * HOUR, "1m"],
      [DAY, "5m"],
      [6 * DAY, "15m"],
      [30 * DAY, "1h"],
      [60 * DAY, "6h"],
      [200 * DAY, "1d"],
    ] as const) {
      const answer = await history(`scope=fleet&from=${iso(clock - span)}&to=${iso(clock)}`);
      expect(answer.step, `${span / HOUR} h`).toBe(step);
      expect(answer.points.length).toBeLessThanOrEqual(1_000);
    }
    expect((await history("scope=fleet")).from).toBe(iso(floorTo(clock - DAY, 5 * MINUTE)));
  });

  it("refuses a missing id, bad times and too fine steps (400 naming the field), unknown things (404)", async () => {
    const bad: Array<[string, string]> = [
      ["scope=peer", "id"],
      ["scope=configuration", "id"],
      ["scope=fleet&from=yesterday", "from"],
      ["scope=fleet&from=2030-03-01", "from"],
      ["scope=fleet&to=soon", "to"],
      [`scope=fleet&from=${iso(clock)}&to=${iso(clock - HOUR)}`, "from"],
      [`scope=fleet&from=${iso(clock - 2 * DAY)}&to=${iso(clock)}&step=1m`, "step"],
      [`scope=fleet&from=${iso(clock - 10 * DAY)}&to=${iso(clock - 10 * DAY + HOUR)}&step=5m`, "step"],
      [`scope=fleet&from=${iso(clock - 100 * DAY)}&to=${iso(clock - 99 * DAY)}&step=1h`, "step"],
      [`scope=fleet&from=${iso(clock - 2_000 * DAY)}&to=${iso(clock)}`, "from"],
      ["scope=fleet&step=2m", "step"],
      ["scope=galaxy", "scope"],
    ];
    for (const [query, field] of bad) {
      const response = await api(`/api/v1/stats/traffic?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.field, query).toBe(field);
    }
    for (const query of [
      "scope=peer&id=00000000-0000-4000-8000-000000000000",
      "scope=interface&id=nope",
      "scope=node&id=nope",
      "scope=configuration&id=nope",
    ]) {
      expect((await api(`/api/v1/stats/traffic?${query}`)).statusCode, query).toBe(404);
    }
  });

  it("answers a viewer, with today's fields as before", async () => {
    const viewer = await t.createUser("viewer");
    const response = await api(
      `/api/v1/stats/traffic?scope=peer&id=${peer("b1").id}`,
      t.bearer(await t.apiKeyFor(viewer)),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      node: null,
      sampleSeconds: 60,
      today: expect.any(Object),
      history: { scope: "peer", id: peer("b1").id, step: "5m" },
    });
    expect(response.json().history.handshakes).toEqual([]);
  });

  it("prunes each table past its own retention, keeping the coarser history", async () => {
    const db = t.context.db;
    const count = async (table: HistoryTable) => (await db.selectFrom(table).select("at").execute()).length;
    const fleet = expected(() => true, 0, floorTo(clock - 2 * MINUTE, HOUR));
    clock += 8 * DAY;
    let report = await t.context.services.trafficRollup.runOnce();
    expect(report.pruned).toMatchObject({
      traffic_samples: expect.any(Number),
      traffic_peer_minutes: expect.any(Number),
      traffic_peer_handshakes: expect.any(Number),
    });
    for (const table of ["traffic_samples", "traffic_peer_minutes", "traffic_peer_handshakes"] as const) {
      expect(await count(table), table).toBe(0);
    }
    expect(await count("traffic_peer_hours")).toBeGreaterThan(0);
    // The rollup ran before the prune: every minute is in the hours now, the history still whole.
    const month = await history(`scope=fleet&from=${iso(clock - 30 * DAY)}&to=${iso(clock)}`);
    expect(month.step).toBe("1h");
    expect(total(month.points)).toEqual(expected(() => true, 0, Number.MAX_SAFE_INTEGER));
    expect(total(month.points).rx).toBeGreaterThan(fleet.rx);

    clock += 90 * DAY;
    report = await t.context.services.trafficRollup.runOnce();
    expect(await count("traffic_peer_hours")).toBe(0);
    expect(await count("traffic_interface_hours")).toBe(0);
    expect(await count("traffic_peer_days")).toBeGreaterThan(0);
    const year = await history(`scope=fleet&from=${iso(clock - 365 * DAY)}&to=${iso(clock)}`);
    expect(year.step).toBe("1d");
    expect(total(year.points)).toEqual(expected(() => true, 0, Number.MAX_SAFE_INTEGER));

    clock += 731 * DAY;
    await t.context.services.trafficRollup.runOnce();
    for (const table of ["traffic_peer_days", "traffic_interface_days"] as const) {
      expect(await count(table), table).toBe(0);
    }
  });
});
