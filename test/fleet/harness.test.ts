// The fleet harness itself, on a real 2-node fleet: signed agent calls, the dashboard and its API key,
// a client tunnel through a node, agent and dashboard restarts, and a stop() that leaves nothing
// behind. One fleet for the whole file; the last test stops it and checks the machine is clean.
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { AgentClient, AgentRequestError, AgentUnreachableError } from "@wgfleet/agent/client";
import { generateKeyPair, type InterfaceSpec, PROTOCOL_VERSION, renderClientConfig } from "@wgfleet/core";
import { DEFAULT_RUN_DIR, runCommand } from "@wgfleet/wireguard";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestNamespace } from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { cleanupStale, eventually, type Fleet, type FleetNode, startFleet } from "./harness.js";
import { processesNaming } from "./stale-cleanup.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const PREFIX = "fh";
const LISTEN_PORT = 51820;

/** Puts an interface with pool 198.51.100.0/24 (gateway .1) on a node straight through its agent. */
async function putInterface(node: FleetNode): Promise<{ spec: InterfaceSpec; publicKey: string }> {
  const keys = generateKeyPair();
  const spec: InterfaceSpec = {
    name: node.interfaceName(0),
    privateKey: keys.privateKey,
    listenPort: LISTEN_PORT,
    addresses: ["198.51.100.1/24"],
  };
  await node.agentClient().putInterface(spec);
  return { spec, publicKey: keys.publicKey };
}

async function rejection(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => null,
    (error: unknown) => error,
  );
}

describe.skipIf(skip)("the fleet harness on a real 2-node fleet", () => {
  let fleet: Fleet | null = null;
  const current = () => fleet as Fleet;

  beforeAll(async () => {
    await cleanupStale(PREFIX);
    fleet = await startFleet({ nodes: 2, prefix: PREFIX, dashboard: { local: true } });
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  it("starts one agent per node namespace, each answering a signed health call", async () => {
    const nodes = current().nodes;
    expect(nodes.map((node) => node.name)).toEqual(["node1", "node2"]);
    expect(new Set(nodes.map((node) => node.address)).size).toBe(2);
    for (const node of nodes) {
      expect(node.address).toMatch(/^198\.18\.0\.\d+$/);
      const health = await node.agentClient().health();
      expect(health.protocol).toBe(PROTOCOL_VERSION);
      expect(health.interfaces).toEqual([]);
      const wrongSecret = new AgentClient({
        baseUrl: node.agentUrl,
        keyId: node.keyId,
        secret: `${node.secret}x`,
      });
      const refused = await rejection(wrongSecret.health());
      expect(refused).toBeInstanceOf(AgentRequestError);
      expect((refused as AgentRequestError).status).toBe(401);
    }
  });

  it("starts the dashboard on loopback: /healthz answers, the API key works, no key is a 401", async () => {
    const api = current().api;
    expect(api.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await api.anonymous().get("/healthz")).status).toBe(200);
    expect((await api.anonymous().get("/api/v1/nodes")).status).toBe(401);
    const nodes = await current().listNodes();
    expect(nodes.map((node) => node.id)).toContain("local");
  });

  it("gives the dashboard a local node in its own namespace; a client pings it with the downloaded config", async () => {
    const fleet = current();
    const local = fleet.local as TestNamespace;
    expect((await fleet.listNodes()).find((node) => node.id === "local")?.status).not.toBe("unavailable");
    await fleet.api.expect("POST", "/api/v1/configurations", {
      name: "fleetlocal",
      clientAllowedIps: ["203.0.113.0/24"],
    });
    await fleet.api.expect("POST", "/api/v1/configurations/fleetlocal/interfaces", {
      nodeId: "local",
      listenPort: LISTEN_PORT,
      pool: "203.0.113.0/24",
      endpoint: `${local.nsAddress}:${LISTEN_PORT}`,
      interfaceName: fleet.localInterfaceName(0),
    });
    const peer = await fleet.api.expect<{ id: string; addresses: string[] }>(
      "POST",
      "/api/v1/configurations/fleetlocal/peers",
      {
        name: "harness",
        node: "local",
      },
    );
    const client = await fleet.createClient(peer.json.id);
    expect(client.peerId).toBe(peer.json.id);
    expect(client.addresses).toEqual(peer.json.addresses);
    expect(client.endpoint).toBe(`${local.nsAddress}:${LISTEN_PORT}`);
    expect(await client.ping("203.0.113.1")).toBe(true);
  });

  it("brings up a client config in a client namespace and pings a node through the tunnel", async () => {
    const node = current().node(0);
    const { publicKey } = await putInterface(node);
    const client = generateKeyPair();
    await node.agentClient().upsertPeer(node.interfaceName(0), {
      publicKey: client.publicKey,
      allowedIps: ["198.51.100.2/32"],
    });
    const config = renderClientConfig({
      privateKey: client.privateKey,
      addresses: ["198.51.100.2/32"],
      dns: [],
      serverPublicKey: publicKey,
      endpoint: node.endpoint(LISTEN_PORT),
      allowedIps: ["198.51.100.0/24"],
    });
    const tunnel = await current().createClient(config);
    expect(tunnel.address).toBe("198.51.100.2");
    expect(tunnel.endpoint).toBe(node.endpoint(LISTEN_PORT));
    expect(await tunnel.ping("198.51.100.1")).toBe(true);
    // Node 2 has no such address: the tunnel goes to node 1 only.
    await putInterface(current().node(1));
    expect(await tunnel.ping("198.51.100.3", { timeoutSec: 1 })).toBe(false);
  });

  it("stops an agent and starts it as a rebuilt node (state and interfaces wiped)", async () => {
    const fleet = current();
    const node = fleet.node(1);
    expect(await node.wireguardLinks()).toEqual([node.interfaceName(0)]);
    await fleet.stopAgent(1);
    expect(node.agentRunning).toBe(false);
    expect(await rejection(node.agentClient({ timeoutMs: 2_000 }).health())).toBeInstanceOf(
      AgentUnreachableError,
    );
    // Stopping the agent leaves WireGuard up, as on a real node.
    expect(await node.wireguardLinks()).toEqual([node.interfaceName(0)]);
    await fleet.startAgent(1, { wipeState: true });
    expect(await node.wireguardLinks()).toEqual([]);
    expect((await node.agentClient().health()).interfaces).toEqual([]);
    await putInterface(node);
    expect(await node.wireguardLinks()).toEqual([node.interfaceName(0)]);
  });

  it("kills the dashboard and starts it again on the same port with the same API key", async () => {
    const fleet = current();
    const before = fleet.api.baseUrl;
    const pid = fleet.dashboard?.pid as number;
    await fleet.killDashboard();
    expect(fleet.dashboard?.running).toBe(false);
    expect(await rejection(fetch(`${before}/healthz`))).toBeInstanceOf(Error);
    await fleet.startDashboard();
    expect(fleet.api.baseUrl).toBe(before);
    expect(fleet.dashboard?.pid).not.toBe(pid);
    expect((await fleet.api.get("/api/v1/nodes")).status).toBe(200);
  });

  it("registers the nodes through POST /api/v1/nodes; both turn online", async () => {
    const fleet = current();
    await fleet.registerNodes();
    const ids = fleet.nodes.map((node) => node.id);
    expect(ids.every((id) => typeof id === "string" && id !== "local")).toBe(true);
    await eventually(async () => {
      const listed = await fleet.listNodes();
      return ids.every((id) => listed.find((node) => node.id === id)?.status === "online");
    }, "both registered nodes online");
  });

  it("stop() leaves no namespace, interface, wireguard-go, agent or dashboard process behind", async () => {
    const fleet = current();
    const namespaces = [
      ...fleet.nodes.map((node) => node.ns.name),
      ...fleet.clients.map((client) => client.ns.name),
    ];
    const interfaces = [
      ...fleet.nodes.map((node) => node.interfaceName(0)),
      ...fleet.clients.map((c) => c.interfaceName),
    ];
    const pids = [...fleet.nodes.map((node) => node.agentPid), fleet.dashboard?.pid].filter(
      (pid) => pid != null,
    );
    expect(pids).toHaveLength(3);
    expect(await readdir(DEFAULT_RUN_DIR)).toEqual(
      expect.arrayContaining(interfaces.map((name) => `${name}.sock`)),
    );

    await fleet.stop();

    const netns = (await runCommand("ip", ["netns", "list"])).stdout;
    for (const name of namespaces) expect(netns).not.toContain(name);
    const links = (await runCommand("ip", ["-o", "link", "show"])).stdout;
    for (const name of namespaces) expect(links).not.toContain(`${name}h`);
    const wireguardGo = await pgrep("wireguard-go");
    for (const name of interfaces) expect(wireguardGo).not.toContain(name);
    expect(await pgrep(fleet.dir)).toBe("");
    for (const pid of pids) expect(existsSync(`/proc/${pid}`)).toBe(false);
    const sockets = await readdir(DEFAULT_RUN_DIR).catch(() => [] as string[]);
    for (const name of interfaces) expect(sockets).not.toContain(`${name}.sock`);
    expect(existsSync(fleet.dir)).toBe(false);
    expect(await processesNaming(fleet.dir)).toEqual([]);
  });
});

/** `pgrep -af PATTERN` (fixed string); empty when nothing matches. */
async function pgrep(pattern: string): Promise<string> {
  try {
    return (
      await runCommand("pgrep", ["-af", "--", pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")])
    ).stdout.trim();
  } catch {
    return "";
  }
}
