// Address blocks no tunnel pool may use (loopback, multicast, link-local, reserved, unspecified,
// IPv4-mapped), and the one check every pool passes: right IP version, no host bits, no such block.
// Documentation and benchmarking ranges and RFC 1918 stay allowed: tests and real networks use them.
import { ValidationError } from "../errors.js";
import type { IpAddress, IpVersion } from "./address.js";
import { type Cidr, cidrOverlaps, formatCidr, isNetworkAddress, networkOf, parseCidr } from "./cidr.js";

interface SpecialBlock {
  cidr: Cidr;
  text: string;
  why: string;
}

const SPECIAL_BLOCKS: readonly SpecialBlock[] = [
  ["0.0.0.0/8", "'this network' (0.0.0.0/8)"],
  ["127.0.0.0/8", "loopback (127.0.0.0/8)"],
  ["169.254.0.0/16", "link-local (169.254.0.0/16)"],
  ["224.0.0.0/4", "multicast (224.0.0.0/4)"],
  ["240.0.0.0/4", "reserved, including the broadcast address (240.0.0.0/4)"],
  ["::/120", "unspecified and loopback (::/120)"],
  ["::ffff:0:0/96", "IPv4-mapped (::ffff:0:0/96)"],
  ["fe80::/10", "link-local (fe80::/10)"],
  ["ff00::/8", "multicast (ff00::/8)"],
].map(([text, why]) => ({ cidr: parseCidr(text as string), text: text as string, why: why as string }));

/** The special-purpose block a CIDR overlaps, or null when it is an ordinary range. */
export function specialPurposeBlock(cidr: Cidr): { block: string; why: string } | null {
  const hit = SPECIAL_BLOCKS.find((special) => cidrOverlaps(special.cidr, cidr));
  return hit ? { block: hit.text, why: hit.why } : null;
}

/**
 * A tunnel pool as an admin writes it: a CIDR of the given IP version, written as its network address
 * ("198.19.2.0/28", not "198.19.2.5/28"), outside every special-purpose block. Errors name `field`.
 */
export function parsePoolCidr(text: string, field: string, version: IpVersion): Cidr {
  const cidr = parseCidr(text.trim(), field);
  if (cidr.address.version !== version) {
    const other = version === 4 ? "an IPv6" : "an IPv4";
    throw new ValidationError(field, `must be an IPv${version} CIDR, not ${other} one`);
  }
  if (!isNetworkAddress(cidr)) {
    throw new ValidationError(field, `host bits set; did you mean ${formatCidr(networkOf(cidr))}`);
  }
  const special = specialPurposeBlock(cidr);
  if (special)
    throw new ValidationError(field, `${formatCidr(cidr)} is ${special.why}: not usable as a pool`);
  return cidr;
}

/**
 * Blocks a client on the internet cannot reach: the special-purpose blocks above plus private and
 * shared ranges (RFC 1918, carrier-grade NAT, unique local IPv6). Fine as pools; a warning as the
 * endpoint clients connect to. Documentation and benchmarking ranges are left out on purpose: docs and
 * tests use them as stand-ins for public addresses.
 */
const UNREACHABLE_BLOCKS: readonly (SpecialBlock & { scope: AddressScope })[] = [
  ["127.0.0.0/8", "loopback", "loopback (127.0.0.0/8)"],
  ["::1/128", "loopback", "loopback (::1)"],
  ["10.0.0.0/8", "private", "private (10.0.0.0/8)"],
  ["172.16.0.0/12", "private", "private (172.16.0.0/12)"],
  ["192.168.0.0/16", "private", "private (192.168.0.0/16)"],
  ["100.64.0.0/10", "private", "carrier-grade NAT (100.64.0.0/10)"],
  ["fc00::/7", "private", "unique local (fc00::/7)"],
  ...SPECIAL_BLOCKS.map((b) => [b.text, "special-purpose", b.why]),
].map(([text, scope, why]) => ({
  cidr: parseCidr(text as string),
  text: text as string,
  why: why as string,
  scope: scope as AddressScope,
}));

export type AddressScope = "public" | "loopback" | "private" | "special-purpose";

/** Whether clients elsewhere can reach an address, and if not the block that says why. */
export function addressScope(address: IpAddress): { scope: AddressScope; why: string | null } {
  const bits = address.version === 4 ? 32 : 128;
  const hit = UNREACHABLE_BLOCKS.find((b) => cidrOverlaps(b.cidr, { address, prefix: bits }));
  return hit ? { scope: hit.scope, why: hit.why } : { scope: "public", why: null };
}
