// Issue 15, bulk: many peers at once against three real agents. 50 peers in one call spread by `auto`
// and live on their nodes; an agent stopped just before the call loses its part only (nothing of it in
// the database, in its pool or on the node), the others are live; bulk disable, enable, delete and move
// change WireGuard on the nodes; a bulk move to a named node is one peer request on the target and one on
// the source (the agents' request logs), and a dead target moves none and leaks no address; the CSV export imports into another configuration, a bad row refuses
// the whole file with its line numbers and creates nothing, `partial=true` creates the good rows.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type Fleet, type FleetNode } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  type ApiPeer,
  countBy,
  createConfiguration,
  expectLive,
  fastHealthEnv,
  HEALTH_INTERVAL_MS,
  listPeers,
  liveAllowedIps,
  nodeStatus,
  placeConfiguration,
  poolOf,
  requireId,
} from "./support.js";

const skip = missingPrerequisites(wireguardPrerequisites());

const SOURCE = "bkone";
const TARGET = "bktwo";
const SOURCE_POOLS = ["198.19.10.0/24", "198.19.11.0/24", "198.19.12.0/24"];
const TARGET_POOLS = ["198.19.20.0/24", "198.19.21.0/24", "198.19.22.0/24"];

interface BulkCreated {
  created: ApiPeer[];
  failures: Array<{ node: string; peers: number; message: string }>;
}

interface BulkAction {
  succeeded: number;
  failed: number;
  results: Array<{ id: string; ok: boolean; node: string | null; error?: string }>;
}

describe.skipIf(skip)("bulk peers against three real agents (issue 15)", () => {
  const current = useFleet({
    nodes: 3,
    prefix: "bk",
    dashboard: { env: fastHealthEnv({ agentTimeoutMs: 4_000 }) },
  });

  beforeAll(async () => {
    const fleet = current();
    await fleet.registerNodes({ maxPeers: 500 });
    await waitOnline(fleet, fleet.nodes);
    for (const [name, pools, port] of [
      [SOURCE, SOURCE_POOLS, 51840],
      [TARGET, TARGET_POOLS, 51841],
    ] as const) {
      await createConfiguration(fleet.api, name, ["198.19.0.0/16"]);
      await placeConfiguration(
        fleet,
        name,
        fleet.nodes.map((node, i) => ({
          node,
          pool: pools[i] as string,
          listenPort: port,
          k: name === SOURCE ? 0 : 1,
        })),
      );
    }
  }, 180_000);

  afterAll(async () => {
    // The agent stopped in a test is back for the fleet's own teardown checks.
    const fleet = current();
    for (const [i, node] of fleet.nodes.entries()) if (!node.agentPid) await fleet.startAgent(i);
  });

  it("creates 50 peers in one call, spread by auto over the three nodes, all live in `wg show`", async () => {
    const fleet = current();
    const answer = await fleet.api.expect<BulkCreated>(
      "POST",
      `/api/v1/configurations/${SOURCE}/peers/bulk`,
      { count: 50, namePrefix: "bk", expiresAt: "2099-01-31", dns: ["198.19.0.53"] },
      [201],
    );
    expect(answer.json.failures).toEqual([]);
    const created = answer.json.created;
    expect(created.map((p) => p.name)).toEqual(
      Array.from({ length: 50 }, (_, i) => `bk-${String(i + 1).padStart(3, "0")}`),
    );
    const perNode = countBy(created, (p) => p.node);
    expect([...perNode.keys()].sort()).toEqual(fleet.nodes.map((n) => requireId(n)).sort());
    for (const count of perNode.values()) expect(count).toBeGreaterThanOrEqual(16);
    for (const node of fleet.nodes)
      await expectLive(
        node.ns,
        node.interfaceName(0),
        created.filter((p) => p.node === node.id),
      );
    expect(new Set(created.flatMap((p) => p.addresses)).size).toBe(50);
  });

  it("an agent stopped just before the call: its part rolled back (no peer, no address, nothing on the node), the others live", async () => {
    const fleet = current();
    const stopped = fleet.node(2);
    const stoppedId = requireId(stopped);
    const poolBefore = await poolOf(fleet.api, stoppedId, stopped.interfaceName(0));
    const liveBefore = await liveAllowedIps(stopped.ns, stopped.interfaceName(0));
    await fleet.stopAgent(2);
    // Straight away: the dashboard still counts the node online, so `auto` gives it its share.
    const answer = await fleet.api.expect<BulkCreated>(
      "POST",
      `/api/v1/configurations/${SOURCE}/peers/bulk`,
      { count: 30, namePrefix: "half" },
      [201],
    );
    const failure = answer.json.failures.find((f) => f.node === stoppedId);
    expect(failure, JSON.stringify(answer.json.failures)).toBeDefined();
    expect(failure?.peers).toBeGreaterThan(0);
    expect(answer.json.created.length + (failure?.peers ?? 0)).toBe(30);
    expect(answer.json.created.every((p) => p.node !== stoppedId)).toBe(true);
    for (const node of fleet.nodes.slice(0, 2))
      await expectLive(
        node.ns,
        node.interfaceName(0),
        answer.json.created.filter((p) => p.node === node.id),
      );
    // Nothing of the failed part in the database or the pool.
    const peers = await listPeers(fleet.api, SOURCE);
    expect(peers.filter((p) => p.name.startsWith("half-")).length).toBe(answer.json.created.length);
    expect((await poolOf(fleet.api, stoppedId, stopped.interfaceName(0))).allocated).toBe(
      poolBefore.allocated,
    );
    // Nor on the node once its agent is back: exactly the peers it had.
    await fleet.startAgent(2);
    await waitOnline(fleet, [stopped]);
    await eventually(
      async () => {
        const live = await liveAllowedIps(stopped.ns, stopped.interfaceName(0));
        return [...live.keys()].sort().join() === [...liveBefore.keys()].sort().join();
      },
      "the stopped node has exactly its earlier peers",
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  });

  it("bulk disable and enable by filter, delete and move by ids: one change per node, visible in `wg show`", async () => {
    const fleet = current();
    const n1 = fleet.node(0);
    const onN1 = (await listPeers(fleet.api, SOURCE)).filter((p) => p.node === n1.id);
    const filter = { configuration: SOURCE, node: requireId(n1) };
    const disabled = await fleet.api.expect<BulkAction>(
      "POST",
      "/api/v1/peers/bulk",
      { filter, action: "disable" },
      [200],
    );
    expect(disabled.json).toMatchObject({ succeeded: onN1.length, failed: 0 });
    const liveOff = await liveAllowedIps(n1.ns, n1.interfaceName(0));
    for (const peer of onN1) expect(liveOff.has(peer.publicKey)).toBe(false);
    expect(
      (await listPeers(fleet.api, SOURCE)).filter((p) => p.node === n1.id).every((p) => !p.enabled),
    ).toBe(true);

    const enabled = await fleet.api.expect<BulkAction>(
      "POST",
      "/api/v1/peers/bulk",
      { filter, action: "enable" },
      [200],
    );
    expect(enabled.json).toMatchObject({ succeeded: onN1.length, failed: 0 });
    await expectLive(n1.ns, n1.interfaceName(0), onN1);

    const [gone1, gone2, move1, move2] = onN1;
    const deleted = await fleet.api.expect<BulkAction>(
      "POST",
      "/api/v1/peers/bulk",
      { ids: [gone1?.id, gone2?.id, "no-such-peer"], action: "delete" },
      [200],
    );
    expect(deleted.json).toMatchObject({ succeeded: 2, failed: 1 });
    expect(deleted.json.results.find((r) => r.id === "no-such-peer")?.error).toMatch(/not found/);
    const liveAfterDelete = await liveAllowedIps(n1.ns, n1.interfaceName(0));
    expect(liveAfterDelete.has(gone1?.publicKey ?? "")).toBe(false);
    expect((await listPeers(fleet.api, SOURCE)).some((p) => p.id === gone1?.id)).toBe(false);

    const n2 = fleet.node(1);
    const moved = await fleet.api.expect<BulkAction>(
      "POST",
      "/api/v1/peers/bulk",
      { ids: [move1?.id, move2?.id], action: "move", node: requireId(n2), graceHours: 0 },
      [200],
    );
    expect(moved.json).toMatchObject({ succeeded: 2, failed: 0 });
    const after = await listPeers(fleet.api, SOURCE);
    const movedPeers = after.filter((p) => p.id === move1?.id || p.id === move2?.id);
    expect(movedPeers.map((p) => p.node)).toEqual([n2.id, n2.id]);
    await expectLive(n2.ns, n2.interfaceName(0), movedPeers);
    await eventually(
      async () => !(await liveAllowedIps(n1.ns, n1.interfaceName(0))).has(move1?.publicKey ?? ""),
      "the moved peer is off its old node",
      { timeoutMs: 10_000, intervalMs: 200 },
    );
  });

  it("bulk move of 8 peers to a named node: ONE peer request on the target and ONE on the source; a dead target moves none and leaks no address", async () => {
    const fleet = current();
    const [n1, n2, n3] = [fleet.node(0), fleet.node(1), fleet.node(2)];
    const group = (await listPeers(fleet.api, SOURCE))
      .filter((p) => p.node === n1.id && p.enabled)
      .slice(0, 8);
    expect(group).toHaveLength(8);
    const ids = group.map((p) => p.id);

    // A dead target: every peer stays where it was, live, and the target's pool is as before.
    const poolBefore = await poolOf(fleet.api, requireId(n3), n3.interfaceName(0));
    await fleet.stopAgent(2);
    const refused = await fleet.api.expect<BulkAction>(
      "POST",
      "/api/v1/peers/bulk",
      { ids, action: "move", node: requireId(n3), graceHours: 0 },
      [200],
    );
    expect(refused.json).toMatchObject({ succeeded: 0, failed: 8 });
    const stayed = (await listPeers(fleet.api, SOURCE)).filter((p) => ids.includes(p.id));
    expect(stayed.map((p) => [p.node, p.addresses])).toEqual(group.map((p) => [p.node, p.addresses]));
    await expectLive(n1.ns, n1.interfaceName(0), stayed);
    expect((await poolOf(fleet.api, requireId(n3), n3.interfaceName(0))).allocated).toBe(
      poolBefore.allocated,
    );
    await fleet.startAgent(2);
    await waitOnline(fleet, [n3]);

    const before = [await peerWrites(n1), await peerWrites(n2)];
    const moved = await fleet.api.expect<BulkAction>(
      "POST",
      "/api/v1/peers/bulk",
      { ids, action: "move", node: requireId(n2), graceHours: 0 },
      [200],
    );
    expect(moved.json).toMatchObject({ succeeded: 8, failed: 0 });
    const after = (await listPeers(fleet.api, SOURCE)).filter((p) => ids.includes(p.id));
    expect(after.every((p) => p.node === n2.id)).toBe(true);
    await expectLive(n2.ns, n2.interfaceName(0), after);
    const liveOnN1 = await liveAllowedIps(n1.ns, n1.interfaceName(0));
    for (const peer of group) expect(liveOnN1.has(peer.publicKey)).toBe(false);
    // The agents' own request logs: one batch on the target, one on the source, not eight each.
    const [sourceWrites, targetWrites] = [
      (await peerWrites(n1)).slice(before[0]?.length),
      (await peerWrites(n2)).slice(before[1]?.length),
    ];
    expect(targetWrites, JSON.stringify(targetWrites)).toHaveLength(1);
    expect(sourceWrites, JSON.stringify(sourceWrites)).toHaveLength(1);
  });

  it("CSV: the export (no private key) imports into another configuration; a bad row refuses the file with line numbers; partial=true makes the good rows", async () => {
    const fleet = current();
    const exported = await fleet.api.get(`/api/v1/configurations/${SOURCE}/peers.csv`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = exported.text.trim().split("\r\n");
    expect(lines[0]).toBe("name,addresses,publicKey,expiresAt,quotaBytes,enabled,node");
    const source = await listPeers(fleet.api, SOURCE);
    expect(lines.length).toBe(source.length + 1);
    expect(exported.text).not.toMatch(/private/i);

    // The target has other pools: the addresses column is dropped, keys and nodes kept.
    const withoutAddresses = lines
      .map((line) =>
        line
          .split(",")
          .filter((_, i) => i !== 1)
          .join(","),
      )
      .join("\n");
    const imported = await fleet.api.postText<{ created: ApiPeer[]; errors: unknown[] }>(
      `/api/v1/configurations/${TARGET}/peers/import.csv`,
      "text/csv",
      withoutAddresses,
    );
    expect(imported.status, imported.text).toBe(201);
    expect(imported.json.errors).toEqual([]);
    const target = await listPeers(fleet.api, TARGET);
    expect(target.map((p) => [p.name, p.publicKey, p.node]).sort()).toEqual(
      source.map((p) => [p.name, p.publicKey, p.node]).sort(),
    );
    for (const node of fleet.nodes)
      await expectLive(
        node.ns,
        node.interfaceName(1),
        target.filter((p) => p.node === node.id),
      );

    const bad = [
      "name,addresses,expiresAt,quotaBytes",
      "csv-good,,2099-01-01,1000",
      '"csv\nnewline",,,',
      "csv-bad-date,,2099-02-30,",
      "csv-good,,,-5",
      "csv-range,203.0.113.9,,",
    ].join("\n");
    const refused = await fleet.api.postText(
      `/api/v1/configurations/${TARGET}/peers/import.csv`,
      "text/csv",
      bad,
    );
    expect(refused.status).toBe(400);
    const rows = (refused.json as { rows: Array<{ line: number; field: string }> }).rows;
    expect(rows.map((r) => [r.line, r.field])).toEqual([
      [3, "name"],
      [5, "expiresAt"],
      [6, "quotaBytes"],
      [7, "addresses"],
    ]);
    expect((await listPeers(fleet.api, TARGET)).length).toBe(target.length);

    const partial = await fleet.api.postText<{ created: ApiPeer[]; errors: Array<{ line: number }> }>(
      `/api/v1/configurations/${TARGET}/peers/import.csv?partial=true`,
      "text/csv",
      bad,
    );
    expect(partial.status, partial.text).toBe(201);
    expect(partial.json.created.map((p) => p.name)).toEqual(["csv-good"]);
    expect(new Set(partial.json.errors.map((e) => e.line))).toEqual(new Set([3, 5, 6, 7]));
    expect((await listPeers(fleet.api, TARGET)).length).toBe(target.length + 1);
  });
});

async function waitOnline(fleet: Fleet, nodes: FleetNode[]): Promise<void> {
  await eventually(
    async () =>
      (await Promise.all(nodes.map((node) => nodeStatus(fleet.api, node)))).every((s) => s === "online"),
    `${nodes.map((node) => node.name).join(", ")} online`,
    { timeoutMs: 30 * HEALTH_INTERVAL_MS, intervalMs: 100 },
  );
}

/** The peer writes (batch, single upsert or removal) the node's agent logged, in order: "METHOD path". */
async function peerWrites(node: FleetNode): Promise<string[]> {
  const text = await readFile(node.logFile, "utf8").catch(() => "");
  return text
    .split("\n")
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as { msg?: string; method?: string; path?: string }];
      } catch {
        return [];
      }
    })
    .filter((e) => e.msg === "request" && e.method !== "GET" && /\/peers(\/|$)/.test(e.path ?? ""))
    .map((e) => `${e.method} ${e.path}`);
}
