import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { formatAddress, parseAddress } from "./address.js";
import {
  cidrContains,
  cidrOverlaps,
  cidrSize,
  firstUsable,
  formatCidr,
  hostRoute,
  isHostRoute,
  isNetworkAddress,
  lastAddressOf,
  lastUsable,
  networkOf,
  parseCidr,
} from "./cidr.js";

const cidr = (text: string) => parseCidr(text);
const round = (text: string) => formatCidr(parseCidr(text));

describe("parseCidr / formatCidr", () => {
  it.each([
    ["198.51.100.0/24", "198.51.100.0/24"],
    ["198.51.100.1/24", "198.51.100.1/24"], // host bits kept as written
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["198.51.100.7", "198.51.100.7/32"], // a bare address is a host route
    ["2001:DB8:0::/32", "2001:db8::/32"],
    ["::/0", "::/0"],
    ["2001:db8::1", "2001:db8::1/128"],
    ["::ffff:198.51.100.0/120", "::ffff:198.51.100.0/120"],
  ])("%s -> %s", (text, expected) => {
    expect(round(text)).toBe(expected);
  });

  it.each([
    ["198.51.100.0/", "missing"],
    ["198.51.100.0/33", "out of range 0-32"],
    ["2001:db8::/129", "out of range 0-128"],
    ["198.51.100.0/024", "leading zero"],
    ["198.51.100.0/00", "leading zero"],
    ["198.51.100.0/+24", "not a number"],
    ["198.51.100.0/-1", "not a number"],
    ["198.51.100.0/2a", "not a number"],
    ["198.51.100.0/1000", "not a number"],
    ["198.51.100.0/24/1", 'more than one "/"'],
    ["/24", "empty string"],
    ["198.51.100.0 /24", "whitespace"],
    ["198.51.100.0/ 24", "not a number"],
    ["fe80::1%eth0/64", "zone id"],
    ["01.51.100.0/24", "leading zero"],
  ])("rejects %j (%s)", (text, reason) => {
    expect(() => parseCidr(text, "pool")).toThrow(ValidationError);
    try {
      parseCidr(text, "pool");
    } catch (error) {
      expect((error as ValidationError).field).toBe("pool");
      expect((error as ValidationError).message).toContain(reason);
    }
  });
});

describe("CIDR arithmetic", () => {
  it("networkOf clears the host bits; isNetworkAddress tells", () => {
    expect(formatCidr(networkOf(cidr("198.51.100.77/24")))).toBe("198.51.100.0/24");
    expect(formatCidr(networkOf(cidr("2001:db8:1:2:3::1/48")))).toBe("2001:db8:1::/48");
    expect(formatCidr(networkOf(cidr("198.51.100.77/0")))).toBe("0.0.0.0/0");
    expect(isNetworkAddress(cidr("198.51.100.0/24"))).toBe(true);
    expect(isNetworkAddress(cidr("198.51.100.1/24"))).toBe(false);
    expect(isNetworkAddress(cidr("198.51.100.1/32"))).toBe(true);
    expect(isNetworkAddress(cidr("2001:db8::/32"))).toBe(true);
  });

  it("cidrSize", () => {
    expect(cidrSize(cidr("198.51.100.0/24"))).toBe(256n);
    expect(cidrSize(cidr("198.51.100.1/32"))).toBe(1n);
    expect(cidrSize(cidr("0.0.0.0/0"))).toBe(1n << 32n);
    expect(cidrSize(cidr("2001:db8::/64"))).toBe(1n << 64n);
    expect(cidrSize(cidr("::/0"))).toBe(1n << 128n);
  });

  it("contains", () => {
    expect(cidrContains(cidr("198.51.100.0/24"), parseAddress("198.51.100.255"))).toBe(true);
    expect(cidrContains(cidr("198.51.100.0/24"), parseAddress("198.51.101.0"))).toBe(false);
    expect(cidrContains(cidr("198.51.100.9/24"), parseAddress("198.51.100.0"))).toBe(true);
    expect(cidrContains(cidr("0.0.0.0/0"), parseAddress("203.0.113.1"))).toBe(true);
    expect(cidrContains(cidr("0.0.0.0/0"), parseAddress("::1"))).toBe(false);
    expect(cidrContains(cidr("::/0"), parseAddress("::ffff:1.2.3.4"))).toBe(true);
    expect(cidrContains(cidr("::/0"), parseAddress("1.2.3.4"))).toBe(false);
    expect(cidrContains(cidr("2001:db8::/32"), parseAddress("2001:db8:ffff::1"))).toBe(true);
    expect(cidrContains(cidr("2001:db8::/32"), parseAddress("2001:db9::"))).toBe(false);
  });

  it("overlaps", () => {
    expect(cidrOverlaps(cidr("198.51.100.0/24"), cidr("198.51.100.128/25"))).toBe(true);
    expect(cidrOverlaps(cidr("198.51.100.128/25"), cidr("198.51.100.0/24"))).toBe(true);
    expect(cidrOverlaps(cidr("198.51.100.0/25"), cidr("198.51.100.128/25"))).toBe(false);
    expect(cidrOverlaps(cidr("198.51.100.0/24"), cidr("203.0.113.0/24"))).toBe(false);
    expect(cidrOverlaps(cidr("0.0.0.0/0"), cidr("::/0"))).toBe(false);
    expect(cidrOverlaps(cidr("2001:db8::/32"), cidr("2001:db8:5::/48"))).toBe(true);
  });

  it.each([
    ["198.51.100.0/24", "198.51.100.1", "198.51.100.254", "198.51.100.255"],
    ["198.51.100.77/24", "198.51.100.1", "198.51.100.254", "198.51.100.255"],
    ["198.51.100.0/30", "198.51.100.1", "198.51.100.2", "198.51.100.3"],
    ["198.51.100.0/31", "198.51.100.0", "198.51.100.1", "198.51.100.1"],
    ["198.51.100.7/32", "198.51.100.7", "198.51.100.7", "198.51.100.7"],
    ["2001:db8::/64", "2001:db8::1", "2001:db8::ffff:ffff:ffff:ffff", "2001:db8::ffff:ffff:ffff:ffff"],
    ["2001:db8::/126", "2001:db8::1", "2001:db8::3", "2001:db8::3"],
    ["2001:db8::/127", "2001:db8::", "2001:db8::1", "2001:db8::1"],
    ["2001:db8::5/128", "2001:db8::5", "2001:db8::5", "2001:db8::5"],
  ])("%s: first %s, last usable %s, last %s", (text, first, last, end) => {
    expect(formatAddress(firstUsable(cidr(text)))).toBe(first);
    expect(formatAddress(lastUsable(cidr(text)))).toBe(last);
    expect(formatAddress(lastAddressOf(cidr(text)))).toBe(end);
  });

  it("hostRoute is /32 or /128 of the address", () => {
    expect(formatCidr(hostRoute(parseAddress("198.51.100.2")))).toBe("198.51.100.2/32");
    expect(formatCidr(hostRoute(parseAddress("2001:db8::2")))).toBe("2001:db8::2/128");
    expect(isHostRoute(hostRoute(parseAddress("2001:db8::2")))).toBe(true);
    expect(isHostRoute(cidr("198.51.100.0/24"))).toBe(false);
  });
});
