// The fields of a node that leave the dashboard. Never the shared secret (nor its encrypted form).
import type { NodeRow } from "./node.repository.js";

export interface PoolUsage {
  configuration: string;
  interface: string;
  cidr: string;
  total: number;
  allocated: number;
  available: number;
  utilization: number;
}

export interface NodeDto {
  id: string;
  name: string;
  local: boolean;
  agentUrl: string | null;
  endpointHost: string | null;
  enabled: boolean;
  weight: number;
  maxPeers: number;
  status: NodeRow["status"];
  statusReason: string | null;
  lastSeenAt: string | null;
  lastHealth: unknown;
  peerCount: number;
  pools: PoolUsage[];
  createdAt: string;
  updatedAt: string;
}

export interface EnabledNodeDto {
  id: string;
  name: string;
  status: NodeRow["status"];
  activePeers: number;
  maxPeers: number;
  weight: number;
}

export function toNodeDto(row: NodeRow, peerCount: number, pools: PoolUsage[]): NodeDto {
  return {
    id: row.id,
    name: row.name,
    local: row.agent_url === null,
    agentUrl: row.agent_url,
    endpointHost: row.endpoint_host,
    enabled: Number(row.enabled) === 1,
    weight: row.weight,
    maxPeers: row.max_peers,
    status: row.status,
    statusReason: row.status_reason,
    lastSeenAt: row.last_seen_at,
    lastHealth: parseHealth(row.last_health),
    peerCount,
    pools,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toEnabledNodeDto(row: NodeRow, activePeers: number): EnabledNodeDto {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    activePeers,
    maxPeers: row.max_peers,
    weight: row.weight,
  };
}

function parseHealth(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
