// Issue 5 acceptance, failures: the peer-creation saga against a real agent that fails in the ways a
// node fails — the agent answering 500, its WireGuard apply failing, the agent stopped, the agent
// hanging past the dashboard's timeout (SIGSTOP) — must answer 502/503 with the reason and leave no peer and no
// allocation behind, so the next creation gets the same address. A dashboard killed between the
// allocation and the node's answer leaves a `pending` peer that the next start settles with the node.
// Then node recovery: an agent killed goes `offline` within 3 poll intervals and `auto` passes it by;
// the agent back with its state wiped (a rebuilt node) is `online` again with every peer it should have.
//
// How the failures are made (all real, nothing mocked):
// - 500: the agent's state dir and journal are made immutable (`chattr +i`; the journal stays open in
//   the agent, and Linux refuses writes to an immutable file even through an open descriptor). The
//   agent persists before it applies, so its journal append fails with EPERM, an unexpected error it
//   answers with HTTP 500; WireGuard is untouched. `chattr -i` afterwards, also when the test fails.
// - an apply failure (the agent's 502 NODE_ERROR): the node's WireGuard interface is deleted (`ip link
//   del` in its namespace: wireguard-go exits). The agent persists the peer, `wg set` fails, and it
//   answers 502 with the driver's message. The agents run with a one-hour drift interval so that they
//   do not re-create the interface by themselves in between; a restart of the agent re-applies its
//   persisted state and brings the interface back.
// - stopped: SIGTERM to the agent (connection refused).
// - hanging: SIGSTOP to the agent process (the kernel still accepts the connection; nobody answers),
//   SIGCONT after the dashboard gave up.
// - crash: SIGSTOP the agent so the creation waits inside the node call with its peer `pending` and
//   its address allocated, SIGKILL the dashboard there, then either SIGKILL the stopped agent (the call
//   never reaches the node: settle rolls back) or SIGCONT it (the call lands: settle finishes); and
//   a test-only module loaded into the dashboard (test/support/crash-after-allocate.ts): SIGKILL of
//   itself after the allocation, before the call, for the peer with the public key it is given.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { generateKeyPair } from "@wgfleet/core";
import { runCommand } from "@wgfleet/wireguard";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { eventually, type Fleet, type FleetNode } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { CRASH_AFTER_ALLOCATE_MODULE, CRASH_PUBLIC_KEY_ENV } from "../support/crash-after-allocate.js";
import { commandPrerequisite, missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  type ApiPeer,
  apiError,
  createConfiguration,
  createPeer,
  createPeers,
  expectLive,
  fastHealthEnv,
  HEALTH_INTERVAL_MS,
  listPeers,
  liveAllowedIps,
  liveInterface,
  nodeStatus,
  placeConfiguration,
  poolOf,
  postPeer,
  requireId,
} from "./support.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("chattr")]);

/** The dashboard's timeout for one agent call in this fleet. */
const AGENT_TIMEOUT_MS = 4_000;
/** node1 198.51.100.0/27 (gateway .1, first peer .2), node2 198.51.100.32/27. */
const RB = "mrrb";
const RB_PORT = 51830;
const RB_POOLS = ["198.51.100.0/27", "198.51.100.32/27"];
/** A second configuration on node2 only: a rebuilt node must get back every interface. */
const SECOND = "mrtwo";
const SECOND_PORT = 51831;
const SECOND_POOL = "203.0.113.0/27";
/** The peer whose creation makes the dashboard SIGKILL itself after the allocation (by its key). */
const FAULT_PEER = "rb-fault-crash";
const FAULT_PEER_KEY = generateKeyPair().publicKey;

describe.skipIf(skip)(
  "creation rollback, crash settlement and node recovery against real agents (issue 5)",
  () => {
    const current = useFleet({
      nodes: 2,
      prefix: "mr",
      // Agents must not repair a deleted interface on their own (see the 500 case).
      driftIntervalSeconds: 3_600,
      dashboard: {
        env: {
          ...fastHealthEnv({ agentTimeoutMs: AGENT_TIMEOUT_MS }),
          [CRASH_PUBLIC_KEY_ENV]: FAULT_PEER_KEY,
        },
        imports: [CRASH_AFTER_ALLOCATE_MODULE],
      },
    });
    const node1 = () => current().node(0);
    const node2 = () => current().node(1);

    beforeAll(async () => {
      const fleet = current();
      await fleet.registerNodes({ maxPeers: 100 });
      await waitStatus(fleet, fleet.nodes, "online");
      await createConfiguration(fleet.api, RB, ["198.51.100.0/26"]);
      await placeConfiguration(
        fleet,
        RB,
        fleet.nodes.map((node, i) => ({ node, pool: RB_POOLS[i] as string, listenPort: RB_PORT, k: 0 })),
      );
      await createConfiguration(fleet.api, SECOND, ["203.0.113.0/27"]);
      await placeConfiguration(fleet, SECOND, [
        { node: node2(), pool: SECOND_POOL, listenPort: SECOND_PORT, k: 1 },
      ]);
    }, 120_000);

    /** A SIGSTOPped agent is never left stopped, an immutable state dir never left immutable. */
    afterEach(async () => {
      for (const node of current().nodes) {
        if (node.agentPid) signal(node.agentPid, "SIGCONT");
        await setImmutable(node.stateDir, false);
      }
    });

    it("the agent answers 500 (its state cannot be written): 502 naming the agent's reason, no peer, no allocation, same address next", async () => {
      const fleet = current();
      const n1 = node1();
      // The first peer makes sure the agent's journal for the interface exists and is open.
      const first = await createPeer(fleet.api, RB, { name: "rb-before-500", node: requireId(n1) });
      expect(first.addresses).toEqual(["198.51.100.2/32"]);
      const before = await snapshot(fleet, n1);

      await setImmutable(n1.stateDir, true);
      let answer: Awaited<ReturnType<typeof postPeer>>;
      try {
        answer = await postPeer(fleet.api, RB, { name: "rb-500", node: requireId(n1) });
      } finally {
        await setImmutable(n1.stateDir, false);
      }
      expect(answer.status, answer.text).toBe(502);
      expect(apiError(answer)?.code).toBe("NODE_ERROR");
      // The node is named; the agent's status and its own reason are passed on.
      expect(apiError(answer)?.message).toMatch(/node1/);
      expect(apiError(answer)?.message).toMatch(/\b500\b/);
      expect(apiError(answer)?.message).toMatch(/not permitted|EPERM/i);
      await expectNothingLeft(fleet, n1, before, "rb-500");

      const next = await createPeer(fleet.api, RB, { name: "rb-after-500", node: requireId(n1) });
      expect(next.addresses).toEqual(["198.51.100.3/32"]);
      await expectLive(n1.ns, n1.interfaceName(0), [first, next]);
    });

    it("the agent's WireGuard apply fails (its interface is gone): 502 with the driver's reason, no peer, no allocation, same address next", async () => {
      const fleet = current();
      const n1 = node1();
      const iface = n1.interfaceName(0);
      const before = await snapshot(fleet, n1);
      const expected = nextAddress(before.peers, RB_POOLS[0] as string);

      await n1.deleteInterfaces();
      expect(await n1.wireguardLinks()).toEqual([]);
      const answer = await postPeer(fleet.api, RB, { name: "rb-apply", node: requireId(n1) });
      expect(answer.status, answer.text).toBe(502);
      expect(apiError(answer)?.code).toBe("NODE_ERROR");
      expect(apiError(answer)?.message).toMatch(/node1/);
      expect(apiError(answer)?.message).toMatch(/Unable to modify interface|No such device|does not exist/i);
      await expectNothingLeft(fleet, n1, before, "rb-apply");

      // The agent re-applies its persisted state at start: the interface is back without the failed peer.
      await fleet.stopAgent(0);
      await fleet.startAgent(0);
      expect(await liveAllowedIps(n1.ns, iface)).toEqual(before.live);
      await waitStatus(fleet, [n1], "online");
      const next = await createPeer(fleet.api, RB, { name: "rb-after-apply", node: requireId(n1) });
      expect(next.addresses).toEqual([expected]);
      await expectLive(n1.ns, iface, [...before.peers, next]);
    });

    it("the agent is stopped: 502/503 with the reason, no peer, no allocation, same address once it is back", async () => {
      const fleet = current();
      const n1 = node1();
      const before = await snapshot(fleet, n1);
      const expected = nextAddress(before.peers, RB_POOLS[0] as string);

      await fleet.stopAgent(0);
      const answer = await postPeer(fleet.api, RB, { name: "rb-stopped", node: requireId(n1) });
      expect([502, 503], answer.text).toContain(answer.status);
      expect(["NODE_ERROR", "NODE_UNAVAILABLE"]).toContain(apiError(answer)?.code);
      expect(apiError(answer)?.message).toMatch(/node1/);
      expect(apiError(answer)?.message).toMatch(/refused|unreachable|offline/i);
      await expectNothingLeft(fleet, n1, before, "rb-stopped");

      await fleet.startAgent(0);
      await waitStatus(fleet, [n1], "online");
      const next = await createPeer(fleet.api, RB, { name: "rb-after-stop", node: requireId(n1) });
      expect(next.addresses).toEqual([expected]);
      await expectLive(n1.ns, n1.interfaceName(0), [...before.peers, next]);
    });

    it("the agent hangs past the timeout (SIGSTOP): 502/503, no peer, no allocation; after SIGCONT the node does not keep it", async () => {
      const fleet = current();
      const n1 = node1();
      const before = await snapshot(fleet, n1);
      const expected = nextAddress(before.peers, RB_POOLS[0] as string);
      const pid = requirePid(n1);

      signal(pid, "SIGSTOP");
      let answer: Awaited<ReturnType<typeof postPeer>>;
      try {
        answer = await postPeer(fleet.api, RB, { name: "rb-hang", node: requireId(n1) });
      } finally {
        signal(pid, "SIGCONT");
      }
      expect([502, 503], answer.text).toContain(answer.status);
      expect(["NODE_ERROR", "NODE_UNAVAILABLE"]).toContain(apiError(answer)?.code);
      expect(apiError(answer)?.message).toMatch(/node1/);
      expect(apiError(answer)?.message).toMatch(/no answer within|timed? ?out/i);
      await expectNothingLeft(fleet, n1, before, "rb-hang");
      // The queued calls (the upsert, then the rollback's removal) now reach the agent: none may leave
      // the rolled-back peer on the node.
      await waitStatus(fleet, [n1], "online");
      await eventually(
        async () => (await liveAllowedIps(n1.ns, n1.interfaceName(0))).size === before.peers.length,
        "node1 back to its peers without the rolled-back one",
        { timeoutMs: 15_000 },
      );
      await sleep(2 * HEALTH_INTERVAL_MS);
      expect(await liveAllowedIps(n1.ns, n1.interfaceName(0))).toEqual(before.live);

      const next = await createPeer(fleet.api, RB, { name: "rb-after-hang", node: requireId(n1) });
      expect(next.addresses).toEqual([expected]);
      await expectLive(n1.ns, n1.interfaceName(0), [...before.peers, next]);
    });

    it("a crash between the allocation and the node call is settled at the next start: rolled back", async () => {
      const fleet = current();
      const n1 = node1();
      const before = await snapshot(fleet, n1);
      const expected = nextAddress(before.peers, RB_POOLS[0] as string);

      const pending = await crashDuringNodeCall(fleet, n1, "rb-crash-lost");
      expect(pending.addresses).toEqual([expected]);
      // The stopped agent dies without ever reading the call: the node never saw the peer.
      await n1.killAgent();
      await fleet.startAgent(0);
      expect(await liveAllowedIps(n1.ns, n1.interfaceName(0))).toEqual(before.live);
      await fleet.startDashboard();

      await eventually(
        async () => !(await listPeers(fleet.api, RB)).some((peer) => peer.id === pending.id),
        "the pending peer settled (removed) after the restart",
        { timeoutMs: 20_000 },
      );
      await expectNothingLeft(fleet, n1, before, "rb-crash-lost");
      await waitStatus(fleet, [n1], "online");
      const next = await createPeer(fleet.api, RB, { name: "rb-after-crash", node: requireId(n1) });
      expect(next.addresses).toEqual([expected]);
      await expectLive(n1.ns, n1.interfaceName(0), [...before.peers, next]);
    });

    it("the dashboard's fault injection (crash right after the allocation) is settled at the next start", async () => {
      const fleet = current();
      const n1 = node1();
      const before = await snapshot(fleet, n1);
      const expected = nextAddress(before.peers, RB_POOLS[0] as string);

      // The dashboard SIGKILLs itself between the committed `pending` row and the node call.
      const creation = await postPeer(fleet.api, RB, {
        name: FAULT_PEER,
        node: requireId(n1),
        publicKey: FAULT_PEER_KEY,
      }).catch((error: unknown) => error);
      expect(creation).toBeInstanceOf(Error);
      await eventually(async () => !fleet.dashboard?.running, "the dashboard gone after the injected crash", {
        timeoutMs: 10_000,
      });
      expect(await liveAllowedIps(n1.ns, n1.interfaceName(0))).toEqual(before.live);
      await fleet.startDashboard();

      await eventually(
        async () => !(await listPeers(fleet.api, RB)).some((peer) => peer.name === FAULT_PEER),
        "the crashed creation settled (removed) after the restart",
        { timeoutMs: 20_000 },
      );
      await expectNothingLeft(fleet, n1, before, FAULT_PEER);
      const next = await createPeer(fleet.api, RB, { name: "rb-after-fault", node: requireId(n1) });
      expect(next.addresses).toEqual([expected]);
      await expectLive(n1.ns, n1.interfaceName(0), [...before.peers, next]);
    });

    it("a crash after the node call was sent is settled at the next start: finished (active, live)", async () => {
      const fleet = current();
      const n1 = node1();
      const before = await snapshot(fleet, n1);

      const pending = await crashDuringNodeCall(fleet, n1, "rb-crash-landed");
      // The agent resumes and handles the call the dead dashboard sent: the node has the peer.
      signal(requirePid(n1), "SIGCONT");
      await eventually(
        async () => (await liveAllowedIps(n1.ns, n1.interfaceName(0))).has(pending.publicKey),
        "the call of the killed dashboard applied on node1",
        { timeoutMs: 15_000 },
      );
      await fleet.startDashboard();

      const settled = await eventually(
        async () => {
          const peer = (await listPeers(fleet.api, RB)).find((p) => p.id === pending.id);
          return peer?.state === "active" ? peer : null;
        },
        "the pending peer settled (active) after the restart",
        { timeoutMs: 20_000 },
      );
      expect(settled.addresses).toEqual(pending.addresses);
      await expectLive(n1.ns, n1.interfaceName(0), [...before.peers, settled]);
      const pool = await poolOf(fleet.api, requireId(n1), n1.interfaceName(0));
      expect(pool.allocated).toBe(before.allocated + 1);
    });

    it("an agent killed goes offline within 3 poll intervals and auto passes it by", async () => {
      const fleet = current();
      const [n1, n2] = [node1(), node2()];
      await waitStatus(fleet, fleet.nodes, "online");
      // node2 is emptier than node1 on this configuration: auto would choose it while it is online.
      const onNode2 = await createPeers(fleet.api, RB, 2, requireId(n2), "rec-rb");
      const probe = await createPeer(fleet.api, RB, { name: "rec-probe", node: "auto" });
      expect(probe.node).toBe(n2.id);
      onNode2.push(probe);
      const second = await createPeers(fleet.api, SECOND, 3, requireId(n2), "rec-two");
      const disabled = second[2] as ApiPeer;
      await fleet.api.expect("POST", `/api/v1/peers/${disabled.id}/disable`, undefined, [200]);

      await fleet.killAgent(1);
      // Within 3 poll intervals of the kill (plus one interval of slack for a loaded machine): a refused
      // connection fails at once, so no call timeout adds to it.
      await waitStatus(fleet, [n2], "offline", 4 * HEALTH_INTERVAL_MS);

      const autos = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          createPeer(fleet.api, RB, { name: `rec-auto-${i}`, node: "auto" }),
        ),
      );
      for (const peer of autos) expect(peer.node, peer.name).toBe(n1.id);
      // Nothing for node2 is in the database since it went offline.
      const rbOnNode2 = (await listPeers(fleet.api, RB)).filter((peer) => peer.node === n2.id);
      expect(rbOnNode2.map((peer) => peer.id).sort()).toEqual(onNode2.map((peer) => peer.id).sort());

      // Rebuilt: its interfaces and state dir are gone before the agent starts again. A wiped agent has
      // a new instance id: the node is held back (degraded, no writes) until an admin adopts it.
      await fleet.startAgent(1, { wipeState: true });
      expect(await n2.wireguardLinks()).toEqual([]);
      await waitStatus(fleet, [n2], "degraded");
      expect(await n2.wireguardLinks()).toEqual([]);
      await fleet.api.expect("POST", `/api/v1/nodes/${n2.id}/confirm-agent`, undefined, [200]);
      await waitStatus(fleet, [n2], "online");

      // The dashboard pushes the full desired state: both interfaces, with their keys and ports, and
      // exactly the enabled peers of each.
      await eventually(
        async () => (await n2.wireguardLinks()).length === 2,
        "node2's two interfaces re-created",
        { timeoutMs: 20_000 },
      );
      const rbPeers = (await listPeers(fleet.api, RB)).filter((peer) => peer.node === n2.id);
      const secondPeers = (await listPeers(fleet.api, SECOND)).filter((peer) => peer.enabled);
      expect(secondPeers).toHaveLength(2);
      await eventually(
        async () =>
          (await liveAllowedIps(n2.ns, n2.interfaceName(0))).size === rbPeers.length &&
          (await liveAllowedIps(n2.ns, n2.interfaceName(1))).size === secondPeers.length,
        "node2's peers restored",
        { timeoutMs: 20_000 },
      );
      await expectLive(n2.ns, n2.interfaceName(0), rbPeers);
      await expectLive(n2.ns, n2.interfaceName(1), secondPeers);
      expect((await liveAllowedIps(n2.ns, n2.interfaceName(1))).has(disabled.publicKey)).toBe(false);
      expect((await liveInterface(n2.ns, n2.interfaceName(0))).listenPort).toBe(RB_PORT);
      expect((await liveInterface(n2.ns, n2.interfaceName(1))).listenPort).toBe(SECOND_PORT);
      const config = await fleet.api.expect("GET", `/api/v1/peers/${probe.id}/config`, undefined, [200]);
      expect(config.text).toContain((await liveInterface(n2.ns, n2.interfaceName(0))).publicKey);

      // And it takes new peers again.
      const after = await createPeer(fleet.api, SECOND, { name: "rec-after", node: requireId(n2) });
      await expectLive(n2.ns, n2.interfaceName(1), [...secondPeers, after]);
    });
  },
);

interface Snapshot {
  peers: ApiPeer[];
  live: Map<string, string[]>;
  allocated: number;
}

/** The configuration's peers on the node, the node's live peers, and its pool's allocation count. */
async function snapshot(fleet: Fleet, node: FleetNode): Promise<Snapshot> {
  const peers = (await listPeers(fleet.api, RB)).filter((peer) => peer.node === node.id);
  return {
    peers,
    live: await liveAllowedIps(node.ns, node.interfaceName(0)),
    allocated: (await poolOf(fleet.api, requireId(node), node.interfaceName(0))).allocated,
  };
}

/** No peer named `name`, the same peers and allocations as before, nothing new on the node. */
async function expectNothingLeft(
  fleet: Fleet,
  node: FleetNode,
  before: Snapshot,
  name: string,
): Promise<void> {
  const peers = (await listPeers(fleet.api, RB)).filter((peer) => peer.node === node.id);
  expect(peers.some((peer) => peer.name === name)).toBe(false);
  expect(peers.map((peer) => peer.id).sort()).toEqual(before.peers.map((peer) => peer.id).sort());
  expect((await poolOf(fleet.api, requireId(node), node.interfaceName(0))).allocated).toBe(before.allocated);
  if ((await node.wireguardLinks()).includes(node.interfaceName(0))) {
    expect(await liveAllowedIps(node.ns, node.interfaceName(0))).toEqual(before.live);
  }
}

/**
 * Stops the node's agent, starts a creation on it, waits until the peer is `pending` (allocated, the
 * node call in flight), and SIGKILLs the dashboard there. The agent is left stopped; the pending peer
 * as the API showed it is returned.
 */
async function crashDuringNodeCall(fleet: Fleet, node: FleetNode, name: string): Promise<ApiPeer> {
  const pid = requirePid(node);
  signal(pid, "SIGSTOP");
  const creation = postPeer(fleet.api, RB, { name, node: requireId(node) }).catch((error: unknown) => error);
  const pending = await eventually(
    async () =>
      (await listPeers(fleet.api, RB)).find((peer) => peer.name === name && peer.state === "pending"),
    `${name} pending while its node call hangs`,
    { timeoutMs: AGENT_TIMEOUT_MS - 1_500, intervalMs: 50 },
  );
  await fleet.killDashboard();
  // The request dies with the dashboard: no answer.
  const outcome = await creation;
  expect(outcome).toBeInstanceOf(Error);
  return pending;
}

/** The first free address of an IPv4 pool after the peers' addresses (the allocator's lowest-free rule). */
function nextAddress(peers: ApiPeer[], pool: string): string {
  const taken = new Set(peers.flatMap((peer) => peer.addresses));
  const [base] = pool.split("/") as [string];
  const parts = base.split(".").map(Number);
  for (let host = 2; host < 255; host++) {
    const candidate = `${parts[0]}.${parts[1]}.${parts[2]}.${(parts[3] as number) + host}/32`;
    if (!taken.has(candidate)) return candidate;
  }
  throw new Error(`no free address in ${pool}`);
}

async function waitStatus(
  fleet: Fleet,
  nodes: FleetNode[],
  status: string,
  timeoutMs = 30 * HEALTH_INTERVAL_MS,
) {
  await eventually(
    async () =>
      (await Promise.all(nodes.map((node) => nodeStatus(fleet.api, node)))).every((s) => s === status),
    `${nodes.map((node) => node.name).join(", ")} ${status}`,
    { timeoutMs, intervalMs: 100 },
  );
}

/** `chattr [+-]i` on the agent's state dir and every file in it (root can write through anything else). */
async function setImmutable(dir: string, on: boolean): Promise<void> {
  const files = await readdir(dir).catch(() => null);
  if (files === null) return;
  const paths = [dir, ...files.map((file) => join(dir, file))];
  await runCommand("chattr", [on ? "+i" : "-i", ...paths]);
}

function requirePid(node: FleetNode): number {
  if (!node.agentPid) throw new Error(`the agent of ${node.name} is not running`);
  return node.agentPid;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
