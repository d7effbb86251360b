import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { formatEndpoint, isValidHostname, parseEndpoint } from "./endpoint.js";

describe("parseEndpoint / formatEndpoint", () => {
  it.each([
    ["198.51.100.1:51820", "198.51.100.1", 51820],
    ["[2001:db8::1]:51820", "2001:db8::1", 51820],
    ["[2001:DB8:0:0::1]:1", "2001:db8::1", 1], // IP hosts come back canonical
    ["[::ffff:198.51.100.1]:65535", "::ffff:198.51.100.1", 65535],
    ["vpn.example.com:51820", "vpn.example.com", 51820],
    ["VPN.Example.com.:443", "VPN.Example.com.", 443],
    ["localhost:51820", "localhost", 51820],
    ["xn--bcher-kva.example:51820", "xn--bcher-kva.example", 51820],
  ])("%s", (text, host, port) => {
    const endpoint = parseEndpoint(text);
    expect(endpoint).toEqual({ host, port });
    expect(parseEndpoint(formatEndpoint(endpoint))).toEqual(endpoint);
  });

  it("formats IPv6 hosts in brackets", () => {
    expect(formatEndpoint({ host: "2001:db8::1", port: 51820 })).toBe("[2001:db8::1]:51820");
    expect(formatEndpoint({ host: "198.51.100.1", port: 51820 })).toBe("198.51.100.1:51820");
  });

  it.each([
    ["2001:db8::1:51820", "must be in brackets"],
    ["2001:db8::1", "must be in brackets"],
    ["::1:51820", "must be in brackets"],
    ["198.51.100.1", "port is missing"],
    ["198.51.100.1:", "port is missing"],
    ["198.51.100.1:0", "1-65535"],
    ["198.51.100.1:65536", "1-65535"],
    ["198.51.100.1:051820", "1-65535"],
    ["198.51.100.1:-1", "1-65535"],
    ["198.51.100.1:80a", "1-65535"],
    ["198.51.100.1:+80", "1-65535"],
    ["01.51.100.1:51820", "leading zero"],
    ["198.51.100.256:51820", "out of range"],
    ["1.2.3:51820", "exactly 4 octets"],
    ["[198.51.100.1]:51820", "only for IPv6"],
    ["[2001:db8::1]51820", 'expected ":port"'],
    ["[2001:db8::1:51820", '"[" without "]"'],
    ["[fe80::1%eth0]:51820", "zone id"],
    ["[2001:db8::1]:", "port is missing"],
    ["vpn example.com:51820", "whitespace"],
    ["vpn.example.com:51820\n[Peer]", "whitespace"],
    ["vpn.example.com\u0000:51820", "control character"],
    ["vpn_example.com:51820", "not an IP address or a valid DNS name"],
    ["-vpn.example.com:51820", "not an IP address or a valid DNS name"],
    [":51820", "not an IP address or a valid DNS name"],
    ["", "required"],
  ])("rejects %j (%s)", (text, reason) => {
    try {
      parseEndpoint(text, "nodes[0].endpoint");
      expect.unreachable(`${JSON.stringify(text)} was accepted`);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe("nodes[0].endpoint");
      expect((error as ValidationError).message).toContain(reason);
      expect((error as ValidationError).message).not.toContain("\n");
    }
  });
});

describe("isValidHostname", () => {
  it.each([
    "example.com",
    "a",
    "localhost",
    "vpn-1.example.org",
    "example.com.",
    "1a.example",
    `${"a".repeat(63)}.com`,
  ])("accepts %s", (name) => expect(isValidHostname(name)).toBe(true));

  it.each([
    "",
    ".",
    "example..com",
    ".example.com",
    "-a.com",
    "a-.com",
    "a_b.com",
    "exa mple.com",
    "bücher.example",
    "1.2.3.4",
    "1.2.3.999",
    "example.123",
    `${"a".repeat(64)}.com`,
    `${"a.".repeat(127)}com`,
    "example.com..",
    "2001:db8::1",
  ])("rejects %j", (name) => expect(isValidHostname(name)).toBe(false));
});
