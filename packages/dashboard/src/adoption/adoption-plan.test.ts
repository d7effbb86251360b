// The plan of an adoption refuses what wgfleet cannot manage before anything is written, naming the
// field: an interface address that is not its network's first, a peer routing more than its own
// address or outside the network, an address given twice; names are kept and made unique.
import { generateKeyPair, type PeerSpec, ValidationError, WgFleetError } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import { planPeers, poolsOfInterface } from "./adoption-plan.js";

const server = generateKeyPair();
const spec = (addresses: string[]) => ({
  name: "wg0",
  privateKey: server.privateKey,
  listenPort: 51820,
  addresses,
});
const peer = (allowedIps: string[]): PeerSpec => ({ publicKey: generateKeyPair().publicKey, allowedIps });

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WgFleetError);
    return (error as WgFleetError).field;
  }
  throw new Error("expected a refusal");
}

describe("adoption plan", () => {
  it("takes the pools from the interface's own first addresses", () => {
    const pools = poolsOfInterface(spec(["198.51.100.1/24", "2001:db8:7::1/64"]));
    expect(pools.map((p) => p.key)).toEqual(["198.51.100.0/24", "2001:db8:7::/64"]);
    expect(fieldOf(() => poolsOfInterface(spec(["198.51.100.254/24"])))).toBe("interface.addresses[0]");
    expect(fieldOf(() => poolsOfInterface(spec(["198.51.100.1/24", "203.0.113.1/24"])))).toBe(
      "interface.addresses",
    );
  });

  it("keeps names, numbers the nameless, and makes every name unique in the configuration", () => {
    const pools = poolsOfInterface(spec(["198.51.100.1/24"]));
    const a = peer(["198.51.100.2/32"]);
    const b = peer(["198.51.100.3/32"]);
    const c = peer(["198.51.100.4/32"]);
    const names = new Map([
      [a.publicKey, "Ana"],
      [b.publicKey, "ana"],
    ]);
    const planned = planPeers([a, b, c], pools, names, new Set(["imported-3"]));
    expect(planned.map((p) => p.name)).toEqual(["Ana", "ana (2)", "imported-3 (2)"]);
    expect(planned[0]?.allocations).toEqual([{ pool: "198.51.100.0/24", address: "198.51.100.2" }]);
  });

  it("refuses a peer that routes a network, lies outside the pool, or shares an address", () => {
    const pools = poolsOfInterface(spec(["198.51.100.1/24"]));
    const none = new Map<string, string>();
    const empty = new Set<string>();
    expect(fieldOf(() => planPeers([peer(["198.51.100.0/25"])], pools, none, empty))).toBe(
      "peers[0].allowedIps",
    );
    expect(fieldOf(() => planPeers([peer(["203.0.113.5/32"])], pools, none, empty))).toBe(
      "peers[0].allowedIps",
    );
    expect(
      fieldOf(() => planPeers([peer(["198.51.100.9/32"]), peer(["198.51.100.9/32"])], pools, none, empty)),
    ).toBe("peers[1].allowedIps");
    expect(() => planPeers([peer([])], pools, none, empty)).toThrow(ValidationError);
  });
});
