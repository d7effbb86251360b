// Issue 17, a dial-out node called through any replica: two `wgfleet serve` replicas on one real
// PostgreSQL database and one real agent in a namespace that dials out to the replica that is not the
// leader (the holder) only. The leader — which also polls every node's health — calls it through the
// holder (the signed request relayed through the database): the node stays online, a peer created
// through the leader answers 201 and is live in the namespace (a client pings through it), and its
// removal through the leader takes it off the node. While the agent is disconnected a creation through
// the leader answers 503 and leaves nothing; once it dials in again, calls flow again. No relay row is
// ever left behind. The relay's added latency is printed (node tests through each replica), not asserted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type FleetApi, type FleetDashboard } from "../fleet/harness.js";
import { type ApiNode, type DialOutNode, dialOutDashboardEnv, makeDialOutNode } from "./dial-out-node.js";
import { replicaFleetSkipReason, useReplicaFleet } from "./replica-fleet.js";
import {
  createConfiguration,
  createPeer,
  expectCreationRefusedUnavailable,
  expectLive,
  liveAllowedIps,
  placeConfiguration,
  poolOf,
  requireId,
} from "./support.js";

const skip = replicaFleetSkipReason();

const CONFIG = "mrelay";
const PORT = 51860;
const POOL = "198.51.100.128/27";
const GATEWAY = "198.51.100.129";
/** Node tests timed through each replica for the latency report. */
const LATENCY_SAMPLES = 200;

describe.skipIf(skip)("a dial-out node called through any replica (issue 17)", () => {
  const started = useReplicaFleet({ nodes: 1, prefix: "mq", dashboard: { env: dialOutDashboardEnv() } });
  let holder: FleetDashboard | null = null;
  let made: DialOutNode | null = null;
  const current = () => {
    const { fleet } = started();
    if (!holder) throw new Error("the second replica did not start (see the beforeAll error)");
    return { fleet, holder, node: fleet.node(0) };
  };
  /** The replicas' database, for what only it shows (which replica holds the socket, relay rows). */
  const db = () => started().database.db;
  /** The leader's API: the fleet's first dashboard, which holds no socket. */
  const leaderApi = () => current().fleet.api;
  const getNode = async (api: FleetApi) =>
    (await api.expect<ApiNode>("GET", `/api/v1/nodes/${requireId(current().node)}`, undefined, [200])).json;
  const relayRows = async () =>
    Number(
      (
        await db()
          .selectFrom("agent_relay_requests")
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  /**
   * No relayed request left behind. The leader relays a health poll every second and each holds its row
   * for a few ms, so one count can catch a row in flight: the table must empty, not be empty at one read
   * (a leaked row never goes, and fails the wait).
   */
  const expectNoRelayRowsLeft = () =>
    eventually(async () => (await relayRows()) === 0, "no relay row left", {
      timeoutMs: 10_000,
      intervalMs: 50,
    });

  beforeAll(async () => {
    const { fleet } = started();
    holder = await fleet.addDashboard();
    // The agent reaches the second replica only; `online` is waited for through the leader's API.
    made = await makeDialOutNode(fleet, fleet.node(0), { dashboard: holder });
    await createConfiguration(fleet.api, CONFIG, ["198.51.100.128/26"]);
    await placeConfiguration(fleet, CONFIG, [{ node: fleet.node(0), pool: POOL, listenPort: PORT }]);
  }, 300_000);

  afterAll(async () => {
    await made?.forwarder.stop();
  });

  it("is held by the second replica and online, its health polled by the leader through it", async () => {
    const node = await getNode(leaderApi());
    expect(node).toMatchObject({ status: "online", connection: "dial-out" });
    expect(node.connectedSince).not.toBeNull();
    const rows = await db()
      .selectFrom("nodes")
      .innerJoin("replicas", "replicas.id", "nodes.dial_out_replica")
      .select("replicas.pid")
      .where("nodes.id", "=", requireId(current().node))
      .execute();
    expect(rows.map((row) => row.pid)).toEqual([current().holder.pid]);
    // Several health intervals later it is still online: the leader's polls reach it.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await getNode(leaderApi())).status).toBe("online");
    const test = await leaderApi().expect<{ ok: boolean; message: string }>(
      "POST",
      `/api/v1/nodes/${requireId(current().node)}/test`,
      undefined,
      [200],
    );
    expect(test.json.ok, test.json.message).toBe(true);
  });

  it("through the leader: a peer created (201) is live on the node, a client pings through it; deleted, gone", async () => {
    const { fleet, node } = current();
    const iface = node.interfaceName();
    const peer = await createPeer(leaderApi(), CONFIG, { name: "relayed-1", node: requireId(node) });
    await expectLive(node.ns, iface, [peer]);
    const client = await fleet.createClient(peer.id);
    try {
      expect(await client.ping(GATEWAY)).toBe(true);
    } finally {
      await fleet.removeClient(client);
    }
    await leaderApi().expect("DELETE", `/api/v1/peers/${peer.id}`, undefined, [200, 204]);
    expect((await liveAllowedIps(node.ns, iface)).has(peer.publicKey)).toBe(false);
    await expectNoRelayRowsLeft();
  }, 120_000);

  it("disconnected: a creation through the leader answers 503 and leaves nothing; reconnected, calls flow again", async () => {
    const { node } = current();
    const iface = node.interfaceName();
    const forwarder = (made as DialOutNode).forwarder;
    const poolBefore = await poolOf(leaderApi(), requireId(node), iface);
    await forwarder.cut();
    await eventually(
      async () => (await getNode(leaderApi())).connectedSince === null,
      "the holder recorded the connection gone",
    );
    await expectCreationRefusedUnavailable(leaderApi(), CONFIG, node, "relayed-cut", poolBefore);
    await expectNoRelayRowsLeft();

    await forwarder.restore();
    await eventually(
      async () => {
        const answer = await getNode(leaderApi());
        return answer.connectedSince !== null && answer.status === "online";
      },
      "the agent dialed in again and is online",
      { timeoutMs: 60_000 },
    );
    const after = await createPeer(leaderApi(), CONFIG, { name: "relayed-after", node: requireId(node) });
    await expectLive(node.ns, iface, [after]);
    await leaderApi().expect("DELETE", `/api/v1/peers/${after.id}`, undefined, [200, 204]);
    expect((await liveAllowedIps(node.ns, iface)).size).toBe(0);
    await expectNoRelayRowsLeft();
  }, 180_000);

  it(`the relay's cost: ${LATENCY_SAMPLES} node tests through the holder and through the leader (printed)`, async () => {
    const { holder, node } = current();
    const round = { holder: [] as number[], leader: [] as number[] };
    const agent = { holder: [] as number[], leader: [] as number[] };
    const sample = async (api: FleetApi, into: "holder" | "leader") => {
      const started = performance.now();
      const test = await api.expect<{ ok: boolean; latencyMs: number | null; message: string }>(
        "POST",
        `/api/v1/nodes/${requireId(node)}/test`,
        undefined,
        [200],
      );
      round[into].push(performance.now() - started);
      expect(test.json.ok, test.json.message).toBe(true);
      if (typeof test.json.latencyMs === "number") agent[into].push(test.json.latencyMs);
    };
    // Alternating, so that the machine's load drifts over both alike.
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      await sample(holder.api(), "holder");
      await sample(leaderApi(), "leader");
    }
    console.info(
      `relay latency (median of ${LATENCY_SAMPLES} POST /nodes/:id/test each, alternating): ` +
        `through the holder ${median(round.holder).toFixed(1)} ms (its agent health call ${median(agent.holder)} ms), ` +
        `through the leader, relayed, ${median(round.leader).toFixed(1)} ms (${median(agent.leader)} ms)`,
    );
    await expectNoRelayRowsLeft();
  }, 180_000);
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
