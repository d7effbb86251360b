// The fields of an interface that leave the service. The private key never does. The shape is core's
// InterfaceDto, the one the web app reads.
import { endpointHostWarnings, type InterfaceDto, parseEndpoint } from "@wgfleet/core";
import type { InterfaceRow } from "./interface.repository.js";
import { poolsOf } from "./interface-pools.js";

export type { InterfaceDto as InterfaceView };

export function toInterfaceView(
  row: InterfaceRow,
  endpoint: string,
  counts: { total: number; enabled: number } = { total: 0, enabled: 0 },
): InterfaceDto {
  const pools = poolsOf(row);
  return {
    id: row.id,
    nodeId: row.node_id,
    name: row.name,
    publicKey: row.public_key,
    listenPort: row.listen_port,
    endpoint,
    endpointWarnings: endpointHostWarnings(hostOfEndpoint(endpoint)),
    endpointOverride: row.endpoint,
    dns: row.dns === null || row.dns === undefined ? null : (JSON.parse(row.dns) as string[]),
    mtu: row.mtu,
    pool: pools.find((p) => p.cidr.address.version === 4)?.key ?? null,
    pool6: pools.find((p) => p.cidr.address.version === 6)?.key ?? null,
    addresses: pools.map((p) => p.interfaceAddress),
    revision: Number(row.revision),
    peerCount: counts.total,
    enabledPeerCount: counts.enabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The host of a "host:port" the service formatted (the whole text should it not parse). */
function hostOfEndpoint(endpoint: string): string {
  try {
    return parseEndpoint(endpoint).host;
  } catch {
    return endpoint;
  }
}
