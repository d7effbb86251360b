// The shapes the web app sends to the dashboard's API, and its names for the answers. The answers are
// declared once, in @wgfleet/core (src/api/), where the dashboard's mappers and route schemas use them
// too (docs/api-reference.md lists the API; test/web/openapi-contract.test.ts checks the routes and fields against
// the served OpenAPI document). Types only: nothing here runs, and no code of core enters the bundle.
import type { PeerStatusFilter } from "@wgfleet/core";

export type {
  ApiKeyDto as ApiKey,
  ConfigurationDto as Configuration,
  CreatedApiKeyDto as CreatedApiKey,
  EnabledNodeDto as EnabledNode,
  ErrorBody,
  InterfaceDto as InterfaceInfo,
  NodeDto as FleetNode,
  NodeStatus,
  NodeTestDto as NodeTestResult,
  NodeTrafficDto as NodeTraffic,
  PassedOverDto as PassedOver,
  PeerDto as Peer,
  PeerPageDto as PeerPage,
  PeerState,
  PeerStatusFilter,
  PlacementDto as Placement,
  PoolUsageDto as PoolUsage,
  SessionDto as Session,
  TrafficDto as Traffic,
  UserDto as User,
  UserRole as Role,
} from "@wgfleet/core";

export interface NodeInput {
  name: string;
  agentUrl: string;
  secret: string;
  endpoint: string;
  weight?: number;
  maxPeers?: number;
  enabled?: boolean;
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

export interface PeerQuery {
  search?: string;
  node?: string;
  status?: PeerStatusFilter;
  limit?: number;
  cursor?: string;
}

export interface TrafficQuery {
  /** One node only. */
  node?: string;
  /** ISO-8601: where "today" starts (the browser's local midnight). */
  todayStart?: string;
  /** Also the per-minute samples since todayStart. */
  series?: boolean;
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
