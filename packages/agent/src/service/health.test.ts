// What the agent says of an interface must always fit the protocol's schema: the dashboard refuses a
// whole health answer that does not ("not protocol v1"), which marks the node failed.

import { Value } from "@sinclair/typebox/value";
import { InterfaceHealthSchema } from "@wgfleet/core";
import type { LiveInterface } from "@wgfleet/wireguard";
import { describe, expect, it } from "vitest";
import type { AgentService } from "./agent-service.js";
import { interfaceHealth } from "./health.js";

/** Just what interfaceHealth reads of the service: one desired interface with no peers, read live as `live`. */
function serviceReading(live: LiveInterface | null): AgentService {
  const desired = { revision: 3, digest: () => "d".repeat(64), peer: () => undefined, peerList: () => [] };
  const status = { lastApplyError: null, driftRepairs: 0, lastRepairAt: null };
  return {
    find: () => desired,
    readLive: async () => live,
    statuses: { get: () => status },
    suspendedPeers: () => [],
  } as unknown as AgentService;
}

describe("an interface's health", () => {
  it("gives no public key (null) for an interface whose private key is not set yet", async () => {
    // Between creating the link and setting its key, the driver reads the interface with key "".
    const live: LiveInterface = { name: "wg0", publicKey: "", listenPort: 0, up: false, peers: [] };
    const health = await interfaceHealth(serviceReading(live), "wg0", Date.now());
    expect(health?.publicKey).toBeNull();
    expect(Value.Check(InterfaceHealthSchema, health)).toBe(true);
  });

  it("gives the live public key once it is set", async () => {
    const key = `${"A".repeat(42)}A=`;
    const live: LiveInterface = { name: "wg0", publicKey: key, listenPort: 51820, up: true, peers: [] };
    const health = await interfaceHealth(serviceReading(live), "wg0", Date.now());
    expect(health?.publicKey).toBe(key);
    expect(Value.Check(InterfaceHealthSchema, health)).toBe(true);
  });
});
