// An interface's address pools as parsed values: the IPv4 pool and the optional IPv6 pool, each with
// the gateway (first usable address) that is the interface's own address. Pure; no I/O.
import { type Cidr, firstUsable, formatAddress, formatCidr, networkOf, parseCidr } from "@wgfleet/core";
import type { InterfaceRow } from "./interface.repository.js";

export interface InterfacePool {
  /** Canonical network text ("198.51.100.0/24"): the `pool` column of ip_allocations. */
  key: string;
  cidr: Cidr;
  /** The interface's own address with the pool's prefix ("198.51.100.1/24"). */
  interfaceAddress: string;
}

export function describePool(text: string, field = "pool"): InterfacePool {
  const cidr = networkOf(parseCidr(text, field));
  const gateway = firstUsable(cidr);
  return {
    key: formatCidr(cidr),
    cidr,
    interfaceAddress: `${formatAddress(gateway)}/${cidr.prefix}`,
  };
}

/** The pools of an interface row, IPv4 first. */
export function poolsOf(row: Pick<InterfaceRow, "pool_v4" | "pool_v6">): InterfacePool[] {
  const texts = [row.pool_v4, row.pool_v6].filter((p): p is string => typeof p === "string" && p !== "");
  return texts.map(parsedPool).sort((a, b) => a.cidr.address.version - b.cidr.address.version);
}

/** Parsed pools by their stored text: every creation asks for its interface's pools. */
const parsedPools = new Map<string, InterfacePool>();
const PARSED_POOLS_KEPT = 1_000;

/** describePool of a stored pool text, parsed once (the result is frozen: callers share it). */
function parsedPool(text: string): InterfacePool {
  let pool = parsedPools.get(text);
  if (pool === undefined) {
    pool = Object.freeze(describePool(text));
    if (parsedPools.size >= PARSED_POOLS_KEPT) parsedPools.clear();
    parsedPools.set(text, pool);
  }
  return pool;
}

export function interfaceAddresses(row: Pick<InterfaceRow, "pool_v4" | "pool_v6">): string[] {
  return poolsOf(row).map((pool) => pool.interfaceAddress);
}
