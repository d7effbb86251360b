// Helpers shared by the multi-node acceptance tests (issue 5): configurations put on real agents
// through the API, peers created and listed through the API, and the live state of a node read with
// `wg show` inside its namespace, so every assertion compares the database with the real WireGuard.
// Only the API and `wg` are used here: nothing reaches into the dashboard's internals.
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import {
  type ApiAnswer,
  eventually,
  type Fleet,
  type FleetApi,
  type FleetDashboard,
  type FleetNode,
} from "../fleet/harness.js";
import type { TestNamespace } from "../support/netns.js";
import { TcpForwarder } from "../support/tcp-forwarder.js";

/** The health polling interval the multi-node fleets run with (the dashboard's setting, in ms). */
export const HEALTH_INTERVAL_MS = 1_000;

/**
 * The dashboard environment for a fleet that must notice node changes quickly: a short health
 * polling interval and agent-call timeout (names as the dashboard's settings define them).
 */
export function fastHealthEnv(options: { agentTimeoutMs?: number } = {}): Record<string, string> {
  return {
    WGFLEET_HEALTH_INTERVAL_MS: String(HEALTH_INTERVAL_MS),
    ...(options.agentTimeoutMs ? { WGFLEET_AGENT_TIMEOUT_MS: String(options.agentTimeoutMs) } : {}),
  };
}

/**
 * How an agent inside `node`'s namespace reaches the fleet's dashboard, which listens on the host's
 * loopback the namespace cannot reach: a TCP forwarder on the host side of the namespace's veth (the
 * NAT in front of the dashboard; cut() and restore() are the network failing and coming back). `url`
 * is what the agent dials, plain HTTP over the test underlay (so with --dashboard-allow-http).
 */
export async function forwardDashboard(
  fleet: Fleet,
  node: FleetNode,
  to: FleetDashboard | null = fleet.dashboard,
): Promise<{ forwarder: TcpForwarder; url: string }> {
  if (!to) throw new Error("forwardDashboard: the fleet has no dashboard running");
  const dashboard = new URL(to.url);
  const forwarder = await TcpForwarder.start({
    listen: { host: node.ns.hostAddress },
    target: { host: dashboard.hostname, port: Number(dashboard.port) },
  });
  return { forwarder, url: `http://${node.ns.hostAddress}:${forwarder.port}` };
}

/** A peer as the API returns it (the fields these tests read). */
export interface ApiPeer {
  id: string;
  name: string;
  node: string;
  interface: string;
  publicKey: string;
  addresses: string[];
  state: string;
  enabled: boolean;
}

export interface PoolStats {
  configuration: string;
  interface: string;
  cidr: string;
  total: number;
  allocated: number;
  available: number;
  utilization: number;
}

/** A configuration name unique across parallel runs (configurations are per dashboard, but logs are shared). */
export function uniqueConfigName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}

export async function createConfiguration(
  api: FleetApi,
  name: string,
  clientAllowedIps: string[],
): Promise<void> {
  await api.expect("POST", "/api/v1/configurations", { name, clientAllowedIps }, [201]);
}

export interface Placement {
  /** A fleet node, or "local" for the dashboard's local node. */
  node: FleetNode | "local";
  /** The IPv4 pool; none for an IPv6-only placement (pool6 alone). */
  pool?: string;
  pool6?: string;
  listenPort: number;
  /** Which of the node's unique interface names (0-9). */
  k?: number;
}

/** `POST /api/v1/configurations/:name/interfaces` for each placement: the configuration live on those nodes. */
export async function placeConfiguration(fleet: Fleet, name: string, placements: Placement[]): Promise<void> {
  for (const placement of placements) {
    const k = placement.k ?? 0;
    const isLocal = placement.node === "local";
    const node = placement.node as FleetNode;
    const local = fleet.local as TestNamespace;
    const body = {
      nodeId: isLocal ? "local" : requireId(node),
      listenPort: placement.listenPort,
      ...(placement.pool ? { pool: placement.pool } : {}),
      ...(placement.pool6 ? { pool6: placement.pool6 } : {}),
      endpoint: isLocal ? `${local.nsAddress}:${placement.listenPort}` : node.endpoint(placement.listenPort),
      interfaceName: isLocal ? fleet.localInterfaceName(k) : node.interfaceName(k),
    };
    await fleet.api.expect("POST", `/api/v1/configurations/${name}/interfaces`, body, [201]);
  }
}

export function requireId(node: FleetNode): string {
  if (!node.id) throw new Error(`${node.name} is not registered with the dashboard`);
  return node.id;
}

/** `POST /api/v1/configurations/:name/peers`, whatever it answers. */
export function postPeer(
  api: FleetApi,
  configuration: string,
  body: Record<string, unknown>,
): Promise<ApiAnswer> {
  return api.post(`/api/v1/configurations/${configuration}/peers`, body);
}

/** A peer that must be created (201), with its answer. */
export async function createPeer(
  api: FleetApi,
  configuration: string,
  body: Record<string, unknown>,
): Promise<ApiPeer> {
  const answer = await api.expect<ApiPeer>(
    "POST",
    `/api/v1/configurations/${configuration}/peers`,
    body,
    [201],
  );
  return answer.json;
}

/** `count` peers created one after another on an explicit node (or "auto"). */
export async function createPeers(
  api: FleetApi,
  configuration: string,
  count: number,
  node: string,
  namePrefix: string,
): Promise<ApiPeer[]> {
  const made: ApiPeer[] = [];
  for (let i = 0; i < count; i++)
    made.push(await createPeer(api, configuration, { name: `${namePrefix}-${i}`, node }));
  return made;
}

/** Every peer of a configuration, all pages. */
export async function listPeers(api: FleetApi, configuration: string): Promise<ApiPeer[]> {
  const peers: ApiPeer[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page: ApiAnswer<{ items: ApiPeer[]; nextCursor: string | null }> = await api.expect<{
      items: ApiPeer[];
      nextCursor: string | null;
    }>("GET", `/api/v1/configurations/${configuration}/peers?limit=500${query}`, undefined, [200]);
    peers.push(...page.json.items);
    cursor = page.json.nextCursor;
  } while (cursor);
  return peers;
}

/** Deletes every peer of a configuration through the API (each one off its node first). */
export async function deleteAllPeers(api: FleetApi, configuration: string): Promise<void> {
  for (const peer of await listPeers(api, configuration)) {
    await api.expect("DELETE", `/api/v1/peers/${peer.id}`, undefined, [200, 204]);
  }
}

/** `GET /api/v1/nodes/:id/pools`. */
export async function poolStats(api: FleetApi, nodeId: string): Promise<PoolStats[]> {
  const answer = await api.expect<{ items: PoolStats[] }>(
    "GET",
    `/api/v1/nodes/${nodeId}/pools`,
    undefined,
    [200],
  );
  return answer.json.items;
}

/** The pool of one interface on a node. */
export async function poolOf(api: FleetApi, nodeId: string, interfaceName: string): Promise<PoolStats> {
  const pool = (await poolStats(api, nodeId)).find((p) => p.interface === interfaceName);
  if (!pool) throw new Error(`node ${nodeId} reports no pool for interface ${interfaceName}`);
  return pool;
}

/** `PATCH /api/v1/nodes/:id`. */
export async function patchNode(
  api: FleetApi,
  node: FleetNode,
  body: Record<string, unknown>,
): Promise<void> {
  await api.expect("PATCH", `/api/v1/nodes/${requireId(node)}`, body, [200]);
}

/** A node's status as the dashboard reports it (`GET /api/v1/nodes/:id`). */
export async function nodeStatus(api: FleetApi, node: FleetNode): Promise<string> {
  const answer = await api.expect<{ status: string }>(
    "GET",
    `/api/v1/nodes/${requireId(node)}`,
    undefined,
    [200],
  );
  return answer.json.status;
}

/**
 * A creation on `node` while the dashboard cannot reach it answers 503 NODE_UNAVAILABLE and leaves
 * nothing: no peer of that name listed, no more addresses taken in the node's pool than `before`.
 */
export async function expectCreationRefusedUnavailable(
  api: FleetApi,
  configuration: string,
  node: FleetNode,
  name: string,
  before: PoolStats,
): Promise<void> {
  const refused = await postPeer(api, configuration, { name, node: requireId(node) });
  expect(refused.status, JSON.stringify(refused.json)).toBe(503);
  expect(apiError(refused)?.code).toBe("NODE_UNAVAILABLE");
  expect((await listPeers(api, configuration)).map((p) => p.name)).not.toContain(name);
  expect((await poolOf(api, requireId(node), before.interface)).allocated).toBe(before.allocated);
}

/** Waits until the dashboard behind `api` reports each of `nodes` online, each within 30 health intervals. */
export async function waitNodesOnline(api: FleetApi, nodes: FleetNode[]): Promise<void> {
  for (const node of nodes) {
    await eventually(async () => (await nodeStatus(api, node)) === "online", `${node.name} online`, {
      timeoutMs: 30 * HEALTH_INTERVAL_MS,
    });
  }
}

/**
 * The live interface: public key → AllowedIPs, from `wg show NAME allowed-ips` inside the namespace.
 * Throws when the interface does not exist.
 */
export async function liveAllowedIps(
  ns: TestNamespace,
  interfaceName: string,
): Promise<Map<string, string[]>> {
  const { stdout } = await ns.exec("wg", ["show", interfaceName, "allowed-ips"]);
  const peers = new Map<string, string[]>();
  for (const line of stdout.split("\n")) {
    if (!line.trim()) continue;
    const [key, ips = ""] = line.split("\t");
    peers.set(key as string, ips === "(none)" ? [] : ips.split(/\s+/).filter(Boolean));
  }
  return peers;
}

/** `wg show NAME public-key` and `listen-port` inside the namespace. */
export async function liveInterface(
  ns: TestNamespace,
  interfaceName: string,
): Promise<{ publicKey: string; listenPort: number }> {
  const publicKey = (await ns.exec("wg", ["show", interfaceName, "public-key"])).stdout.trim();
  const listenPort = Number((await ns.exec("wg", ["show", interfaceName, "listen-port"])).stdout.trim());
  return { publicKey, listenPort };
}

/** Asserts that every given peer is on the interface with exactly its addresses (each a host route). */
export async function expectLive(ns: TestNamespace, interfaceName: string, peers: ApiPeer[]): Promise<void> {
  const live = await liveAllowedIps(ns, interfaceName);
  for (const peer of peers) {
    expect(live.get(peer.publicKey), `${peer.name} (${peer.publicKey}) on ${interfaceName}`).toEqual(
      peer.addresses,
    );
  }
}

/** The API error of an answer ({code, message, field?}), or null. */
export function apiError(answer: ApiAnswer): { code: string; message: string; field?: string } | null {
  return (answer.json as { error?: { code: string; message: string; field?: string } } | null)?.error ?? null;
}

/** Counts of `items` per key. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** The IPv4 address of "198.51.100.5/32" as a number, for range checks. */
export function ipv4ToNumber(address: string): number {
  return address
    .split("/")[0]!
    .split(".")
    .reduce((n, part) => n * 256 + Number(part), 0);
}
