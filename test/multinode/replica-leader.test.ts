// Issue 17, replicas: three `wgfleet serve` processes on one PostgreSQL database and three real agents.
// Only the elected leader polls: each agent's own request log shows one health request per interval,
// not one per replica. A node's new secret and an address freed through one replica are used by
// another at once (LISTEN/NOTIFY), and a replica whose listening connection is cut drops its caches.
// The acceptance burst: 300 concurrent `auto` creations spread over the three replicas while the
// leader is SIGKILLed half way — every creation succeeded, or answered an error and left nothing; no
// duplicate or lost address; every peer live exactly once; polling resumes on another replica within
// two intervals, by one replica only. Last, a replica started during a burst of creations on the
// others settles none of their in-flight peers.
import { readFile } from "node:fs/promises";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { FleetApi } from "../fleet/fleet-api.js";
import type { FleetDashboard } from "../fleet/fleet-dashboard.js";
import type { FleetNode } from "../fleet/fleet-node.js";
import { eventually } from "../fleet/harness.js";
import { replicaFleetSkipReason, useReplicaFleet } from "./replica-fleet.js";
import {
  type ApiPeer,
  apiError,
  countBy,
  createConfiguration,
  createPeer,
  fastHealthEnv,
  HEALTH_INTERVAL_MS,
  listPeers,
  liveAllowedIps,
  placeConfiguration,
  poolOf,
  postPeer,
  requireId,
  waitNodesOnline,
} from "./support.js";

const skip = replicaFleetSkipReason();
const NAME = "rlead";
const POOLS = ["198.51.100.0/24", "203.0.113.0/24", "198.19.0.0/24"];
/** How long the health requests are counted for. */
const COUNT_WINDOW_MS = 6_000;
/** The acceptance burst: creations in all, and how many run at once. */
const ACCEPT_TOTAL = 300;
const ACCEPT_CLIENTS = 30;
/** Creations running in parallel during the late replica's burst, and the most that burst makes. */
const BURST_CLIENTS = 6;
const BURST_MAX = 200;
/**
 * How long a notice takes from one replica to another: milliseconds. Waited for before the replica
 * that must use the new value is asked; nothing else would tell it (it is not the leader, and its
 * pools are read again only when they run out).
 */
const NOTICE_MS = 250;
const LEADER_LINE = "this replica is now the leader";

interface Answer {
  name: string;
  /** 0: no answer (the connection to a killed replica broke). */
  status: number;
  text: string;
  peer: ApiPeer | null;
}

describe.skipIf(skip)(
  "replicas: one leader polls, caches follow, takeover, settlement by owner (issue 17)",
  () => {
    const started = useReplicaFleet({
      nodes: 3,
      prefix: "rl",
      // GET requests are logged at debug: the agents' logs are where health requests are counted.
      agentArgs: ["--log-level", "debug"],
      dashboard: { env: fastHealthEnv() },
    });
    const current = () => started().fleet;
    const nodes = () => [current().node(0), current().node(1), current().node(2)];
    const running = () => current().dashboards.filter((dashboard) => dashboard.running);

    beforeAll(async () => {
      const fleet = current();
      await fleet.registerNodes({ maxPeers: 1_000 });
      await createConfiguration(fleet.api, NAME, POOLS);
      await placeConfiguration(
        fleet,
        NAME,
        nodes().map((node, i) => ({ node, pool: POOLS[i] as string, listenPort: 51850 + i })),
      );
      await fleet.addDashboard();
      await fleet.addDashboard();
      await waitNodesOnline(fleet.api, nodes());
    }, 300_000);

    it("elects exactly one leader among the three replicas", async () => {
      const leaders = await leadersOf(current().dashboards);
      expect(leaders).toHaveLength(1);
    });

    it("each agent is polled for its health by one replica only", async () => {
      await Promise.all(nodes().map((node) => expectPolledByOne(node)));
    });

    it("a node's secret rotated through one replica is used by another at once", async () => {
      const [a, b] = await followers();
      const node = current().node(2);
      // B signs with the secret it knows: its transport for the node exists before the rotation.
      await createPeer(b.api(), NAME, { name: "before-rotation", node: requireId(node) });
      const rotated = await a
        .api()
        .expect<{ previousDropped: boolean }>(
          "POST",
          `/api/v1/nodes/${requireId(node)}/rotate-secret`,
          {},
          [200],
        );
      // The agent no longer accepts the old secret: B must have switched to the new one.
      expect(rotated.json.previousDropped).toBe(true);
      await sleep(NOTICE_MS);
      const answer = await postPeer(b.api(), NAME, { name: "after-rotation", node: requireId(node) });
      expect(answer.status, JSON.stringify(answer.json)).toBe(201);
    });

    it("an address freed through one replica is handed out by another at once", async () => {
      const [a, b] = await followers();
      const node = requireId(current().node(0));
      const first = await createPeer(a.api(), NAME, { name: "pool-1", node });
      // B's allocator for the interface is loaded now, with pool-1's address taken.
      await createPeer(b.api(), NAME, { name: "pool-2", node });
      await a.api().expect("DELETE", `/api/v1/peers/${first.id}`, undefined, [204]);
      await sleep(NOTICE_MS);
      const reused = await createPeer(b.api(), NAME, { name: "pool-3", node });
      expect(reused.addresses).toEqual(first.addresses);
    });

    it("a cut listening connection is opened again and the replica's caches dropped", async () => {
      const [a, b] = await followers();
      const node = requireId(current().node(0));
      const second = (await listPeers(b.api(), NAME)).find((peer) => peer.name === "pool-2");
      if (!second) throw new Error("pool-2 is missing");
      const { db } = started().database;
      const replica = await db
        .selectFrom("replicas")
        .select("id")
        .where("pid", "=", b.pid)
        .executeTakeFirst();
      const { rows } = await sql<{ ended: boolean }>`
        select pg_terminate_backend(pid, 5000) as ended from pg_stat_activity
        where application_name = ${`wgfleet-cache ${replica?.id}`}`.execute(db);
      expect(rows.map((row) => row.ended)).toEqual([true]);
      // Freed while B does not listen: B never hears of it.
      await a.api().expect("DELETE", `/api/v1/peers/${second.id}`, undefined, [204]);
      await eventually(
        async () =>
          logLines(await readFile(b.logFile, "utf8")).some(
            (l) => l.msg === "cache invalidation: every cache dropped",
          ),
        "B listening again with its caches dropped",
        { timeoutMs: 10_000 },
      );
      const reused = await createPeer(b.api(), NAME, { name: "pool-4", node });
      expect(reused.addresses).toEqual(second.addresses);
    });

    it(`${ACCEPT_TOTAL} concurrent auto creations over three replicas, the leader SIGKILLed half way`, async () => {
      const replicas = running();
      expect(replicas).toHaveLength(3);
      const [leader] = await leadersOf(replicas);
      if (!leader) throw new Error("no leader");
      const apis = new Map<FleetDashboard, FleetApi>(
        replicas.map((dashboard) => [dashboard, dashboard.api()]),
      );
      const answers: Answer[] = [];
      let next = 0;
      let killedAt = 0;
      let killing: Promise<void> | null = null;
      const client = async () => {
        while (next < ACCEPT_TOTAL) {
          const i = next++;
          // Spread over the replicas that run: each request goes to the next one in turn.
          const alive = replicas.filter(
            (dashboard) => dashboard.running && dashboard !== (killing && leader),
          );
          const api = apis.get(alive[i % alive.length] as FleetDashboard) as FleetApi;
          answers.push(await creation(api, `acc-${i}`));
          if (!killing && answers.length >= ACCEPT_TOTAL / 2) {
            killedAt = Date.now();
            killing = leader.kill();
          }
        }
      };
      const started = Date.now();
      await Promise.all(Array.from({ length: ACCEPT_CLIENTS }, () => client()));
      await killing;
      const burstMs = Date.now() - started;
      const failed = answers.filter((a) => a.status !== 201);
      console.info(
        `acceptance burst: ${answers.length} creations in ${burstMs} ms; ${failed.length} not created: ` +
          JSON.stringify([...countBy(failed, (a) => `${a.status} ${a.text}`)]),
      );
      expect(answers).toHaveLength(ACCEPT_TOTAL);
      expect(killedAt).toBeGreaterThan(0);

      const survivor = running()[0]!.api();
      // The killed replica's creations in flight are settled by the new leader (their owner stopped).
      const listed = await eventually(
        async () => {
          const peers = await listPeers(survivor, NAME);
          return peers.every((peer) => peer.state === "active") && peers;
        },
        "no pending peer left",
        { timeoutMs: 20 * HEALTH_INTERVAL_MS },
      );
      const byName = new Map(listed.map((peer) => [peer.name, peer]));
      for (const answer of answers) {
        const peer = byName.get(answer.name);
        if (answer.status === 201) expect(peer?.addresses, answer.name).toEqual(answer.peer?.addresses);
        // An error answered leaves nothing; an answer lost with the killed replica may have either outcome.
        else if (answer.status !== 0)
          expect(peer, `${answer.name}: ${answer.status} ${answer.text}`).toBeUndefined();
      }
      expect(answers.filter((a) => a.status === 201).length).toBeGreaterThan(ACCEPT_TOTAL / 2);

      // No duplicate address, and none lost: each pool's allocations are exactly its peers' addresses.
      const addresses = listed.flatMap((peer) => peer.addresses);
      expect(new Set(addresses).size).toBe(addresses.length);
      for (const node of nodes()) {
        const onNode = listed.filter((peer) => peer.node === node.id);
        const pool = await poolOf(survivor, requireId(node), node.interfaceName(0));
        expect(pool.allocated, `${node.name}: allocated addresses`).toBe(onNode.length);
      }

      // Every peer live exactly once, on its own node, with its addresses; nothing else live.
      await eventually(
        async () => {
          const seen = new Map<string, Array<{ node: string; ips: string[] }>>();
          for (const node of nodes()) {
            for (const [key, ips] of await liveAllowedIps(node.ns, node.interfaceName(0)))
              seen.set(key, [...(seen.get(key) ?? []), { node: node.id as string, ips }]);
          }
          const expected = new Map(
            listed.map((peer) => [
              peer.publicKey,
              JSON.stringify([{ node: peer.node, ips: peer.addresses }]),
            ]),
          );
          return (
            seen.size === expected.size &&
            [...seen].every(([key, where]) => expected.get(key) === JSON.stringify(where))
          );
        },
        "every peer live exactly once, nothing else",
        { timeoutMs: 10 * HEALTH_INTERVAL_MS },
      );

      // Polling resumed on one other replica within two intervals.
      const [successor] = await eventually(async () => {
        const leaders = await leadersOf(running());
        return leaders.length === 1 && leaders;
      }, "one new leader");
      expect(successor).not.toBe(leader);
      for (const node of nodes()) {
        // Waited for, not assumed: when nothing was left to settle, the checks above pass before the
        // new leader's first round.
        const first = await eventually(
          async () => (await healthRequestTimes(node)).find((at) => at > killedAt),
          `${node.name}: a health request after the kill`,
          { timeoutMs: 4 * HEALTH_INTERVAL_MS },
        );
        // Elected at its next try (one interval at most), then its poller's first round (one more).
        expect(first! - killedAt, `${node.name}: first health request after the kill`).toBeLessThanOrEqual(
          2 * HEALTH_INTERVAL_MS + 1_000,
        );
      }
      await Promise.all(nodes().map((node) => expectPolledByOne(node)));
    }, 240_000);

    it("a replica started during a burst of creations settles none of the live replicas' peers", async () => {
      const fleet = current();
      const creators = running().map((dashboard) => dashboard.api());
      let starting = true;
      let made = 0;
      const answers: Answer[] = [];
      const client = async (k: number) => {
        while (starting && made < BURST_MAX) {
          const i = made++;
          answers.push(await creation(creators[(i + k) % creators.length]!, `burst-${i}`));
        }
      };
      const burst = Promise.all(Array.from({ length: BURST_CLIENTS }, (_, k) => client(k)));
      // Another replica starts (and settles at start-up) while creations are in flight.
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
      for (const node of nodes()) {
        for (const [key, ips] of await liveAllowedIps(node.ns, node.interfaceName(0))) live.set(key, ips);
      }
      for (const peer of peers) expect(live.get(peer.publicKey), peer.name).toEqual(peer.addresses);
    }, 180_000);

    /** Two running replicas that are not the leader: A changes things, B must follow. */
    async function followers(): Promise<[FleetDashboard, FleetDashboard]> {
      const leaders = await leadersOf(running());
      const others = running().filter((dashboard) => !leaders.includes(dashboard));
      if (others.length < 2) throw new Error("fewer than two followers run");
      return [others[0]!, others[1]!];
    }
  },
);

/** One `auto` creation, whatever comes back (a broken connection too). */
async function creation(api: FleetApi, name: string): Promise<Answer> {
  try {
    const answer = await postPeer(api, NAME, { name, node: "auto" });
    const error = apiError(answer);
    return {
      name,
      status: answer.status,
      text: error ? `${error.code}: ${error.message}` : "",
      peer: answer.status === 201 ? (answer.json as ApiPeer) : null,
    };
  } catch (error) {
    return { name, status: 0, text: (error as Error).message, peer: null };
  }
}

/** One poller: about one health request per interval over the window. Three would make about three. */
async function expectPolledByOne(node: FleetNode): Promise<void> {
  const count = await healthRequestsOver(node, COUNT_WINDOW_MS);
  const intervals = COUNT_WINDOW_MS / HEALTH_INTERVAL_MS;
  const what = `${node.name}: health requests in ${COUNT_WINDOW_MS} ms`;
  expect(count, what).toBeGreaterThanOrEqual(intervals / 2);
  expect(count, what).toBeLessThanOrEqual(intervals * 1.5);
}

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
