import { describe, expect, it } from "vitest";
import { EndpointService } from "./endpoint.service.js";

describe("EndpointService", () => {
  const service = new EndpointService({
    addresses: () => ["10.1.2.3", "198.51.100.7", "fd12::1"],
    hostname: () => "vm",
  });

  it("checks an endpoint: a bare host takes the listen port, warnings say why clients may not reach it", () => {
    expect(service.check({ endpoint: "vpn.example.com", listenPort: 51891 })).toEqual({
      host: "vpn.example.com",
      port: 51891,
      endpoint: "vpn.example.com:51891",
      warnings: [],
      problem: null,
    });
    expect(service.check({ endpoint: "vm" })).toMatchObject({ port: null, endpoint: null });
    expect(service.check({ endpoint: "vm" }).warnings.map((w) => w.kind)).toEqual(["single-label"]);
    expect(service.check({ endpoint: "10.1.2.3:443", listenPort: 1 })).toMatchObject({
      endpoint: "10.1.2.3:443",
      warnings: [{ kind: "private" }],
    });
    const bad = service.check({ endpoint: "vpn_example.com" });
    expect(bad).toMatchObject({ host: null, warnings: [] });
    expect(bad.problem).toContain("not an IP address or a valid DNS name");
  });

  it("guesses the host the browser used first when reachable, then the machine's public addresses", () => {
    const hosts = (requestHost?: string) => service.guesses(requestHost).guesses.map((g) => g.host);
    expect(hosts("vpn.example.com")).toEqual([
      "vpn.example.com",
      "198.51.100.7",
      "10.1.2.3",
      "fd12::1",
      "vm",
    ]);
    expect(hosts("127.0.0.1")).toEqual(["198.51.100.7", "127.0.0.1", "10.1.2.3", "fd12::1", "vm"]);
  });
});
