// Addresses of one peer on its interface: the requested ones matched to the interface's pools, a lease
// taken inside the caller's transaction (reading the table again once when memory may be stale), the
// rows that record it, and the node errors the sagas pass on.
import {
  ConflictError,
  cidrContains,
  formatAddress,
  type IpAddress,
  NodeCallError,
  PoolExhaustedError,
  ValidationError,
  WgFleetError,
} from "@wgfleet/core";
import type { Db } from "../db/index.js";
import type {
  AddressLease,
  AddressPools,
  InterfacePool,
  NewAllocationRow,
  StableInterfaceRow,
} from "../interfaces/index.js";

/** Requested addresses by pool; each must lie inside one of the interface's pools. */
export function requestedAddresses(addresses: IpAddress[], pools: InterfacePool[]): Map<string, IpAddress> {
  const byPool = new Map<string, IpAddress>();
  for (const address of addresses) {
    const pool = pools.find((p) => cidrContains(p.cidr, address));
    if (!pool) {
      throw new ValidationError(
        "addresses",
        `${formatAddress(address)} is outside the interface's pools (${pools.map((p) => p.key).join(", ")})`,
      );
    }
    byPool.set(pool.key, address);
  }
  return byPool;
}

/**
 * A lease inside the caller's transaction. An exhausted pool, or a requested address memory holds as
 * taken, is read again from the table once: another dashboard process may have freed it.
 */
export async function leaseInTransaction(
  addressPools: AddressPools,
  iface: StableInterfaceRow,
  pools: InterfacePool[],
  requested: Map<string, IpAddress>,
  trx: Db,
): Promise<AddressLease> {
  try {
    return await addressPools.lease(iface.id, pools, requested, trx);
  } catch (error) {
    const stale =
      error instanceof PoolExhaustedError || (error instanceof ConflictError && requested.size > 0);
    if (!stale) throw error;
    for (const pool of pools) await addressPools.reload(iface.id, pool, trx);
    return addressPools.lease(iface.id, pools, requested, trx);
  }
}

export function allocationRows(
  interfaceId: string,
  peerId: string,
  lease: AddressLease,
  createdAt: string,
): NewAllocationRow[] {
  return lease.addresses.map(({ pool, address }) => ({
    interface_id: interfaceId,
    pool: pool.key,
    address: formatAddress(address),
    peer_id: peerId,
    created_at: createdAt,
  }));
}

/** Anything a node transport throws that is not one of our errors becomes NODE_ERROR. */
export function asNodeError(error: unknown): Error {
  if (error instanceof WgFleetError) return error;
  return new NodeCallError(error instanceof Error ? error.message : String(error));
}
