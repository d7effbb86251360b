// Issue 15's acceptance for moving and draining, on a real 3-node fleet (namespaces, agents,
// wireguard-go, wg-quick clients): a client keeps pinging through its node while its peer moves, then
// pings through the new node with the config the move answered, and the old node drops the peer when
// the grace ends; a move onto a node whose agent is dead changes nothing; a drain of 60 peers follows
// its dry run, survives a SIGKILL of the dashboard half way, and leaves no peer or address twice —
// on SQLite and on PostgreSQL.

import { randomBytes } from "node:crypto";
import { cidrContains, parseCidr } from "@wgfleet/core";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventually, type FleetClient } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { ENGINES, engineSkipReason, testPostgresUrl } from "../support/databases.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { consistencyProblems, snapshotFleet } from "./support/consistency.js";
import { saveFleetDiagnostics } from "./support/diagnostics.js";
import {
  type ApiPeer,
  allocatedByNode,
  DASHBOARD_ENV,
  DRIFT_INTERVAL_SECONDS,
  gatewayOf,
  getNode,
  getPeer,
  listPeers,
  POOLS,
  setUpFleetConfiguration,
  waitForStatus,
} from "./support/e2e-fleet.js";
import { leftovers } from "./support/leftovers.js";
import { liveKeys, readLiveInterface } from "./support/live-interface.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const PREFIXES = { sqlite: "md", postgres: "mq" } as const;
/**
 * 72 s: long enough to ping through both copies and restart the dashboard on a busy machine (36 s ran
 * out under a parallel suite), short enough to wait for.
 */
const SHORT_GRACE_HOURS = 0.02;

interface MovedPeer {
  peer: ApiPeer;
  config: string | null;
  move: { fromNode: string; oldAddresses: string[]; graceUntil: string | null };
}

interface DrainPlan {
  node: string;
  moves: Array<{ peerId: string; peerName: string; toNode: string }>;
  unplaced: Array<{ peerId: string; reason: string }>;
}

interface Job {
  status: "running" | "done" | "failed";
  total: number;
  done: number;
  failed: number;
  errors: Array<{ label: string; error: string }>;
}

/** Pings `address` once a second (1 s timeout each) until `until` settles; how many were lost. */
async function countLostPings(
  client: FleetClient,
  address: string,
  until: Promise<unknown>,
): Promise<{ sent: number; lost: number }> {
  let settled = false;
  until.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  let sent = 0;
  let lost = 0;
  // Bounded: at most 120 pings whatever happens.
  while (!settled && sent < 120) {
    const started = Date.now();
    sent++;
    if (!(await client.ping(address, { count: 1, timeoutSec: 1 }))) lost++;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_000 - (Date.now() - started))));
  }
  return { sent, lost };
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

describe.skipIf(skip)("moving and draining peers (issue 15)", () => {
  for (const engine of ENGINES) {
    describe.skipIf(engineSkipReason(engine) !== null)(`on one 3-node fleet [${engine}]`, () => {
      const options = {
        nodes: 3,
        prefix: PREFIXES[engine],
        driftIntervalSeconds: DRIFT_INTERVAL_SECONDS,
        dashboard: { env: DASHBOARD_ENV } as { env: Record<string, string>; databaseUrl?: string },
      };
      // PostgreSQL: a database of its own, made before the fleet starts and dropped after it stopped.
      if (engine === "postgres") {
        let drop = async () => {};
        beforeAll(async () => {
          const adminUrl = await testPostgresUrl();
          const name = `wgfleet_md_${randomBytes(6).toString("hex")}`;
          await withAdmin(adminUrl, (admin) => admin.query(`create database ${name}`));
          const url = new URL(adminUrl);
          url.pathname = `/${name}`;
          options.dashboard.databaseUrl = url.toString();
          drop = () =>
            withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`)).then(
              () => undefined,
            );
        });
        afterAll(() => drop());
      }
      const fleet = useFleet(options);
      const api = () => fleet().api;
      const nodeId = (i: number) => fleet().node(i).id as string;

      beforeAll(async () => {
        await setUpFleetConfiguration(fleet());
      }, 120_000);

      beforeEach((context) => {
        context.onTestFailed(async () => {
          await saveFleetDiagnostics(fleet(), context.task.name);
        });
      });

      const createOn = async (name: string, node: string): Promise<ApiPeer> =>
        (await api().expect<ApiPeer>("POST", "/api/v1/configurations/e2net/peers", { name, node }, [201]))
          .json;

      it("1. a client keeps pinging through node 1 while its peer moves to node 2, then pings through node 2 with the new config; node 1 drops the peer when the grace ends", async (context) => {
        const f = fleet();
        const [node1, node2] = [f.node(0), f.node(1)];
        const peer = await createOn("mover", nodeId(0));
        const oldClient = await f.createClient(peer.id);
        await eventually(() => oldClient.ping(gatewayOf(node1)), "the client pinging through node 1");

        const moving = api().request<MovedPeer>("POST", `/api/v1/peers/${peer.id}/move`, {
          node: nodeId(1),
          graceHours: SHORT_GRACE_HOURS,
        });
        // Pings through the old copy go on during the move and for a few seconds after it.
        const settledAfter = moving.then(() => new Promise((resolve) => setTimeout(resolve, 4_000)));
        const pings = await countLostPings(oldClient, gatewayOf(node1), settledAfter);
        const answer = await moving;
        expect(answer.status, answer.text).toBe(200);
        const lostNote = `${pings.lost} of ${pings.sent} pings through node 1 lost during the move`;
        console.info(lostNote);
        await context.annotate(lostNote);
        expect(pings.lost).toBeLessThanOrEqual(1);

        const moved = answer.json;
        expect(moved.peer.node).toBe(nodeId(1));
        expect(moved.peer.publicKey).toBe(peer.publicKey);
        expect(moved.move.fromNode).toBe(nodeId(0));
        expect(moved.move.oldAddresses).toEqual(peer.addresses);
        expect(moved.move.graceUntil).not.toBeNull();
        const newAddress = moved.peer.addresses[0] as string;
        expect(cidrContains(parseCidr(POOLS[1]), parseCidr(newAddress).address)).toBe(true);
        expect(moved.config).toContain(`Address = ${newAddress}`);
        expect(moved.config).toContain(node2.endpoint(51820));
        // Both copies live during the grace: node 1 the old address, node 2 the new one.
        expect(await liveKeys(node1, node1.interfaceName(0))).toContain(peer.publicKey);
        expect(await liveKeys(node2, node2.interfaceName(0))).toContain(peer.publicKey);

        const newClient = await f.createClient(moved.config as string);
        await eventually(() => newClient.ping(gatewayOf(node2)), "the new config pinging through node 2");

        // The grace copy is in the database: a dashboard restart (with its full pushes) keeps it, and
        // the restarted dashboard ends it on time.
        await f.killDashboard();
        await f.startDashboard();
        await waitForStatus(f, f.nodes, "online", 30_000);
        expect(Date.now()).toBeLessThan(Date.parse(moved.move.graceUntil as string));
        expect(await liveKeys(node1, node1.interfaceName(0))).toContain(peer.publicKey);
        expect(await oldClient.ping(gatewayOf(node1))).toBe(true);

        await eventually(
          async () => !(await liveKeys(node1, node1.interfaceName(0))).includes(peer.publicKey),
          "node 1 dropping the old copy after the grace",
          { timeoutMs: 90_000, intervalMs: 500 },
        );
        const allocated = await allocatedByNode(api(), f);
        const peers = await listPeers(api());
        expect(allocated.get(nodeId(0))).toBe(peers.filter((p) => p.node === nodeId(0)).length);
        expect(await newClient.ping(gatewayOf(node2))).toBe(true);
        await oldClient.destroy();
      }, 240_000);

      it("2. the target's agent killed: the move fails with the node's error and the peer stays on node 1, still pinging", async () => {
        const f = fleet();
        const [node1, node2] = [f.node(0), f.node(1)];
        const peer = await createOn("stayer", nodeId(0));
        const client = await f.createClient(peer.id);
        await eventually(() => client.ping(gatewayOf(node1)), "the client pinging through node 1");
        const allocatedBefore = await allocatedByNode(api(), f);

        await node2.killAgent();
        const answer = await api().request("POST", `/api/v1/peers/${peer.id}/move`, { node: nodeId(1) });
        expect([502, 503], answer.text).toContain(answer.status);
        expect(answer.json.error.message).toBeTruthy();

        const after = await getPeer(api(), peer.id);
        expect(after.node).toBe(nodeId(0));
        expect(after.addresses).toEqual(peer.addresses);
        expect(await client.ping(gatewayOf(node1))).toBe(true);
        expect(await allocatedByNode(api(), f)).toEqual(allocatedBefore);

        await node2.startAgent();
        await waitForStatus(f, [node2], "online", 30_000);
        await eventually(
          async () => {
            const problems = consistencyProblems(f, await snapshotFleet(f));
            // The grace copy of scenario 1 is gone; nothing of this peer may be on node 2.
            if (problems.length > 0) throw new Error(problems.join("; "));
            return true;
          },
          "database and nodes agreeing after the failed move",
          { timeoutMs: 30_000, intervalMs: 500 },
        );
        expect(await liveKeys(node2, node2.interfaceName(0))).not.toContain(peer.publicKey);
        await client.destroy();
      }, 180_000);

      it("2b. a move racing a delete, and one racing an edit, of the same peer: one after the other, nothing left behind", async () => {
        const f = fleet();
        const doomed = await createOn("raced-delete", nodeId(0));
        const [moved, deleted] = await Promise.all([
          api().request("POST", `/api/v1/peers/${doomed.id}/move`, { node: nodeId(1), graceHours: 1 }),
          api().request("DELETE", `/api/v1/peers/${doomed.id}`),
        ]);
        expect(deleted.status, deleted.text).toBe(204);
        expect([200, 404], moved.text).toContain(moved.status);
        expect((await api().request("GET", `/api/v1/peers/${doomed.id}`)).status).toBe(404);
        // Deleted means gone from every node at once, a grace copy included.
        for (const node of f.nodes)
          expect(await liveKeys(node, node.interfaceName(0))).not.toContain(doomed.publicKey);

        const edited = await createOn("raced-edit", nodeId(0));
        const [move, edit] = await Promise.all([
          api().request<MovedPeer>("POST", `/api/v1/peers/${edited.id}/move`, {
            node: nodeId(1),
            graceHours: 0,
          }),
          api().request("PATCH", `/api/v1/peers/${edited.id}`, { name: "raced-edit-renamed", mtu: 1380 }),
        ]);
        expect(move.status, move.text).toBe(200);
        expect(edit.status, edit.text).toBe(200);
        const after = await getPeer(api(), edited.id);
        expect(after).toMatchObject({ name: "raced-edit-renamed", node: nodeId(1) });
        await eventually(
          async () => {
            const problems = consistencyProblems(f, await snapshotFleet(f));
            if (problems.length > 0) throw new Error(problems.join("; "));
            return true;
          },
          "database and nodes agreeing after the races",
          { timeoutMs: 30_000, intervalMs: 500 },
        );
        await api().expect("DELETE", `/api/v1/peers/${edited.id}`, undefined, [204]);
      }, 120_000);

      it("3. a drain of 60 peers onto the two other nodes follows its dry run and finishes after a SIGKILL of the dashboard half way", async (context) => {
        const f = fleet();
        const node3 = nodeId(2);
        for (let i = 1; i <= 60; i++) await createOn(`drain${i}`, node3);

        const dry = await api().expect<DrainPlan>(
          "POST",
          `/api/v1/nodes/${node3}/drain`,
          { dryRun: true },
          [200],
        );
        expect(dry.json.moves).toHaveLength(60);
        expect(dry.json.unplaced).toEqual([]);
        expect(new Set(dry.json.moves.map((m) => m.toNode))).toEqual(new Set([nodeId(0), nodeId(1)]));
        // A dry run changes nothing.
        expect((await getNode(api(), node3)).peerCount).toBe(60);

        const started = await api().expect<{ jobId: string; plan: DrainPlan }>(
          "POST",
          `/api/v1/nodes/${node3}/drain`,
          { graceHours: 0 },
          [202],
        );
        expect(started.json.plan).toEqual(dry.json);
        const jobPath = `/api/v1/jobs/${started.json.jobId}`;
        const halfWay = await eventually(
          async () => {
            const job = (await api().expect<Job>("GET", jobPath, undefined, [200])).json;
            return job.done >= 15 ? job : null;
          },
          "the drain half way",
          { timeoutMs: 60_000, intervalMs: 50 },
        );
        await f.killDashboard();
        expect(halfWay.status).toBe("running");
        console.info(`dashboard killed with ${halfWay.done} of 60 moves done`);
        await context.annotate(`dashboard killed with ${halfWay.done} of 60 moves done`);
        await f.startDashboard();
        await waitForStatus(f, f.nodes, "online", 30_000);

        const finished = await eventually(
          async () => {
            const job = (await api().expect<Job>("GET", jobPath, undefined, [200])).json;
            return job.status === "running" ? null : job;
          },
          "the resumed drain finishing",
          { timeoutMs: 120_000, intervalMs: 250 },
        );
        expect(finished.errors).toEqual([]);
        expect(finished).toMatchObject({ status: "done", total: 60, done: 60, failed: 0 });

        const peers = await listPeers(api());
        for (const move of dry.json.moves) {
          expect(peers.find((p) => p.id === move.peerId)?.node, move.peerName).toBe(move.toNode);
        }
        const drained = peers.filter((p) => p.name.startsWith("drain"));
        expect(drained).toHaveLength(60);
        await eventually(
          async () => {
            const problems = consistencyProblems(f, await snapshotFleet(f));
            if (problems.length > 0) throw new Error(problems.join("; "));
            return true;
          },
          "database and nodes agreeing after the drain",
          { timeoutMs: 30_000, intervalMs: 500 },
        );
        expect((await readLiveInterface(f.node(2), f.node(2).interfaceName(0)))?.peers).toEqual([]);

        // The drained node takes no new peer until draining ends.
        const node = (await api().expect<{ draining: boolean }>("GET", `/api/v1/nodes/${node3}`)).json;
        expect(node.draining).toBe(true);
        const refused = await api().request("POST", "/api/v1/configurations/e2net/peers", {
          name: "onto-drained",
          node: node3,
        });
        expect(refused.status).toBe(503);
        expect(refused.json.error.message).toContain("draining");
        const placement = await api().expect<{ passedOver: Array<{ node: string; code: string }> }>(
          "GET",
          "/api/v1/configurations/e2net/placement",
        );
        expect(placement.json.passedOver.find((p) => p.node === node3)?.code).toBe("draining");
        await api().expect("PATCH", `/api/v1/nodes/${node3}`, { draining: false }, [200]);
        await createOn("after-drain", node3);
      }, 300_000);
    });
  }

  it("leaves no namespace, interface, wireguard-go, agent or dashboard process behind", async () => {
    expect(await leftovers(Object.values(PREFIXES))).toEqual([]);
  });
});
