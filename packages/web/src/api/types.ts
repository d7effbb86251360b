// The shapes the dashboard's API answers with and accepts, as the web app uses them (API.md is the
// contract; test/web/openapi-contract.test.ts checks these routes and fields against the served
// OpenAPI document). Types only: nothing here runs.

export type Role = "admin" | "viewer";

export interface User {
  id: string;
  username: string;
  role: Role;
  mustChangePassword: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Session {
  user: User;
  /** Echoed as `x-csrf-token` on writes; null when the caller used an API key. */
  csrfToken: string | null;
  expiresAt: string | null;
  via: "session" | "apikey";
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  userId: string;
  username: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** Shown once, never again. */
  key: string;
}

export type NodeStatus = "online" | "degraded" | "offline" | "unknown" | "unavailable";

export interface PoolUsage {
  configuration: string;
  interface: string;
  cidr: string;
  total: number;
  allocated: number;
  available: number;
  utilization: number;
}

export interface FleetNode {
  id: string;
  name: string;
  local: boolean;
  agentUrl: string | null;
  endpointHost: string | null;
  enabled: boolean;
  weight: number;
  maxPeers: number;
  status: NodeStatus;
  statusReason: string | null;
  lastSeenAt: string | null;
  /** The agent's last health report (version, uptime, interfaces, load, memory), as it sent it. */
  lastHealth: unknown;
  peerCount: number;
  pools: PoolUsage[];
  createdAt: string;
  updatedAt: string;
}

/** `GET /api/nodes/enabled`: the seed's node dropdown. */
export interface EnabledNode {
  id: string;
  name: string;
  status: NodeStatus;
  activePeers: number;
  maxPeers: number;
  weight: number;
}

export interface NodeInput {
  name: string;
  agentUrl: string;
  secret: string;
  endpoint: string;
  weight?: number;
  maxPeers?: number;
  enabled?: boolean;
}

/** `POST /api/v1/nodes/:id/test`: what the signed call found. Fields beyond `ok` are shown as given. */
export interface NodeTestResult {
  ok: boolean;
  message?: string;
  [detail: string]: unknown;
}

export interface InterfaceInfo {
  id: string;
  nodeId: string;
  name: string;
  publicKey: string;
  listenPort: number;
  endpoint: string;
  pool: string | null;
  pool6: string | null;
  addresses: string[];
  revision: number;
  peerCount: number;
  enabledPeerCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface Configuration {
  id: string;
  name: string;
  description: string;
  dns: string[];
  clientAllowedIps: string[];
  mtu: number | null;
  keepalive: number | null;
  interfaces: InterfaceInfo[];
  peerCount: number;
  enabledPeerCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface ConfigurationInput {
  name: string;
  description?: string;
  dns?: string[];
  clientAllowedIps?: string[];
  mtu?: number | null;
  keepalive?: number | null;
}

export interface InterfaceInput {
  nodeId: string;
  listenPort: number;
  pool: string;
  pool6?: string;
  endpoint?: string;
  interfaceName?: string;
}

export type PeerState = "pending" | "active" | "failed";

export interface Peer {
  id: string;
  name: string;
  configuration: string;
  /** The node id: "local" for this server. */
  node: string;
  interface: string;
  publicKey: string;
  addresses: string[];
  enabled: boolean;
  state: PeerState;
  dns: string[] | null;
  clientAllowedIps: string[];
  mtu: number | null;
  keepalive: number | null;
  expiresAt: string | null;
  hasPresharedKey: boolean;
  /** false when the peer brought its own public key: no client config to hand out. */
  configAvailable: boolean;
  online: boolean;
  rx: number;
  tx: number;
  latestHandshake: string | null;
  endpoint: string | null;
  statsUpdatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PeerPage {
  items: Peer[];
  nextCursor: string | null;
  total: number;
}

export type PeerStatusFilter =
  | "enabled"
  | "disabled"
  | "online"
  | "offline"
  | "pending"
  | "active"
  | "failed"
  | "expired";

export interface PeerQuery {
  search?: string;
  node?: string;
  status?: PeerStatusFilter;
  limit?: number;
  cursor?: string;
}

export interface PeerInput {
  name: string;
  /** "auto", "local" or a node id. */
  node?: string;
  addresses?: string[];
  publicKey?: string;
  /** true: generate one; false: none; a key: use it. */
  presharedKey?: boolean | string;
  dns?: string[];
  clientAllowedIps?: string[];
  mtu?: number;
  keepalive?: number;
  expiresAt?: string | null;
}

export interface PeerUpdate {
  name?: string;
  addresses?: string[];
  dns?: string[] | null;
  clientAllowedIps?: string[];
  mtu?: number | null;
  keepalive?: number | null;
  expiresAt?: string | null;
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}
