// The fields of an interface that leave the service. The private key never does.
import type { InterfaceRow } from "./interface.repository.js";
import { poolsOf } from "./interface-pools.js";

export interface InterfaceView {
  id: string;
  nodeId: string;
  name: string;
  publicKey: string;
  listenPort: number;
  /** host:port clients connect to (the node's endpoint host or this machine's name when not set). */
  endpoint: string;
  pool: string | null;
  pool6: string | null;
  /** The interface's own addresses: each pool's gateway with the pool's prefix. */
  addresses: string[];
  revision: number;
  peerCount: number;
  enabledPeerCount: number;
  createdAt: string;
  updatedAt: string;
}

export function toInterfaceView(
  row: InterfaceRow,
  endpoint: string,
  counts: { total: number; enabled: number } = { total: 0, enabled: 0 },
): InterfaceView {
  const pools = poolsOf(row);
  return {
    id: row.id,
    nodeId: row.node_id,
    name: row.name,
    publicKey: row.public_key,
    listenPort: row.listen_port,
    endpoint,
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
