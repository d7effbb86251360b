// The `ip_allocations` rows behind a move's addresses (host routes, as a peer stores them) on one
// interface: the pool of that interface each lies in, and the address as the table writes it. The
// pools of one configuration never overlap, so the pool says which interface an address belongs to.
import { cidrContains, formatAddress, parseCidr } from "@wgfleet/core";
import { type Allocation, type InterfaceRow, poolsOf } from "../interfaces/index.js";

export function allocationsIn(
  addressesJson: string,
  iface: Pick<InterfaceRow, "pool_v4" | "pool_v6">,
): Allocation[] {
  const pools = poolsOf(iface);
  const rows: Allocation[] = [];
  for (const text of JSON.parse(addressesJson) as string[]) {
    const { address } = parseCidr(text, "addresses");
    const pool = pools.find((p) => cidrContains(p.cidr, address));
    if (pool) rows.push({ pool: pool.key, address: formatAddress(address) });
  }
  return rows;
}
