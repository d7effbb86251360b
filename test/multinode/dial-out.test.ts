// Issue 17 acceptance, agents that dial out: a real agent in a network namespace that the dashboard
// cannot call (it listens only on the namespace's own loopback) keeps a WebSocket to the dashboard
// through a TCP forwarder on the host side of the namespace's veth (the dashboard itself listens on
// the host's loopback, which the namespace cannot reach). Through that connection alone the node is
// added and goes `online`, a configuration is put on it, peers are created (a wg-quick client pings
// through it), moved to a direct node and back, and removed. Then the network fails (the forwarder
// destroys the connection and refuses new ones): the node goes `offline`, a creation on it answers 503
// and leaves nothing, and the agent is rebuilt meanwhile (state dir and interfaces wiped). When the
// network is back the agent dials in again by itself; being a new agent instance it is held back until
// an admin confirms it, and then the dashboard brings it to its desired state over the connection:
// `online`, every peer it should have live again, and changes flow again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_PORT, eventually, type Fleet, type FleetNode } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type ApiNode, type DialOutNode, dialOutDashboardEnv, makeDialOutNode } from "./dial-out-node.js";
import {
  type ApiPeer,
  createConfiguration,
  createPeer,
  expectCreationRefusedUnavailable,
  expectLive,
  listPeers,
  liveAllowedIps,
  placeConfiguration,
  poolOf,
  requireId,
} from "./support.js";

const skip = missingPrerequisites(wireguardPrerequisites());

const CONFIG = "mdial";
const PORT = 51840;
/** node1 (direct) 198.51.100.64/27, node2 (dials out) 198.51.100.96/27 (gateway .97). */
const POOLS = ["198.51.100.64/27", "198.51.100.96/27"];
const DIALING_GATEWAY = "198.51.100.97";

describe.skipIf(skip)("an agent that dials out (issue 17)", () => {
  const current = useFleet({
    nodes: 2,
    prefix: "md",
    dashboard: { env: dialOutDashboardEnv() },
  });
  let made: DialOutNode | null = null;
  const forwarder = () => made?.forwarder;
  const fleet = (): Fleet => current();
  const direct = (): FleetNode => fleet().node(0);
  const dialing = (): FleetNode => fleet().node(1);
  const getNode = async (node: FleetNode) =>
    (await fleet().api.expect<ApiNode>("GET", `/api/v1/nodes/${requireId(node)}`, undefined, [200])).json;
  beforeAll(async () => {
    await fleet().registerNodes({ nodes: [direct()] });
    // node2 was started as an ordinary agent by the fleet: it becomes one that dials out.
    made = await makeDialOutNode(fleet(), dialing());
    expect(made.created).toMatchObject({ connection: "dial-out", agentUrl: null, connectedSince: null });
    await createConfiguration(fleet().api, CONFIG, ["198.51.100.64/26"]);
    await placeConfiguration(fleet(), CONFIG, [
      { node: direct(), pool: POOLS[0] as string, listenPort: PORT },
      { node: dialing(), pool: POOLS[1] as string, listenPort: PORT },
    ]);
  }, 180_000);

  afterAll(async () => {
    await forwarder()?.stop();
  });

  it("is online through its own connection, though the dashboard cannot call it", async () => {
    const refused = await fetch(`http://${dialing().address}:${AGENT_PORT}/livez`, {
      signal: AbortSignal.timeout(2_000),
    }).then(
      () => null,
      (error: Error) => error,
    );
    expect(refused, "the agent must not be reachable from the host").toBeInstanceOf(Error);
    const node = await getNode(dialing());
    expect(node).toMatchObject({ status: "online", connection: "dial-out", agentUrl: null });
    expect(Date.parse(node.connectedSince as string)).toBeGreaterThan(Date.now() - 600_000);
    expect(node.agentInstanceId).toMatch(/\S/);
    expect((await getNode(direct())).connection).toBe("direct");
    const test = await fleet().api.expect<{ ok: boolean; message: string }>(
      "POST",
      `/api/v1/nodes/${requireId(dialing())}/test`,
      undefined,
      [200],
    );
    expect(test.json.ok, test.json.message).toBe(true);
  });

  it("takes peers through the connection: a client pings through it; moved away and back; removed", async () => {
    const api = fleet().api;
    const iface = dialing().interfaceName();
    const peer = await createPeer(api, CONFIG, { name: "dial-1", node: requireId(dialing()) });
    await expectLive(dialing().ns, iface, [peer]);
    const client = await fleet().createClient(peer.id);
    try {
      expect(await client.ping(DIALING_GATEWAY)).toBe(true);
    } finally {
      await fleet().removeClient(client);
    }

    const away = await api.expect<ApiPeer>(
      "POST",
      `/api/v1/peers/${peer.id}/move`,
      { node: requireId(direct()), graceHours: 0 },
      [200],
    );
    await expectLive(direct().ns, direct().interfaceName(), [away.json]);
    expect((await liveAllowedIps(dialing().ns, iface)).has(peer.publicKey)).toBe(false);

    const back = await api.expect<ApiPeer>(
      "POST",
      `/api/v1/peers/${peer.id}/move`,
      { node: requireId(dialing()), graceHours: 0 },
      [200],
    );
    await expectLive(dialing().ns, iface, [back.json]);
    expect((await liveAllowedIps(direct().ns, direct().interfaceName())).has(peer.publicKey)).toBe(false);

    await api.expect("DELETE", `/api/v1/peers/${peer.id}`, undefined, [200, 204]);
    expect((await liveAllowedIps(dialing().ns, iface)).has(peer.publicKey)).toBe(false);
  }, 120_000);

  it("cut off: offline, a creation fails and leaves nothing; reconnected by itself and brought to its desired state", async () => {
    const api = fleet().api;
    const iface = dialing().interfaceName();
    const kept = await createPeer(api, CONFIG, { name: "dial-kept", node: requireId(dialing()) });
    await expectLive(dialing().ns, iface, [kept]);
    const connectionsBefore = forwarder()?.accepted ?? 0;
    const poolBefore = await poolOf(api, requireId(dialing()), iface);

    await forwarder()?.cut();
    await eventually(
      async () => (await getNode(dialing())).status === "offline",
      "the node offline once its connection is gone",
    );
    expect((await getNode(dialing())).connectedSince).toBeNull();
    await expectCreationRefusedUnavailable(api, CONFIG, dialing(), "dial-cut", poolBefore);

    // Rebuilt while away: it comes back knowing nothing, and cannot reach the dashboard yet.
    await dialing().stopAgent();
    await made?.startAgent({ wipeState: true, connected: async () => true });
    await expect(liveAllowedIps(dialing().ns, iface)).rejects.toThrow();

    await forwarder()?.restore();
    // A wiped agent has a new instance id: it dials in, the dashboard holds it back (degraded, no
    // writes) until an admin confirms it — then it gets its whole desired state over the connection.
    await eventually(
      async () => {
        const node = await getNode(dialing());
        return node.connectedSince !== null && node.status === "degraded" ? node : null;
      },
      "the rebuilt agent connected and held back as a different agent",
      { timeoutMs: 60_000 },
    );
    expect(forwarder()?.accepted ?? 0).toBeGreaterThan(connectionsBefore);
    await api.expect("POST", `/api/v1/nodes/${requireId(dialing())}/confirm-agent`, undefined, [200]);
    await eventually(
      async () => (await getNode(dialing())).status === "online",
      "the node online again once its agent was confirmed",
    );
    await eventually(
      async () => (await liveAllowedIps(dialing().ns, iface).catch(() => new Map())).has(kept.publicKey),
      "the kept peer live again on the rebuilt node",
    );
    await expectLive(dialing().ns, iface, [kept]);
    expect((await listPeers(api, CONFIG)).map((p) => p.name)).not.toContain("dial-cut");

    // And changes flow again over the new connection.
    const after = await createPeer(api, CONFIG, { name: "dial-after", node: requireId(dialing()) });
    await expectLive(dialing().ns, iface, [kept, after]);
    for (const peer of [kept, after]) {
      await api.expect("DELETE", `/api/v1/peers/${peer.id}`, undefined, [200, 204]);
    }
    expect((await liveAllowedIps(dialing().ns, iface)).size).toBe(0);
  }, 240_000);
});
