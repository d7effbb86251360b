// Changing a peer's addresses: the new ones are taken before the old ones are let go, and the old
// ones stay taken in memory until the node has the new ones, so a failed node call can put
// everything back.
import {
  ConflictError,
  formatAddress,
  formatCidr,
  hostRoute,
  type IpAddress,
  parseAddress,
} from "@wgfleet/core";
import { nowIso } from "../clock.js";
import {
  type AddressLease,
  type AddressPools,
  type Allocation,
  type AllocationRepository,
  type InterfaceRevisions,
  type InterfaceRow,
  type NewAllocationRow,
  type NodeTransportSource,
  peerSpecOf,
  poolsOf,
} from "../interfaces/index.js";
import type { PeerAccessColumns } from "../lifecycle/peer-access.js";
import type { SecretBox } from "../secrets/index.js";
import type { PeerRepository, PeerRow, PeerUpdate } from "./peer.repository.js";
import { allocationRows, asNodeError, leaseInTransaction, requestedAddresses } from "./peer-allocation.js";

export interface PeerAddressDeps {
  peers: PeerRepository;
  allocations: AllocationRepository;
  revisions: InterfaceRevisions;
  pools: AddressPools;
  transports: NodeTransportSource;
  secrets: SecretBox;
}

export class PeerAddressChanges {
  constructor(private readonly deps: PeerAddressDeps) {}

  /**
   * The peer gets `wanted` (one address per pool given) with the other `changes` of the update, and the
   * node its spec with `access` (the access columns as they are after the update). False, with nothing
   * written, when the addresses are the ones it has: the caller applies the other changes.
   */
  async change(
    peer: PeerRow,
    iface: InterfaceRow,
    wanted: IpAddress[],
    changes: PeerUpdate,
    access: PeerAccessColumns,
  ): Promise<boolean> {
    const { peers, allocations, pools: addressPools } = this.deps;
    const pools = poolsOf(iface);
    const requested = requestedAddresses(wanted, pools);
    // Only this interface's rows: a moved peer's old source may still hold its old address (grace).
    const current = (await allocations.ofPeer(peer.id)).filter((c) => pools.some((p) => p.key === c.pool));
    const changed = new Map(
      [...requested].filter(
        ([pool, address]) => !current.some((c) => c.pool === pool && c.address === formatAddress(address)),
      ),
    );
    if (changed.size === 0) return false;
    const transport = Number(peer.enabled) === 1 ? this.deps.transports.get(iface.node_id, "node") : null;
    const changedPools = pools.filter((p) => changed.has(p.key));
    const released = current.filter((c) => changed.has(c.pool));
    await addressPools.prepare(iface.id, changedPools);
    let lease: AddressLease | undefined;
    let outcome: { revision: number; result: { addresses: string; newRows: NewAllocationRow[] } };
    try {
      outcome = await this.deps.revisions.change(iface.id, async (trx) => {
        lease = await leaseInTransaction(addressPools, iface, changedPools, changed, trx);
        const newRows = allocationRows(iface.id, peer.id, lease, nowIso());
        const inserted = await allocations.insertIfFree(newRows, trx);
        if (inserted.size !== newRows.length) {
          for (const pool of changedPools) addressPools.markStale(iface.id, pool);
          throw new ConflictError("the requested address is already allocated", "addresses");
        }
        await allocations.deleteOfPeer(peer.id, released, trx);
        await addressPools.announce(trx, iface.id, { taken: newRows, released });
        const next = [...current.filter((c) => !changed.has(c.pool)), ...newRows].sort(
          (a, b) => pools.findIndex((p) => p.key === a.pool) - pools.findIndex((p) => p.key === b.pool),
        );
        const addresses = JSON.stringify(next.map((n) => formatCidr(hostRoute(parseAddress(n.address)))));
        await peers.update(peer.id, { ...changes, addresses }, trx);
        return { addresses, newRows };
      });
    } catch (error) {
      lease?.abort();
      throw error;
    }
    lease?.commit();
    if (transport) {
      try {
        await transport.upsertPeers(
          iface.name,
          [peerSpecOf({ ...peer, ...access, addresses: outcome.result.addresses }, this.deps.secrets)],
          outcome.revision,
        );
      } catch (error) {
        await this.restore(peer, iface, released, outcome.result.newRows);
        throw asNodeError(error);
      }
    }
    await addressPools.releaseAllocations(iface, released);
    return true;
  }

  private async restore(peer: PeerRow, iface: InterfaceRow, previous: Allocation[], added: Allocation[]) {
    const { peers, allocations } = this.deps;
    await this.deps.revisions.change(iface.id, async (trx) => {
      await allocations.deleteOfPeer(peer.id, added, trx);
      const back = await allocations.insertIfFree(
        previous.map((p) => ({ ...p, interface_id: iface.id, peer_id: peer.id, created_at: nowIso() })),
        trx,
      );
      await peers.update(peer.id, { addresses: peer.addresses, name: peer.name }, trx);
      const taken = previous.filter((p) => back.has(`${p.pool}|${p.address}`));
      await this.deps.pools.announce(trx, iface.id, { taken, released: added });
    });
    await this.deps.pools.releaseAllocations(iface, added);
  }
}
