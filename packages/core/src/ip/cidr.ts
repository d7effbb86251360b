// CIDR blocks: an address with a prefix length, and the arithmetic the allocator and the validators
// need. Host bits are kept as written ("198.51.100.1/24" is an interface address); networkOf clears them.
import { ValidationError } from "../errors.js";
import { addressBits, formatAddress, type IpAddress, maxAddressValue, parseAddress } from "./address.js";
import { describeText } from "./text.js";

/** An address with a prefix length; host bits are kept as written ("198.51.100.1/24"). */
export interface Cidr {
  readonly address: IpAddress;
  readonly prefix: number;
}

/** "198.51.100.0/24", "2001:db8::/32"; a bare address is a host route (/32 or /128). */
export function parseCidr(text: string, field = "cidr"): Cidr {
  if (typeof text !== "string") throw new ValidationError(field, "must be a string");
  const slash = text.indexOf("/");
  if (slash === -1) return hostRoute(parseAddress(text, field));
  if (text.indexOf("/", slash + 1) !== -1) {
    throw new ValidationError(field, `${describeText(text)} is not a CIDR: it has more than one "/"`);
  }
  const address = parseAddress(text.slice(0, slash), field);
  return { address, prefix: parsePrefix(text, text.slice(slash + 1), address, field) };
}

/** Decimal 0-32 / 0-128 without a sign or leading zeros ("/024" is rejected, "/0" is fine). */
function parsePrefix(text: string, prefixText: string, address: IpAddress, field: string): number {
  const bits = addressBits(address.version);
  const fail = (reason: string): never => {
    throw new ValidationError(field, `${describeText(text)} is not a valid CIDR: ${reason}`);
  };
  if (prefixText === "") fail('the prefix length after "/" is missing');
  if (!/^[0-9]{1,3}$/.test(prefixText)) fail(`prefix length "${prefixText.slice(0, 8)}" is not a number`);
  if (prefixText.length > 1 && prefixText.startsWith("0")) {
    fail(`prefix length "${prefixText}" has a leading zero`);
  }
  const prefix = Number(prefixText);
  if (prefix > bits) fail(`prefix length ${prefix} is out of range 0-${bits} for IPv${address.version}`);
  return prefix;
}

export function formatCidr(cidr: Cidr): string {
  return `${formatAddress(cidr.address)}/${cidr.prefix}`;
}

/** The mask of the network bits, as a value of the address's width. */
export function prefixMask(cidr: Cidr): bigint {
  const hostBits = BigInt(addressBits(cidr.address.version) - cidr.prefix);
  return maxAddressValue(cidr.address.version) ^ ((1n << hostBits) - 1n);
}

/** The same block with host bits cleared. */
export function networkOf(cidr: Cidr): Cidr {
  return {
    address: { version: cidr.address.version, value: cidr.address.value & prefixMask(cidr) },
    prefix: cidr.prefix,
  };
}

/** True when the host bits are all zero ("198.51.100.0/24", not "198.51.100.1/24"). */
export function isNetworkAddress(cidr: Cidr): boolean {
  return (cidr.address.value & ~prefixMask(cidr)) === 0n;
}

export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  if (cidr.address.version !== address.version) return false;
  const mask = prefixMask(cidr);
  return (address.value & mask) === (cidr.address.value & mask);
}

/** Two blocks overlap when the shorter prefix contains the other's network. Versions never overlap. */
export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  if (a.address.version !== b.address.version) return false;
  const wider = a.prefix <= b.prefix ? a : b;
  const narrower = wider === a ? b : a;
  return cidrContains(wider, narrower.address);
}

/** The number of addresses in the block, 2^(bits - prefix). */
export function cidrSize(cidr: Cidr): bigint {
  return 1n << BigInt(addressBits(cidr.address.version) - cidr.prefix);
}

/** The block's last address (the IPv4 broadcast address). */
export function lastAddressOf(cidr: Cidr): IpAddress {
  return { version: cidr.address.version, value: networkOf(cidr).address.value + cidrSize(cidr) - 1n };
}

/** network + 1, except in blocks too small to have a network address (/31, /32, /127, /128). */
export function firstUsable(cidr: Cidr): IpAddress {
  const network = networkOf(cidr).address;
  return cidrSize(cidr) <= 2n ? network : { version: network.version, value: network.value + 1n };
}

/** IPv4: broadcast - 1 (the last address in /31 and /32); IPv6 has no broadcast: the last address. */
export function lastUsable(cidr: Cidr): IpAddress {
  const last = lastAddressOf(cidr);
  if (last.version === 6 || cidrSize(cidr) <= 2n) return last;
  return { version: 4, value: last.value - 1n };
}

/** The /32 or /128 route for one address: what a peer's AllowedIPs get on the server. */
export function hostRoute(address: IpAddress): Cidr {
  return { address, prefix: addressBits(address.version) };
}

/** True for a /32 or /128. */
export function isHostRoute(cidr: Cidr): boolean {
  return cidr.prefix === addressBits(cidr.address.version);
}
