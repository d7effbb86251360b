import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { addressFromValue, compareAddresses, formatAddress, parseAddress, sameAddress } from "./address.js";

const canonical = (text: string) => formatAddress(parseAddress(text));

function rejection(text: string, field = "address"): ValidationError {
  try {
    parseAddress(text, field);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(text)} was accepted`);
}

describe("parseAddress / formatAddress: IPv4", () => {
  it.each([
    ["0.0.0.0", 0n],
    ["198.51.100.1", 0xc6336401n],
    ["255.255.255.255", 0xffffffffn],
    ["10.0.0.10", 0x0a00000an],
  ])("%s", (text, value) => {
    expect(parseAddress(text)).toEqual({ version: 4, value });
    expect(canonical(text)).toBe(text);
  });

  it.each([
    ["01.2.3.4", "leading zero"],
    ["1.2.3.010", "leading zero"],
    ["1.2.3.00", "leading zero"],
    ["256.0.0.1", "out of range"],
    ["1.2.3.4.5", "exactly 4 octets"],
    ["1.2.3", "exactly 4 octets"],
    ["1.2..4", "empty"],
    ["1.2.3.", "empty"],
    ["1.2.3.1000", "not a number"],
    ["0x1.2.3.4", "not an IPv4 or IPv6"],
    ["-1.2.3.4", "not an IPv4 or IPv6"],
    [" 1.2.3.4", "whitespace"],
    ["1.2.3.4\n", "whitespace"],
    ["1.2.3.4 ", "whitespace"],
    ["", "empty"],
  ])("rejects %j (%s)", (text, reason) => {
    const error = rejection(text);
    expect(error.field).toBe("address");
    expect(error.message).toContain(reason);
  });
});

describe("parseAddress / formatAddress: IPv6", () => {
  it.each([
    ["::", "::"],
    ["::1", "::1"],
    ["::0", "::"],
    ["0:0:0:0:0:0:0:0", "::"],
    ["2001:DB8::1", "2001:db8::1"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    // the longest run of zeros is compressed, the first one on ties
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1"],
    // a single zero group is not compressed
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"],
    ["::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"],
    ["fe80::", "fe80::"],
    ["FFFF:ffff:FFFF:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
    // embedded IPv4: IPv4-mapped keeps its dotted tail (RFC 5952 section 5), the rest is hex
    ["::ffff:198.51.100.1", "::ffff:198.51.100.1"],
    ["::FFFF:c633:6401", "::ffff:198.51.100.1"],
    ["0:0:0:0:0:ffff:198.51.100.1", "::ffff:198.51.100.1"],
    ["64:ff9b::198.51.100.1", "64:ff9b::c633:6401"],
    ["::198.51.100.1", "::c633:6401"],
  ])("%s -> %s", (text, expected) => {
    expect(parseAddress(text).version).toBe(6);
    expect(canonical(text)).toBe(expected);
    expect(canonical(expected)).toBe(expected);
  });

  it("reads values", () => {
    expect(parseAddress("::1").value).toBe(1n);
    expect(parseAddress("2001:db8::").value).toBe(0x20010db8n << 96n);
    expect(parseAddress("::ffff:1.2.3.4").value).toBe((0xffffn << 32n) | 0x01020304n);
  });

  it.each([
    ["fe80::1%eth0", "zone id"],
    ["fe80::1%1", "zone id"],
    ["1::2::3", "may appear only once"],
    [":::", "empty group"],
    ["1:::2", "empty group"],
    [":1::2", "empty group"],
    ["1::2:", "empty group"],
    [":1:2:3:4:5:6:7", "empty group"],
    ["1:2:3:4:5:6:7:", "empty group"],
    ["1:2:3:4:5:6:7", "expected 8"],
    ["1:2:3:4:5:6:7:8:9", "expected 8"],
    ["1:2:3:4::5:6:7:8", "at least one zero group"],
    ["1:2:3:4:5:6:7:8::", "at least one zero group"],
    ["12345::", "1-4 hexadecimal"],
    ["00001::", "1-4 hexadecimal"],
    ["g::1", "1-4 hexadecimal"],
    ["1.2.3.4::", "last 32 bits"],
    ["::1.2.3.4:1", "last 32 bits"],
    ["::1.2.3", "embedded IPv4"],
    ["::ffff:01.2.3.4", "leading zero"],
    ["::ffff:256.1.1.1", "out of range"],
    ["1:2:3:4:5:6:7:1.2.3.4", "expected 8"],
    [" ::1", "whitespace"],
    ["::1\t", "whitespace"],
    ["[::1]", "1-4 hexadecimal"],
    [`${"1:".repeat(30)}1`, "too long"],
  ])("rejects %j (%s)", (text, reason) => {
    expect(rejection(text).message).toContain(reason);
  });
});

describe("parseAddress errors", () => {
  it("name the field given and quote the input escaped and shortened", () => {
    const error = rejection("1.2.3.4\n[Peer]", "peers[2].allowedIps[0]");
    expect(error.field).toBe("peers[2].allowedIps[0]");
    expect(error.message).toMatch(/^peers\[2\]\.allowedIps\[0\]: /);
    expect(error.message).not.toContain("\n");
    expect(rejection("x".repeat(10_000)).message.length).toBeLessThan(200);
  });

  it("rejects non-strings", () => {
    expect(() => parseAddress(42 as unknown as string)).toThrow(ValidationError);
  });
});

describe("sameAddress / compareAddresses / addressFromValue", () => {
  it("compares by version and value", () => {
    expect(sameAddress(parseAddress("2001:db8::1"), parseAddress("2001:DB8:0::1"))).toBe(true);
    expect(sameAddress(parseAddress("0.0.0.1"), parseAddress("::1"))).toBe(false);
    const sorted = ["::1", "198.51.100.2", "198.51.100.10", "::"]
      .map((t) => parseAddress(t))
      .sort(compareAddresses);
    expect(sorted.map(formatAddress)).toEqual(["198.51.100.2", "198.51.100.10", "::", "::1"]);
  });

  it("builds an address from a value in range only", () => {
    expect(formatAddress(addressFromValue(4, 0xc6336401n))).toBe("198.51.100.1");
    expect(() => addressFromValue(4, 1n << 32n)).toThrow(ValidationError);
    expect(() => addressFromValue(6, -1n)).toThrow(ValidationError);
  });
});
