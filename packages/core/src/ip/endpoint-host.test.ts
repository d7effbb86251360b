import { describe, expect, it } from "vitest";
import { classifyEndpointHost, endpointHostWarnings } from "./endpoint-host.js";

describe("classifyEndpointHost", () => {
  it.each([
    ["vpn.example.com", "public"],
    ["198.51.100.1", "public"],
    ["2001:db8::1", "public"],
    ["[2001:db8::1]", "public"],
    ["vm", "single-label"],
    ["VM.", "single-label"],
    ["router.local", "local-name"],
    ["nas.home.arpa", "local-name"],
    ["localhost", "loopback"],
    ["127.0.0.1", "loopback"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["10.1.2.3", "private"],
    ["172.20.0.1", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["fd12:3456::1", "private"],
    ["169.254.1.1", "special-purpose"],
    ["0.0.0.0", "special-purpose"],
    ["224.0.0.1", "special-purpose"],
    ["fe80::1", "special-purpose"],
  ])("%s is %s", (host, kind) => {
    expect(classifyEndpointHost(host).kind).toBe(kind);
  });

  it("warns with a sentence that names the host, and not at all for a public one", () => {
    expect(endpointHostWarnings("vpn.example.com")).toEqual([]);
    const [single] = endpointHostWarnings("vm");
    expect(single?.kind).toBe("single-label");
    expect(single?.message).toContain('"vm"');
    expect(endpointHostWarnings("10.1.2.3")[0]?.message).toContain(
      "10.1.2.3 is a private (10.0.0.0/8) address",
    );
    expect(endpointHostWarnings("127.0.0.1")[0]?.message).toContain("loopback");
  });
});
