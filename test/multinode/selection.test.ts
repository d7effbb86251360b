// Issue 5 acceptance, placement: the node-selection scenarios of docs/multi-node.md (balanced, weighted, capacity,
// fallback to local) and explicit choices of a disabled / offline / full node, end to end through the
// API against three real agents (wireguard-go in namespaces) and a local node in a namespace. The
// peer counts behind each scenario are real peers on the nodes (maxPeers 10 keeps the documented ratios).
// Also: a burst of 30 `auto` creations spreading 10/10/10, a client tunnel through node 2 with the
// config the dashboard hands out, and node listings that never carry a secret.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { eventually, type Fleet, type FleetNode } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  type ApiPeer,
  apiError,
  countBy,
  createConfiguration,
  createPeer,
  createPeers,
  deleteAllPeers,
  expectLive,
  fastHealthEnv,
  HEALTH_INTERVAL_MS,
  ipv4ToNumber,
  listPeers,
  liveAllowedIps,
  liveInterface,
  nodeStatus,
  patchNode,
  placeConfiguration,
  poolOf,
  postPeer,
  requireId,
} from "./support.js";

const skip = missingPrerequisites(wireguardPrerequisites());

/** The configuration every selection scenario uses: on the three nodes and on the local node. */
const SEL = "mnsel";
const SEL_PORT = 51820;
/** node1 .0/27, node2 .32/27, node3 .64/27; the local node .96/27. */
const SEL_POOLS = ["198.51.100.0/27", "198.51.100.32/27", "198.51.100.64/27"];
const LOCAL_POOL = "198.51.100.96/27";
/** The burst's configuration: the three nodes only. */
const BURST = "mnburst";
const BURST_PORT = 51821;
const BURST_POOLS = ["203.0.113.0/27", "203.0.113.32/27", "203.0.113.64/27"];
/** A configuration on the remote nodes only: no local fallback. */
const REMOTE_ONLY = "mnremote";
const REMOTE_PORT = 51822;
const REMOTE_POOLS = ["198.51.100.128/28", "198.51.100.144/28", "198.51.100.160/28"];

/** Every node's defaults between scenarios. */
const DEFAULTS = { enabled: true, weight: 100, maxPeers: 10 };

describe.skipIf(skip)("node selection against three real agents (issue 5)", () => {
  const current = useFleet({
    nodes: 3,
    prefix: "mn",
    dashboard: { local: true, env: fastHealthEnv() },
  });
  const nodes = () => current().nodes as [FleetNode, FleetNode, FleetNode];
  /** Whatever each registration answered (POST /api/v1/nodes), for the secret scan. */
  const registrationAnswers: string[] = [];

  beforeAll(async () => {
    const fleet = current();
    for (const node of fleet.nodes) {
      const answer = await fleet.api.expect<{ id: string }>(
        "POST",
        "/api/v1/nodes",
        {
          name: node.name,
          agentUrl: node.agentUrl,
          secret: node.secret,
          endpoint: node.address,
          ...DEFAULTS,
        },
        [201],
      );
      node.id = answer.json.id;
      registrationAnswers.push(answer.text);
    }
    await waitOnline(fleet, fleet.nodes);
    await createConfiguration(fleet.api, SEL, ["198.51.100.0/24"]);
    await placeConfiguration(fleet, SEL, [
      ...fleet.nodes.map((node, i) => ({ node, pool: SEL_POOLS[i] as string, listenPort: SEL_PORT, k: 0 })),
      { node: "local" as const, pool: LOCAL_POOL, listenPort: SEL_PORT, k: 0 },
    ]);
    await createConfiguration(fleet.api, BURST, ["203.0.113.0/24"]);
    await placeConfiguration(
      fleet,
      BURST,
      fleet.nodes.map((node, i) => ({ node, pool: BURST_POOLS[i] as string, listenPort: BURST_PORT, k: 1 })),
    );
    await createConfiguration(fleet.api, REMOTE_ONLY, ["198.51.100.128/26"]);
    await placeConfiguration(
      fleet,
      REMOTE_ONLY,
      fleet.nodes.map((node, i) => ({
        node,
        pool: REMOTE_POOLS[i] as string,
        listenPort: REMOTE_PORT,
        k: 2,
      })),
    );
  }, 120_000);

  /** Every scenario starts from empty nodes with the defaults, all agents running and online. */
  afterEach(async () => {
    const fleet = current();
    for (const node of fleet.nodes) if (!node.agentRunning) await node.startAgent();
    for (const node of fleet.nodes) await patchNode(fleet.api, node, DEFAULTS);
    await waitOnline(fleet, fleet.nodes);
    for (const name of [SEL, BURST, REMOTE_ONLY]) await deleteAllPeers(fleet.api, name);
  }, 120_000);

  it("balanced: node3 at 3/10 beats node1 and node2 at 6/10 (0.003 vs 0.006)", async () => {
    const fleet = current();
    const [n1, n2, n3] = nodes();
    await createPeers(fleet.api, SEL, 6, requireId(n1), "bal1");
    await createPeers(fleet.api, SEL, 6, requireId(n2), "bal2");
    const onNode3 = await createPeers(fleet.api, SEL, 3, requireId(n3), "bal3");
    // node3 is last by name: only the score can make it the choice.
    const chosen = await createPeer(fleet.api, SEL, { name: "balanced", node: "auto" });
    expect(chosen.node).toBe(n3.id);
    expect(chosen.state).toBe("active");
    await expectLive(n3.ns, n3.interfaceName(0), [...onNode3, chosen]);
    for (const other of [n1, n2]) {
      expect((await liveAllowedIps(other.ns, other.interfaceName(0))).has(chosen.publicKey)).toBe(false);
    }
  });

  it("weighted: node2 (weight 200) at 5/10 beats node1 and node3 (weight 100) at 3/10", async () => {
    const fleet = current();
    const [n1, n2, n3] = nodes();
    await patchNode(fleet.api, n2, { weight: 200 });
    await createPeers(fleet.api, SEL, 3, requireId(n1), "w1");
    const onNode2 = await createPeers(fleet.api, SEL, 5, requireId(n2), "w2");
    await createPeers(fleet.api, SEL, 3, requireId(n3), "w3");
    // 0.5/200 = 0.0025 < 0.3/100 = 0.003, although node2 has the most peers.
    const chosen = await createPeer(fleet.api, SEL, { name: "weighted", node: "auto" });
    expect(chosen.node).toBe(n2.id);
    await expectLive(n2.ns, n2.interfaceName(0), [...onNode2, chosen]);
  });

  it("capacity: a full node is skipped even though its score is the best; chosen explicitly it is refused", async () => {
    const fleet = current();
    const [n1, n2, n3] = nodes();
    // node1 at 10/10 with weight 1000 scores 0.001: without the capacity rule it would win.
    await patchNode(fleet.api, n1, { weight: 1000 });
    const onNode1 = await createPeers(fleet.api, SEL, 10, requireId(n1), "c1");
    await createPeers(fleet.api, SEL, 5, requireId(n2), "c2");
    await createPeers(fleet.api, SEL, 6, requireId(n3), "c3");
    const chosen = await createPeer(fleet.api, SEL, { name: "capacity", node: "auto" });
    expect(chosen.node).toBe(n2.id);
    await expectLive(n2.ns, n2.interfaceName(0), [chosen]);

    await expectRefusedExplicitly(fleet, n1, /full/i);
    await expectLive(n1.ns, n1.interfaceName(0), onNode1);
  });

  it("an explicitly chosen disabled node is refused naming it, nothing created; auto passes it by", async () => {
    const fleet = current();
    const [n1, n2, n3] = nodes();
    await createPeers(fleet.api, SEL, 4, requireId(n1), "d1");
    await createPeers(fleet.api, SEL, 4, requireId(n2), "d2");
    // node3 is empty (the best score) but disabled.
    await patchNode(fleet.api, n3, { enabled: false });
    await expectRefusedExplicitly(fleet, n3, /disabled/i);
    const chosen = await createPeer(fleet.api, SEL, { name: "not-disabled", node: "auto" });
    expect([n1.id, n2.id]).toContain(chosen.node);
    expect(await liveAllowedIps(n3.ns, n3.interfaceName(0))).toEqual(new Map());
  });

  it("an explicitly chosen offline node is refused naming it, nothing created; auto passes it by", async () => {
    const fleet = current();
    const [n1, , n3] = nodes();
    await createPeers(fleet.api, SEL, 2, requireId(n1), "o1");
    await fleet.stopAgent(2);
    await eventually(async () => (await nodeStatus(fleet.api, n3)) === "offline", "node3 offline", {
      timeoutMs: 20 * HEALTH_INTERVAL_MS,
    });
    // The agent is stopped but node3's WireGuard keeps running: `wg show` there still works.
    await expectRefusedExplicitly(fleet, n3, /offline/i);
    const chosen = await createPeer(fleet.api, SEL, { name: "not-offline", node: "auto" });
    expect(chosen.node).not.toBe(n3.id);
  });

  it("fallback: auto prefers any eligible remote node to the emptier local one, and takes local when none is", async () => {
    const fleet = current();
    const [n1, n2, n3] = nodes();
    await createPeers(fleet.api, SEL, 5, requireId(n1), "f1");
    // node1 at 5/10 is still chosen over the local node with no peers at all.
    await patchNode(fleet.api, n2, { enabled: false });
    await patchNode(fleet.api, n3, { enabled: false });
    const remote = await createPeer(fleet.api, SEL, { name: "remote-first", node: "auto" });
    expect(remote.node).toBe(n1.id);

    // No remote node is eligible: node1 full, node2 disabled, node3 offline.
    await patchNode(fleet.api, n1, { maxPeers: 6 });
    await patchNode(fleet.api, n3, { enabled: true });
    await fleet.stopAgent(2);
    await eventually(async () => (await nodeStatus(fleet.api, n3)) === "offline", "node3 offline", {
      timeoutMs: 20 * HEALTH_INTERVAL_MS,
    });
    const local = await createPeer(fleet.api, SEL, { name: "fallback", node: "auto" });
    expect(local.node).toBe("local");
    expect(local.interface).toBe(fleet.localInterfaceName(0));
    const localNs = fleet.local;
    if (!localNs) throw new Error("the fleet has no local node namespace");
    await expectLive(localNs, fleet.localInterfaceName(0), [local]);
    const localPool = await poolOf(fleet.api, "local", fleet.localInterfaceName(0));
    expect(localPool.allocated).toBe(1);
  });

  it("with no node eligible and no local node hosting the configuration, auto answers 503 and creates nothing", async () => {
    const fleet = current();
    const [n1, n2, n3] = nodes();
    await patchNode(fleet.api, n1, { enabled: false });
    await patchNode(fleet.api, n2, { enabled: false });
    await patchNode(fleet.api, n3, { enabled: false });
    const answer = await postPeer(fleet.api, REMOTE_ONLY, { name: "nowhere", node: "auto" });
    expect(answer.status, answer.text).toBe(503);
    expect(apiError(answer)?.code).toBe("NODE_UNAVAILABLE");
    expect(await listPeers(fleet.api, REMOTE_ONLY)).toEqual([]);
    for (const node of [n1, n2, n3]) {
      expect(await liveAllowedIps(node.ns, node.interfaceName(2))).toEqual(new Map());
      expect((await poolOf(fleet.api, requireId(node), node.interfaceName(2))).allocated).toBe(0);
    }
  });

  it("burst: 30 concurrent auto creations over three equal nodes land 10/10/10 with 30 valid, distinct /32s", async () => {
    const fleet = current();
    for (const node of fleet.nodes) await patchNode(fleet.api, node, { maxPeers: 100 });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => postPeer(fleet.api, BURST, { name: `burst-${i}`, node: "auto" })),
    );
    for (const answer of answers) expect(answer.status, answer.text).toBe(201);
    const peers = answers.map((answer) => answer.json as ApiPeer);
    const perNode = countBy(peers, (peer) => peer.node);
    expect(Object.fromEntries(perNode)).toEqual(
      Object.fromEntries(fleet.nodes.map((node) => [requireId(node), 10])),
    );
    const addresses = peers.flatMap((peer) => peer.addresses);
    expect(addresses).toHaveLength(30);
    expect(new Set(addresses).size).toBe(30);
    for (const [i, node] of fleet.nodes.entries()) {
      const mine = peers.filter((peer) => peer.node === node.id);
      const base = ipv4ToNumber(BURST_POOLS[i] as string);
      for (const peer of mine) {
        expect(peer.addresses, peer.name).toHaveLength(1);
        const address = peer.addresses[0] as string;
        expect(address, peer.name).toMatch(/\/32$/);
        const offset = ipv4ToNumber(address) - base;
        // Inside the /27, not the network (0), the gateway (1) or the broadcast (31).
        expect(offset, `${address} in ${BURST_POOLS[i]}`).toBeGreaterThanOrEqual(2);
        expect(offset, `${address} in ${BURST_POOLS[i]}`).toBeLessThanOrEqual(30);
      }
      const live = await liveAllowedIps(node.ns, node.interfaceName(1));
      expect(live.size).toBe(10);
      for (const peer of mine) expect(live.get(peer.publicKey), peer.name).toEqual(peer.addresses);
      expect((await poolOf(fleet.api, requireId(node), node.interfaceName(1))).allocated).toBe(10);
    }
    const listed = await listPeers(fleet.api, BURST);
    expect(listed).toHaveLength(30);
    expect(listed.every((peer) => peer.state === "active")).toBe(true);
  });

  it("a peer on node2 gets node2's public key and endpoint, and its client pings node2's gateway through the tunnel", async () => {
    const fleet = current();
    const [n1, n2, n3] = nodes();
    const peer = await createPeer(fleet.api, SEL, { name: "tunnel", node: requireId(n2) });
    expect(peer.node).toBe(n2.id);
    const config = await fleet.api.expect("GET", `/api/v1/peers/${peer.id}/config`, undefined, [200]);
    const node2 = await liveInterface(n2.ns, n2.interfaceName(0));
    expect(config.text).toMatch(new RegExp(`^PublicKey\\s*=\\s*${escapeRegExp(node2.publicKey)}\\s*$`, "m"));
    expect(config.text).toMatch(
      new RegExp(`^Endpoint\\s*=\\s*${escapeRegExp(n2.endpoint(SEL_PORT))}\\s*$`, "m"),
    );
    for (const other of [n1, n3]) {
      const key = (await liveInterface(other.ns, other.interfaceName(0))).publicKey;
      expect(config.text).not.toContain(key);
      expect(config.text).not.toContain(other.address);
    }
    const client = await fleet.createClient(peer.id);
    try {
      expect(client.endpoint).toBe(n2.endpoint(SEL_PORT));
      expect(client.addresses).toEqual(peer.addresses);
      // node2's gateway: the first usable address of its pool 198.51.100.32/27.
      expect(await client.ping("198.51.100.33")).toBe(true);
      // node1's gateway is not behind this tunnel.
      expect(await client.ping("198.51.100.1", { timeoutSec: 1 })).toBe(false);
      const handshake = (await n2.wg(["show", n2.interfaceName(0), "latest-handshakes"])).trim();
      expect(handshake).toMatch(new RegExp(`^${escapeRegExp(peer.publicKey)}\\t[1-9]\\d*$`, "m"));
    } finally {
      await fleet.removeClient(client);
    }
  });

  it("node listings, single nodes, edits, tests and the dashboard's log never contain a node's secret", async () => {
    const fleet = current();
    const [n1] = nodes();
    const secrets = fleet.nodes.map((node) => node.secret);
    const bodies: Array<[string, string]> = registrationAnswers.map((text, i) => [`POST #${i}`, text]);
    bodies.push(["GET /api/v1/nodes", (await fleet.api.expect("GET", "/api/v1/nodes")).text]);
    bodies.push(["GET /api/nodes/enabled", (await fleet.api.expect("GET", "/api/nodes/enabled")).text]);
    for (const node of fleet.nodes) {
      const id = requireId(node);
      bodies.push([`GET ${node.name}`, (await fleet.api.expect("GET", `/api/v1/nodes/${id}`)).text]);
      bodies.push([`pools ${node.name}`, (await fleet.api.expect("GET", `/api/v1/nodes/${id}/pools`)).text]);
      const test = await fleet.api.post(`/api/v1/nodes/${id}/test`);
      expect(test.status, test.text).toBe(200);
      bodies.push([`test ${node.name}`, test.text]);
    }
    const patched = await fleet.api.expect("PATCH", `/api/v1/nodes/${requireId(n1)}`, { weight: 100 }, [200]);
    bodies.push(["PATCH node1", patched.text]);
    // A node given the wrong secret (one agent serves one node: node1 itself is edited, then restored):
    // its test says so without echoing either secret.
    const wrongSecret = randomBytes(24).toString("hex");
    secrets.push(wrongSecret);
    const wrong = await fleet.api.expect(
      "PATCH",
      `/api/v1/nodes/${requireId(n1)}`,
      { secret: wrongSecret },
      [200],
    );
    bodies.push(["PATCH node1 wrong secret", wrong.text]);
    const wrongTest = await fleet.api.post(`/api/v1/nodes/${requireId(n1)}/test`);
    expect(wrongTest.text).toMatch(/secret/i);
    bodies.push(["test node1 with the wrong secret", wrongTest.text]);
    bodies.push([
      "GET /api/v1/nodes with the wrong secret",
      (await fleet.api.expect("GET", "/api/v1/nodes")).text,
    ]);
    await fleet.api.expect("PATCH", `/api/v1/nodes/${requireId(n1)}`, { secret: n1.secret }, [200]);
    await waitOnline(fleet, [n1]);
    // Nor does anything the dashboard logged while registering, polling and testing them.
    const dashboard = fleet.dashboard;
    if (!dashboard) throw new Error("the fleet has no dashboard");
    bodies.push(["the dashboard's log", await readFile(dashboard.logFile, "utf8")]);
    expect(bodies.find(([what]) => what === "GET /api/v1/nodes")?.[1]).toContain(n1.agentUrl);
    for (const [what, text] of bodies) {
      for (const secret of secrets) {
        // The whole secret, and any 12-character piece of it.
        expect(text.includes(secret), `${what} contains a node secret`).toBe(false);
        for (let at = 0; at + 12 <= secret.length; at += 12) {
          expect(text.includes(secret.slice(at, at + 12)), `${what} contains part of a node secret`).toBe(
            false,
          );
        }
      }
    }
    const enabled = JSON.parse(bodies[registrationAnswers.length + 1]?.[1] ?? "[]") as Array<
      Record<string, unknown>
    >;
    for (const entry of enabled) {
      expect(Object.keys(entry).sort()).toEqual([
        "activePeers",
        "id",
        "maxPeers",
        "name",
        "status",
        "weight",
      ]);
    }
  });

  /** An explicit choice of `node` answers 503 NODE_UNAVAILABLE naming it; no peer, no address, nothing live. */
  async function expectRefusedExplicitly(fleet: Fleet, node: FleetNode, reason: RegExp): Promise<void> {
    const id = requireId(node);
    const before = {
      peers: (await listPeers(fleet.api, SEL)).length,
      live: await liveAllowedIps(node.ns, node.interfaceName(0)),
      allocated: (await poolOf(fleet.api, id, node.interfaceName(0))).allocated,
    };
    const answer = await postPeer(fleet.api, SEL, { name: "explicit", node: id });
    expect(answer.status, answer.text).toBe(503);
    const error = apiError(answer);
    expect(error?.code).toBe("NODE_UNAVAILABLE");
    expect(error?.message).toMatch(new RegExp(`${escapeRegExp(node.name)}|${escapeRegExp(id)}`));
    expect(error?.message).toMatch(reason);
    expect((await listPeers(fleet.api, SEL)).length).toBe(before.peers);
    expect(await liveAllowedIps(node.ns, node.interfaceName(0))).toEqual(before.live);
    expect((await poolOf(fleet.api, id, node.interfaceName(0))).allocated).toBe(before.allocated);
  }
});

/** Every given node `online` in the dashboard's eyes. */
async function waitOnline(fleet: Fleet, nodes: FleetNode[]): Promise<void> {
  await eventually(
    async () => {
      const statuses = await Promise.all(nodes.map((node) => nodeStatus(fleet.api, node)));
      return statuses.every((status) => status === "online") || null;
    },
    `nodes ${nodes.map((node) => node.name).join(", ")} online`,
    { timeoutMs: 30 * HEALTH_INTERVAL_MS },
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
