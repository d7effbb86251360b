// Issue 17, replicas: three `wgfleet serve` processes on one PostgreSQL database and two real agents.
// Only the elected leader polls: each agent's own request log shows one health request per interval,
// not one per replica. A replica started during a burst of creations on the others settles none of
// their in-flight peers (every creation succeeds, nothing is rolled back). SIGKILL to the leader: the
// lock's session ends, another replica takes over, and the agents are polled again within two
// intervals — still by one replica only.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FleetDashboard } from "../fleet/fleet-dashboard.js";
import type { FleetNode } from "../fleet/fleet-node.js";
import { eventually, type Fleet, startFleet } from "../fleet/harness.js";
import { engineSkipReason, testPostgresUrl } from "../support/databases.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  type ApiPeer,
  apiError,
  createConfiguration,
  fastHealthEnv,
  HEALTH_INTERVAL_MS,
  listPeers,
  liveAllowedIps,
  nodeStatus,
  placeConfiguration,
  postPeer,
} from "./support.js";

const skip = missingPrerequisites(wireguardPrerequisites()) ?? engineSkipReason("postgres");
const NAME = "rlead";
/** How long the health requests are counted for. */
const COUNT_WINDOW_MS = 6_000;
/** Creations running in parallel during the burst, and the most the burst makes. */
const BURST_CLIENTS = 6;
const BURST_MAX = 300;
const LEADER_LINE = "this replica is now the leader";

describe.skipIf(skip)("replicas: one leader polls, takeover, settlement by owner (issue 17)", () => {
  let fleet: Fleet | null = null;
  let database: { adminUrl: string; name: string } | null = null;
  const current = () => {
    if (!fleet) throw new Error("the fleet did not start (see the beforeAll error)");
    return fleet;
  };

  beforeAll(async () => {
    const adminUrl = await testPostgresUrl();
    const name = `wgfleet_rl_${randomBytes(6).toString("hex")}`;
    await withAdmin(adminUrl, (admin) => admin.query(`create database ${name}`));
    database = { adminUrl, name };
    fleet = await startFleet({
      nodes: 2,
      prefix: "rl",
      // GET requests are logged at debug: the agents' logs are where health requests are counted.
      agentArgs: ["--log-level", "debug"],
      dashboard: { databaseUrl: databaseUrl(adminUrl, name), env: fastHealthEnv() },
    });
    await fleet.registerNodes({ maxPeers: 1_000 });
    await createConfiguration(fleet.api, NAME, ["198.51.100.0/24", "203.0.113.0/24"]);
    await placeConfiguration(fleet, NAME, [
      { node: fleet.node(0), pool: "198.51.100.0/24", listenPort: 51850 },
      { node: fleet.node(1), pool: "203.0.113.0/24", listenPort: 51851 },
    ]);
    await fleet.addDashboard();
    await fleet.addDashboard();
    for (const node of [fleet.node(0), fleet.node(1)]) {
      await eventually(async () => (await nodeStatus(fleet!.api, node)) === "online", `${node.name} online`, {
        timeoutMs: 30 * HEALTH_INTERVAL_MS,
      });
    }
  }, 300_000);

  afterAll(async () => {
    try {
      await fleet?.stop();
    } finally {
      if (database) {
        const { adminUrl, name } = database;
        await withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
      }
    }
  }, 120_000);

  it("elects exactly one leader among the three replicas", async () => {
    const leaders = await leadersOf(current().dashboards);
    expect(leaders).toHaveLength(1);
  });

  it("each agent is polled for its health by one replica only", async () => {
    const fleet = current();
    for (const node of [fleet.node(0), fleet.node(1)]) {
      const count = await healthRequestsOver(node, COUNT_WINDOW_MS);
      const intervals = COUNT_WINDOW_MS / HEALTH_INTERVAL_MS;
      // One poller: about one request per interval. Three pollers would make about three.
      expect(count, `${node.name}: health requests in ${COUNT_WINDOW_MS} ms`).toBeGreaterThanOrEqual(
        intervals / 2,
      );
      expect(count, `${node.name}: health requests in ${COUNT_WINDOW_MS} ms`).toBeLessThanOrEqual(
        intervals * 1.5,
      );
    }
  });

  it("a replica started during a burst of creations settles none of the live replicas' peers", async () => {
    const fleet = current();
    const creators = fleet.dashboards.slice(0, 3).map((dashboard) => dashboard.api());
    let starting = true;
    let made = 0;
    const answers: Array<{ status: number; text: string; peer: ApiPeer | null }> = [];
    const client = async (k: number) => {
      while (starting && made < BURST_MAX) {
        const i = made++;
        const api = creators[(i + k) % creators.length]!;
        const answer = await postPeer(api, NAME, { name: `burst-${i}`, node: "auto" });
        const error = apiError(answer);
        answers.push({
          status: answer.status,
          text: error ? `${error.code}: ${error.message}` : "",
          peer: answer.status === 201 ? (answer.json as ApiPeer) : null,
        });
      }
    };
    const burst = Promise.all(Array.from({ length: BURST_CLIENTS }, (_, k) => client(k)));
    // The fourth replica starts (and settles at start-up) while creations are in flight.
    const late = await fleet.addDashboard();
    await sleep(2 * HEALTH_INTERVAL_MS);
    starting = false;
    await burst;

    expect(answers.length).toBeGreaterThan(10);
    expect(answers.filter((a) => a.status !== 201).map((a) => `${a.status} ${a.text}`)).toEqual([]);
    const settled = settledAtStart(await readFile(late.logFile, "utf8"));
    expect(settled, "pending peers the new replica settled at start").toEqual({ active: 0, removed: 0 });

    // Every created peer is active and live on its node exactly once.
    const peers = answers.map((a) => a.peer!);
    const listed = await listPeers(late.api(), NAME);
    const burstPeers = listed.filter((peer) => peer.name.startsWith("burst-"));
    expect(burstPeers).toHaveLength(peers.length);
    expect(burstPeers.every((peer) => peer.state === "active")).toBe(true);
    const live = new Map<string, string[]>();
    for (const node of [fleet.node(0), fleet.node(1)]) {
      for (const [key, ips] of await liveAllowedIps(node.ns, node.interfaceName(0))) live.set(key, ips);
    }
    for (const peer of peers) expect(live.get(peer.publicKey), peer.name).toEqual(peer.addresses);
  }, 180_000);

  it("SIGKILL to the leader: another replica polls within two intervals, and only one", async () => {
    const fleet = current();
    const [leader] = await leadersOf(fleet.dashboards);
    if (!leader) throw new Error("no leader");
    const killedAt = Date.now();
    await leader.kill();
    await sleep(4 * HEALTH_INTERVAL_MS);
    const followers = fleet.dashboards.filter((dashboard) => dashboard !== leader && dashboard.running);
    const next = await leadersOf(followers);
    expect(next).toHaveLength(1);
    for (const node of [fleet.node(0), fleet.node(1)]) {
      const first = (await healthRequestTimes(node)).find((at) => at > killedAt);
      expect(first, `${node.name}: a health request after the kill`).toBeDefined();
      // Elected at its next try (one interval at most), then its poller's first round (one more).
      expect(first! - killedAt, `${node.name}: first health request after the kill`).toBeLessThanOrEqual(
        2 * HEALTH_INTERVAL_MS + 1_000,
      );
    }
    for (const node of [fleet.node(0), fleet.node(1)]) {
      const count = await healthRequestsOver(node, COUNT_WINDOW_MS);
      expect(count, `${node.name} after the takeover`).toBeLessThanOrEqual(
        (COUNT_WINDOW_MS / HEALTH_INTERVAL_MS) * 1.5,
      );
    }
  }, 120_000);
});

/** The dashboards whose log says they were elected (and, for a killed one, nothing newer). */
async function leadersOf(dashboards: FleetDashboard[]): Promise<FleetDashboard[]> {
  const leaders: FleetDashboard[] = [];
  for (const dashboard of dashboards) {
    if (!dashboard.running) continue;
    const lines = logLines(await readFile(dashboard.logFile, "utf8"));
    const elected = lines.filter((line) => line.msg === LEADER_LINE).length;
    const demoted = lines.filter((line) => line.msg === "this replica is no longer the leader").length;
    if (elected > demoted) leaders.push(dashboard);
  }
  return leaders;
}

/** The times (ms) of the health requests the node's agent logged. */
async function healthRequestTimes(node: FleetNode): Promise<number[]> {
  return logLines(await readFile(node.logFile, "utf8"))
    .filter((line) => line.msg === "request" && line.path === "/v1/health")
    .map((line) => (typeof line.time === "string" ? Date.parse(line.time) : Number(line.time)));
}

async function healthRequestsOver(node: FleetNode, windowMs: number): Promise<number> {
  const from = Date.now();
  await sleep(windowMs);
  const to = Date.now();
  return (await healthRequestTimes(node)).filter((at) => at >= from && at < to).length;
}

/** What a dashboard's start-up synchronisation settled (its "node synchronised" lines). */
function settledAtStart(log: string): { active: number; removed: number } {
  const lines = logLines(log).filter((line) => line.msg === "node synchronised with the database");
  return {
    active: lines.reduce((sum, line) => sum + Number(line.settledActive ?? 0), 0),
    removed: lines.reduce((sum, line) => sum + Number(line.settledRemoved ?? 0), 0),
  };
}

function logLines(text: string): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const raw of text.split("\n")) {
    if (!raw.startsWith("{")) continue;
    try {
      lines.push(JSON.parse(raw) as Record<string, unknown>);
    } catch {
      // a line cut by a kill
    }
  }
  return lines;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
