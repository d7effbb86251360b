// IP addresses as values: a version and a bigint. Parsing is strict (one meaning per text, nothing
// ambiguous accepted) and formatting is canonical, so two texts for one address compare equal as text.
import { ValidationError } from "../errors.js";
import { formatIpv4, parseIpv4 } from "./ipv4.js";
import { formatIpv6, parseIpv6 } from "./ipv6.js";
import { describeText } from "./text.js";

export type IpVersion = 4 | 6;

export interface IpAddress {
  readonly version: IpVersion;
  readonly value: bigint;
}

/** 32 for IPv4, 128 for IPv6. */
export function addressBits(version: IpVersion): number {
  return version === 4 ? 32 : 128;
}

/** The largest value an address of this version can hold. */
export function maxAddressValue(version: IpVersion): bigint {
  return (1n << BigInt(addressBits(version))) - 1n;
}

/** An address from its version and numeric value; ValidationError when the value does not fit. */
export function addressFromValue(version: IpVersion, value: bigint, field = "address"): IpAddress {
  if (value < 0n || value > maxAddressValue(version)) {
    throw new ValidationError(field, `${value} is out of range for an IPv${version} address`);
  }
  return { version, value };
}

/**
 * Every textual form of an IPv4 or IPv6 address: dotted quad, full or compressed IPv6, IPv6 with an
 * embedded IPv4 tail ("::ffff:198.51.100.1"). Rejected: whitespace, zone ids ("fe80::1%eth0"),
 * IPv4 octets with leading zeros ("01.2.3.4": octal or decimal?), shorthand like "1.2.3".
 */
export function parseAddress(text: string, field = "address"): IpAddress {
  if (typeof text !== "string") throw new ValidationError(field, "must be a string");
  if (text === "") throw new ValidationError(field, "an IP address is required, got an empty string");
  if (/\s/.test(text)) {
    throw new ValidationError(field, `${describeText(text)} is not an IP address: it contains whitespace`);
  }
  if (text.includes("%")) {
    throw new ValidationError(
      field,
      `${describeText(text)} is not accepted: zone ids ("%eth0") are not allowed in addresses`,
    );
  }
  if (text.includes(":")) return { version: 6, value: parseIpv6(text, field) };
  if (/^[0-9.]+$/.test(text)) return { version: 4, value: parseIpv4(text, field) };
  throw new ValidationError(field, `${describeText(text)} is not an IPv4 or IPv6 address`);
}

/** Dotted quad for IPv4; RFC 5952 for IPv6 (lowercase, longest zero run compressed, "::ffff:a.b.c.d"). */
export function formatAddress(address: IpAddress): string {
  return address.version === 4 ? formatIpv4(address.value) : formatIpv6(address.value);
}

export function sameAddress(a: IpAddress, b: IpAddress): boolean {
  return a.version === b.version && a.value === b.value;
}

/** Orders IPv4 before IPv6, then by value: a comparator for `Array.prototype.sort`. */
export function compareAddresses(a: IpAddress, b: IpAddress): number {
  if (a.version !== b.version) return a.version - b.version;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
