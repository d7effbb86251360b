import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { parseInterfaceEndpoint } from "./interface-endpoint.js";

describe("parseInterfaceEndpoint", () => {
  it.each([
    ["vpn.example.com", "vpn.example.com", 51891],
    ["198.51.100.1", "198.51.100.1", 51891],
    ["[2001:db8::1]", "2001:db8::1", 51891],
    ["2001:DB8::1", "2001:db8::1", 51891],
    ["vpn.example.com:443", "vpn.example.com", 443],
    ["198.51.100.1:51820", "198.51.100.1", 51820],
    ["[2001:db8::1]:51820", "2001:db8::1", 51820],
  ])("%s takes the listen port only when it has none", (text, host, port) => {
    expect(parseInterfaceEndpoint(text, 51891)).toEqual({ host, port });
  });

  it.each([
    ["", "required"],
    ["vpn_example.com", "not an IP address or a valid DNS name"],
    ["198.51.100.256", "out of range"],
    ["[198.51.100.1]", "only for IPv6"],
    ["[fe80::1%eth0]", "zone id"],
    ["vpn.example.com\n[Peer]", "whitespace"],
    ["vpn.example.com:0", "1-65535"],
  ])("refuses %j (%s) naming the field", (text, reason) => {
    try {
      parseInterfaceEndpoint(text, 51891, "endpoint");
      expect.unreachable(`${JSON.stringify(text)} was accepted`);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe("endpoint");
      expect((error as ValidationError).message).toContain(reason);
    }
  });
});
