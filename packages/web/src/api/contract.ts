// Every API route the web app calls, with the body fields it sends, the query parameters it uses and
// the response fields it reads. The client (client.ts) calls routes only through this table, and
// test/web/openapi-contract.test.ts checks each entry against the OpenAPI document the dashboard
// serves, so a renamed field fails a test instead of a page. Plain data: no DOM, no fetch.
import type {
  ApiKey,
  Configuration,
  CreatedApiKey,
  EnabledNode,
  FleetNode,
  InterfaceInfo,
  NodeTraffic,
  PassedOver,
  Peer,
  Placement,
  PoolUsage,
  Session,
  Traffic,
  User,
} from "./types.js";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface Endpoint<Response = unknown> {
  method: HttpMethod;
  /** OpenAPI style: `/api/v1/peers/{id}`. */
  path: string;
  /** Fields of the JSON body the app may send. */
  sends: readonly string[];
  /** Query parameters the app may use. */
  query: readonly string[];
  /** Response fields the app reads: `name`, `items[].name`, `user.role`. Empty for non-JSON answers. */
  reads: readonly string[];
  /** Never read at run time: carries the response type to the client. */
  readonly response?: Response;
}

/** Checks at compile time that every name is a field of T. */
function fieldsOf<T>() {
  return <K extends keyof T & string>(...keys: K[]): K[] => keys;
}

function prefixed(prefix: string, fields: readonly string[]): string[] {
  return fields.map((field) => `${prefix}${field}`);
}

const USER = fieldsOf<User>()("id", "username", "role", "mustChangePassword", "createdAt");
const SESSION = [...fieldsOf<Session>()("csrfToken", "via"), ...prefixed("user.", USER)];
const API_KEY = fieldsOf<ApiKey>()(
  "id",
  "name",
  "prefix",
  "username",
  "createdAt",
  "lastUsedAt",
  "revokedAt",
);
const POOL = fieldsOf<PoolUsage>()(
  "configuration",
  "interface",
  "cidr",
  "total",
  "allocated",
  "available",
  "utilization",
);
const NODE = [
  ...fieldsOf<FleetNode>()(
    "id",
    "name",
    "local",
    "agentUrl",
    "endpointHost",
    "enabled",
    "weight",
    "maxPeers",
    "status",
    "statusReason",
    "lastSeenAt",
    "lastHealth",
    "peerCount",
  ),
  ...prefixed("pools[].", POOL),
];
const ENABLED_NODE = fieldsOf<EnabledNode>()("id", "name", "status", "activePeers", "maxPeers", "weight");
const INTERFACE = fieldsOf<InterfaceInfo>()(
  "id",
  "nodeId",
  "name",
  "publicKey",
  "listenPort",
  "endpoint",
  "pool",
  "pool6",
  "addresses",
  "peerCount",
  "enabledPeerCount",
);
const CONFIGURATION = [
  ...fieldsOf<Configuration>()(
    "id",
    "name",
    "description",
    "dns",
    "clientAllowedIps",
    "mtu",
    "keepalive",
    "peerCount",
    "enabledPeerCount",
  ),
  ...prefixed("interfaces[].", INTERFACE),
];
const PEER = fieldsOf<Peer>()(
  "id",
  "name",
  "configuration",
  "node",
  "interface",
  "publicKey",
  "addresses",
  "enabled",
  "state",
  "dns",
  "clientAllowedIps",
  "mtu",
  "keepalive",
  "expiresAt",
  "hasPresharedKey",
  "configAvailable",
  "online",
  "rx",
  "tx",
  "latestHandshake",
  "endpoint",
  "createdAt",
);
const RATE = fieldsOf<Traffic["now"]>()("rxBytesPerSecond", "txBytesPerSecond");
const BYTES = fieldsOf<Traffic["today"]>()("rxBytes", "txBytes");
const NODE_TRAFFIC = [
  ...fieldsOf<NodeTraffic>()("nodeId"),
  ...prefixed("now.", RATE),
  ...prefixed("today.", BYTES),
];
const TRAFFIC = [
  ...fieldsOf<Traffic>()("node", "todayStart", "measuredAt"),
  ...prefixed("now.", RATE),
  ...prefixed("today.", BYTES),
  ...prefixed("nodes[].", NODE_TRAFFIC),
];
const PASSED_OVER = fieldsOf<PassedOver>()("node", "nodeName", "reason");
const PLACEMENT = [
  ...fieldsOf<Placement>()("node", "nodeName", "score", "localFallback", "message"),
  ...prefixed("passedOver[].", PASSED_OVER),
];
const PEER_SETTINGS = ["dns", "clientAllowedIps", "mtu", "keepalive", "expiresAt"] as const;

function route<Response>(
  method: HttpMethod,
  path: string,
  parts: {
    sends?: readonly string[];
    query?: readonly string[];
    reads?: readonly string[];
  } = {},
): Endpoint<Response> {
  return {
    method,
    path,
    sends: parts.sends ?? [],
    query: parts.query ?? [],
    reads: parts.reads ?? [],
  };
}

export const endpoints = {
  login: route<Session>("POST", "/api/v1/session", { sends: ["username", "password"], reads: SESSION }),
  currentSession: route<Session>("GET", "/api/v1/session", { reads: SESSION }),
  logout: route<null>("DELETE", "/api/v1/session"),
  changeOwnPassword: route<User>("POST", "/api/v1/users/me/password", {
    sends: ["currentPassword", "newPassword"],
    reads: USER,
  }),

  listUsers: route<{ items: User[] }>("GET", "/api/v1/users", { reads: prefixed("items[].", USER) }),
  createUser: route<User>("POST", "/api/v1/users", {
    sends: ["username", "password", "role", "mustChangePassword"],
    reads: USER,
  }),
  updateUser: route<User>("PATCH", "/api/v1/users/{id}", {
    sends: ["role", "password", "mustChangePassword"],
    reads: USER,
  }),
  deleteUser: route<null>("DELETE", "/api/v1/users/{id}"),

  listApiKeys: route<{ items: ApiKey[] }>("GET", "/api/v1/apikeys", { reads: prefixed("items[].", API_KEY) }),
  createApiKey: route<CreatedApiKey>("POST", "/api/v1/apikeys", {
    sends: ["name"],
    reads: ["key", ...prefixed("apiKey.", API_KEY)],
  }),
  revokeApiKey: route<ApiKey>("DELETE", "/api/v1/apikeys/{id}", { reads: API_KEY }),

  listNodes: route<{ items: FleetNode[] }>("GET", "/api/v1/nodes", { reads: prefixed("items[].", NODE) }),
  getNode: route<FleetNode>("GET", "/api/v1/nodes/{id}", { reads: NODE }),
  enabledNodes: route<EnabledNode[]>("GET", "/api/nodes/enabled", { reads: prefixed("[].", ENABLED_NODE) }),
  createNode: route<FleetNode>("POST", "/api/v1/nodes", {
    sends: ["name", "agentUrl", "secret", "endpoint", "weight", "maxPeers", "enabled"],
    reads: ["id"],
  }),
  updateNode: route<FleetNode>("PATCH", "/api/v1/nodes/{id}", {
    sends: ["name", "agentUrl", "secret", "endpoint", "weight", "maxPeers", "enabled"],
    reads: ["id"],
  }),
  deleteNode: route<null>("DELETE", "/api/v1/nodes/{id}", { query: ["force"] }),
  testNode: route<Record<string, unknown>>("POST", "/api/v1/nodes/{id}/test", {
    reads: ["ok"],
  }),

  listConfigurations: route<{ items: Configuration[] }>("GET", "/api/v1/configurations", {
    reads: prefixed("items[].", CONFIGURATION),
  }),
  getConfiguration: route<Configuration>("GET", "/api/v1/configurations/{name}", { reads: CONFIGURATION }),
  createConfiguration: route<Configuration>("POST", "/api/v1/configurations", {
    sends: ["name", "description", "dns", "clientAllowedIps", "mtu", "keepalive"],
    reads: ["name"],
  }),
  updateConfiguration: route<Configuration>("PATCH", "/api/v1/configurations/{name}", {
    sends: ["description", "dns", "clientAllowedIps", "mtu", "keepalive"],
    reads: ["name"],
  }),
  deleteConfiguration: route<null>("DELETE", "/api/v1/configurations/{name}", { query: ["force"] }),
  addInterface: route<InterfaceInfo>("POST", "/api/v1/configurations/{name}/interfaces", {
    sends: ["nodeId", "listenPort", "pool", "pool6", "endpoint", "interfaceName"],
    reads: ["id"],
  }),
  removeInterface: route<null>("DELETE", "/api/v1/configurations/{name}/interfaces/{nodeId}", {
    query: ["force"],
  }),
  placement: route<Placement>("GET", "/api/v1/configurations/{name}/placement", { reads: PLACEMENT }),
  listPeers: route<{ items: Peer[]; nextCursor: string | null; total: number }>(
    "GET",
    "/api/v1/configurations/{name}/peers",
    {
      query: ["search", "node", "status", "limit", "cursor"],
      reads: ["nextCursor", "total", ...prefixed("items[].", PEER)],
    },
  ),
  createPeer: route<Peer>("POST", "/api/v1/configurations/{name}/peers", {
    sends: ["name", "node", "addresses", "publicKey", "presharedKey", ...PEER_SETTINGS],
    reads: PEER,
  }),

  getPeer: route<Peer>("GET", "/api/v1/peers/{id}", { reads: PEER }),
  updatePeer: route<Peer>("PATCH", "/api/v1/peers/{id}", {
    sends: ["name", "addresses", ...PEER_SETTINGS],
    reads: PEER,
  }),
  deletePeer: route<null>("DELETE", "/api/v1/peers/{id}"),
  disablePeer: route<Peer>("POST", "/api/v1/peers/{id}/disable", { reads: PEER }),
  enablePeer: route<Peer>("POST", "/api/v1/peers/{id}/enable", { reads: PEER }),
  peerConfig: route<string>("GET", "/api/v1/peers/{id}/config"),
  peerQr: route<string>("GET", "/api/v1/peers/{id}/qr.svg"),

  traffic: route<Traffic>("GET", "/api/v1/stats/traffic", {
    query: ["node", "todayStart", "series"],
    reads: TRAFFIC,
  }),
} as const;

export type EndpointName = keyof typeof endpoints;

/** `/api/v1/peers/{id}` + `{id: "x"}` → `/api/v1/peers/x` (each value URI-encoded). */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`missing path parameter ${key} for ${path}`);
    return encodeURIComponent(value);
  });
}
