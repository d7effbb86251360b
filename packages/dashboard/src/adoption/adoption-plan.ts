// What adopting or importing an interface will write, worked out before anything is written: the
// interface's pools from its own addresses (each must be the first usable address of its network, the
// rule wgfleet keeps for every interface), and every peer's addresses (host routes inside those pools,
// one per family) and name (the file's name comment, else "imported-N"; made unique case-insensitively).
// Pure: a bad file or interface is refused with the field, nothing written.
import {
  ConflictError,
  cidrContains,
  formatCidr,
  type InterfaceSpec,
  type PeerSpec,
  parseCidr,
  ValidationError,
} from "@wgfleet/core";
import { describePool, type InterfacePool } from "../interfaces/index.js";

export interface PlannedPeer {
  spec: PeerSpec;
  name: string;
  /** Host routes, canonical ("198.51.100.2/32"). */
  addresses: string[];
  /** (pool key, address) pairs for ip_allocations. */
  allocations: Array<{ pool: string; address: string }>;
}

export function poolsOfInterface(spec: InterfaceSpec): InterfacePool[] {
  const pools = spec.addresses.map((text, index) => {
    const field = `interface.addresses[${index}]`;
    const pool = describePool(text, field);
    if (formatCidr(parseCidr(pool.interfaceAddress)) !== formatCidr(parseCidr(text, field)))
      throw new ValidationError(
        field,
        `${text}: wgfleet gives an interface the first usable address of its network (${pool.interfaceAddress}); change the interface's Address first`,
      );
    return pool;
  });
  const v4 = pools.filter((p) => p.cidr.address.version === 4);
  const v6 = pools.filter((p) => p.cidr.address.version === 6);
  if (v4.length > 1 || v6.length > 1 || pools.length === 0)
    throw new ValidationError(
      "interface.addresses",
      "an interface needs one IPv4 address, one IPv6 address, or one of each",
    );
  return [...v4, ...v6];
}

export function planPeers(
  peers: readonly PeerSpec[],
  pools: readonly InterfacePool[],
  names: ReadonlyMap<string, string>,
  takenNames: ReadonlySet<string>,
): PlannedPeer[] {
  const used = new Set([...takenNames].map((n) => n.toLowerCase()));
  const seenAddresses = new Set<string>();
  return peers.map((spec, index) => {
    const field = `peers[${index}].allowedIps`;
    const allocations = spec.allowedIps.map((text) => {
      const cidr = parseCidr(text, field);
      const host = cidr.prefix === (cidr.address.version === 4 ? 32 : 128);
      const pool = pools.find((p) => p.cidr.address.version === cidr.address.version);
      if (!host || !pool || !cidrContains(pool.cidr, cidr.address))
        throw new ValidationError(
          field,
          `${text} is not a single address inside the interface's network${pool ? ` (${pool.key})` : ""}: wgfleet manages peers that route only their own address`,
        );
      const address = formatCidr(cidr);
      if (seenAddresses.has(address)) throw new ConflictError(`${text} is given to two peers`, field);
      seenAddresses.add(address);
      return { pool: pool.key, address: address.slice(0, address.lastIndexOf("/")) };
    });
    if (allocations.length === 0) throw new ValidationError(field, "the peer has no address");
    const families = new Set(allocations.map((a) => a.pool));
    if (families.size !== allocations.length)
      throw new ValidationError(field, "a peer has at most one IPv4 and one IPv6 address");
    return {
      spec,
      name: uniqueName(names.get(spec.publicKey) ?? `imported-${index + 1}`, used),
      addresses: spec.allowedIps.map((text) => formatCidr(parseCidr(text))),
      allocations,
    };
  });
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${name} (${n})`;
  used.add(candidate.toLowerCase());
  return candidate;
}
