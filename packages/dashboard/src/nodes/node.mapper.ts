// The fields of a node that leave the dashboard, listed one by one. Never the shared secret (nor its
// encrypted form or key id). The shapes are core's, the ones the web app reads.
import {
  type EnabledNodeDto,
  endpointHostWarnings,
  type InterfaceReconcileDto,
  type NodeDto,
  type NodeReconcileDto,
  type NodeTestDto,
  type PoolUsageDto,
} from "@wgfleet/core";
import { isDialOut } from "./dial-out-node.js";
import type { NodeRow } from "./node.repository.js";

export type { EnabledNodeDto, NodeDto, NodeReconcileDto, NodeTestDto, PoolUsageDto as PoolUsage };

/** `clientEndpointHost`: the host its interfaces hand clients unless they name their own. */
export function toNodeDto(
  row: NodeRow,
  peerCount: number,
  pools: PoolUsageDto[],
  clientEndpointHost: string,
): NodeDto {
  return {
    id: row.id,
    name: row.name,
    local: row.agent_url === null,
    agentUrl: isDialOut(row) ? null : row.agent_url,
    connection: row.agent_url === null ? "local" : isDialOut(row) ? "dial-out" : "direct",
    connectedSince: isDialOut(row) ? row.dial_out_connected_at : null,
    endpointHost: row.endpoint_host,
    clientEndpointHost,
    endpointWarnings: endpointHostWarnings(clientEndpointHost),
    enabled: Number(row.enabled) === 1,
    draining: Number(row.draining) === 1,
    weight: row.weight,
    maxPeers: row.max_peers,
    status: row.status,
    statusReason: row.status_reason,
    lastSeenAt: row.last_seen_at,
    lastHealth: parseHealth(row.last_health),
    agentInstanceId: row.agent_instance_id ?? null,
    driftPolicy: row.drift_policy === "report" ? "report" : "repair",
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
