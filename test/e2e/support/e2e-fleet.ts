// The fleet the end-to-end failure suite runs on: three nodes, one configuration served by all three
// (a /26 of 203.0.113.0/24 each), quick health polling and drift repair, and the few API calls the
// scenarios share. Only the dashboard's public API and the harness: never the product's internals.
import { firstUsable, formatAddress, parseCidr } from "@wgfleet/core";
import { eventually, type Fleet, type FleetApi, type FleetNode } from "../../fleet/harness.js";

export const CONFIGURATION = "e2net";
export const LISTEN_PORT = 51820;
/** Node i's pool; its first usable address is the node's gateway. */
export const POOLS = ["203.0.113.0/26", "203.0.113.64/26", "203.0.113.128/26"] as const;
export const CLIENT_ALLOWED_IPS = ["203.0.113.0/24"];
/** The dashboard polls node health this often (seconds): offline and rebuilt nodes show quickly. */
export const HEALTH_INTERVAL_SECONDS = 1;
/** The agents compare live WireGuard with their desired state this often (seconds). */
export const DRIFT_INTERVAL_SECONDS = 1;

/** The dashboard's environment for this suite: a short health interval. */
export const DASHBOARD_ENV: Record<string, string> = {
  WGFLEET_HEALTH_INTERVAL_SECONDS: String(HEALTH_INTERVAL_SECONDS),
};

export interface ApiPeer {
  id: string;
  name: string;
  node: string;
  interface: string;
  publicKey: string;
  addresses: string[];
  enabled: boolean;
  state: "pending" | "active" | "failed";
}

export interface ApiInterface {
  id: string;
  nodeId: string;
  name: string;
  publicKey: string;
  listenPort: number;
  endpoint: string;
  pool: string | null;
}

export interface ApiNode {
  id: string;
  name: string;
  status: string;
  statusReason: string | null;
  lastHealth: unknown;
  peerCount: number;
  pools: Array<{ interface: string; cidr: string; allocated: number; available: number }>;
}

/** Node i's own tunnel address (the first usable address of its pool). */
export function gatewayOf(node: FleetNode): string {
  const pool = POOLS[node.index];
  if (!pool) throw new Error(`${node.name} has no pool in this suite`);
  return formatAddress(firstUsable(parseCidr(pool)));
}

/** A tunnel address without its prefix length. */
export function bare(address: string): string {
  return address.split("/")[0] as string;
}

/** The fleet node a dashboard node id names. */
export function nodeById(fleet: Fleet, id: string): FleetNode {
  const node = fleet.nodes.find((candidate) => candidate.id === id);
  if (!node) throw new Error(`node id ${id} is none of the fleet's registered nodes`);
  return node;
}

/**
 * Registers the three nodes, waits until the dashboard sees them online, creates the configuration
 * and puts it on every node with the node's pool. Returns the interfaces by node id.
 */
export async function setUpFleetConfiguration(fleet: Fleet): Promise<Map<string, ApiInterface>> {
  await fleet.registerNodes();
  await waitForStatus(fleet, fleet.nodes, "online", 60_000);
  await fleet.api.expect("POST", "/api/v1/configurations", {
    name: CONFIGURATION,
    description: "end-to-end failure suite",
    clientAllowedIps: CLIENT_ALLOWED_IPS,
  });
  const interfaces = new Map<string, ApiInterface>();
  for (const node of fleet.nodes) {
    const created = await fleet.api.expect<ApiInterface>(
      "POST",
      `/api/v1/configurations/${CONFIGURATION}/interfaces`,
      {
        nodeId: node.id,
        listenPort: LISTEN_PORT,
        pool: POOLS[node.index],
        endpoint: node.endpoint(LISTEN_PORT),
        interfaceName: node.interfaceName(0),
      },
      [201],
    );
    interfaces.set(node.id as string, created.json);
  }
  return interfaces;
}

/** Waits until every given node has this status in `GET /api/v1/nodes`. */
export async function waitForStatus(
  fleet: Fleet,
  nodes: FleetNode[],
  status: string,
  timeoutMs = 30_000,
): Promise<void> {
  await eventually(
    async () => {
      const listed = await fleet.listNodes();
      const statuses = nodes.map((node) => listed.find((l) => l.id === node.id)?.status ?? "missing");
      if (statuses.every((s) => s === status)) return true;
      throw new Error(nodes.map((node, i) => `${node.name}: ${statuses[i]}`).join(", "));
    },
    `${nodes.map((node) => node.name).join(", ")} ${status}`,
    { timeoutMs, intervalMs: 250 },
  );
}

export async function createPeer(api: FleetApi, name: string, node = "auto"): Promise<ApiPeer> {
  const created = await api.expect<ApiPeer>(
    "POST",
    `/api/v1/configurations/${CONFIGURATION}/peers`,
    { name, node },
    [201],
  );
  return created.json;
}

export async function getPeer(api: FleetApi, id: string): Promise<ApiPeer> {
  return (await api.expect<ApiPeer>("GET", `/api/v1/peers/${encodeURIComponent(id)}`, undefined, [200])).json;
}

export async function getNode(api: FleetApi, id: string): Promise<ApiNode> {
  return (await api.expect<ApiNode>("GET", `/api/v1/nodes/${encodeURIComponent(id)}`, undefined, [200])).json;
}

/** Every peer of the suite's configuration, all pages. */
export async function listPeers(api: FleetApi): Promise<ApiPeer[]> {
  const peers: ApiPeer[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: "500" });
    if (cursor) query.set("cursor", cursor);
    const page = await api.expect<{ items: ApiPeer[]; nextCursor: string | null }>(
      "GET",
      `/api/v1/configurations/${CONFIGURATION}/peers?${query}`,
      undefined,
      [200],
    );
    peers.push(...page.json.items);
    cursor = page.json.nextCursor;
  } while (cursor);
  return peers;
}

/** How many addresses the dashboard has allocated in each node's pool of the suite's configuration. */
export async function allocatedByNode(api: FleetApi, fleet: Fleet): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const node of fleet.nodes) {
    const answer = await api.expect<{ items: ApiNode["pools"] }>(
      "GET",
      `/api/v1/nodes/${encodeURIComponent(node.id as string)}/pools`,
      undefined,
      [200],
    );
    const pool = answer.json.items.find((p) => p.interface === node.interfaceName(0));
    counts.set(node.id as string, pool?.allocated ?? 0);
  }
  return counts;
}
