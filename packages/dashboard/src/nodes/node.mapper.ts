// The fields of a node that leave the dashboard, listed one by one. Never the shared secret (nor its
// encrypted form or key id).
import type { NodeRow } from "./node.repository.js";
import type { CheckResult, DiagnosisProblem } from "./node-diagnosis.js";

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

/** `POST /api/v1/nodes/:id/test`: what the unsigned and the signed call found. */
export interface NodeTestDto {
  ok: boolean;
  problem: DiagnosisProblem | null;
  message: string;
  url: CheckResult;
  secret: CheckResult;
  clock: CheckResult;
  version: CheckResult;
  signatureFailure: string | null;
  latencyMs: number | null;
  clockSkewMs: number | null;
  agentVersion: string | null;
  dashboardVersion: string;
  protocol: string | null;
  hostname: string | null;
}

export function toNodeTestDto(result: NodeTestDto): NodeTestDto {
  return {
    ok: result.ok,
    problem: result.problem,
    message: result.message,
    url: result.url,
    secret: result.secret,
    clock: result.clock,
    version: result.version,
    signatureFailure: result.signatureFailure,
    latencyMs: result.latencyMs,
    clockSkewMs: result.clockSkewMs,
    agentVersion: result.agentVersion,
    dashboardVersion: result.dashboardVersion,
    protocol: result.protocol,
    hostname: result.hostname,
  };
}

export interface InterfaceReconcileDto {
  interface: string;
  restored: number;
  strayRemoved: number;
  stray: number;
}

/** `POST /api/v1/nodes/:id/reconcile`: the node after it, and what each interface needed. */
export interface NodeReconcileDto {
  node: NodeDto;
  interfaces: InterfaceReconcileDto[];
}

export function toNodeReconcileDto(node: NodeDto, interfaces: InterfaceReconcileDto[]): NodeReconcileDto {
  return {
    node,
    interfaces: interfaces.map((i) => ({
      interface: i.interface,
      restored: i.restored,
      strayRemoved: i.strayRemoved,
      stray: i.stray,
    })),
  };
}
