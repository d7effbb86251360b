// The domain events peers raise (peer.created / updated / deleted, pool.almost_full), published after
// the change is committed and on the node.
import type { DomainEventPublisher, PeerEventData } from "../events/index.js";
import {
  type AddressPools,
  canFill,
  type InterfaceRow,
  poolsOf,
  type StableInterfaceRow,
} from "../interfaces/index.js";

/** A pool this full (allocated / allocatable) after an allocation raises `pool.almost_full`. */
export const POOL_ALMOST_FULL_SHARE = 0.9;

export function peerEventData(
  peer: { id: string; name: string },
  iface: Pick<InterfaceRow, "node_id" | "name">,
  configuration: string,
  extra: Pick<PeerEventData, "detail" | "changes" | "actor"> = {},
): PeerEventData {
  return {
    peerId: peer.id,
    name: peer.name,
    configuration,
    nodeId: iface.node_id,
    interface: iface.name,
    ...extra,
  };
}

/**
 * After a peer took an address on each of the interface's pools: `pool.almost_full` for a pool this
 * allocation took over the share (once per crossing, not at every peer above it). Counted in this
 * process's allocator when it holds the pool: no query per creation.
 */
export async function publishPoolUsage(
  events: DomainEventPublisher,
  pools: Pick<AddressPools, "heldStats">,
  iface: StableInterfaceRow,
  configuration: string,
): Promise<void> {
  // Pools that can never fill (IPv6 /64s) are not counted: no query per creation for them.
  for (const pool of poolsOf(iface).filter(canFill)) {
    const { total, allocated } = await pools.heldStats(iface.id, pool);
    if (total === 0n) continue;
    const share = (n: bigint) => Number(n) / Number(total);
    if (share(allocated) < POOL_ALMOST_FULL_SHARE || share(allocated - 1n) >= POOL_ALMOST_FULL_SHARE)
      continue;
    await events.publish({
      type: "pool.almost_full",
      data: {
        nodeId: iface.node_id,
        configuration,
        interface: iface.name,
        cidr: pool.key,
        total: Number(total),
        allocated: Number(allocated),
        utilization: share(allocated),
      },
    });
  }
}
