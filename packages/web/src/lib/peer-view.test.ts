import { describe, expect, it } from "vitest";
import type { Peer } from "../api/types.js";
import { addressSortKey, filterPeers, isExpired, peerMatches, sortPeers } from "./peer-view.js";

function peer(overrides: Partial<Peer>): Peer {
  return {
    id: overrides.name ?? "id",
    name: "peer",
    description: null,
    contactEmail: null,
    configuration: "corp",
    node: "local",
    interface: "wg0",
    publicKey: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    addresses: ["198.51.100.2/32"],
    enabled: true,
    state: "active",
    dns: null,
    clientAllowedIps: ["0.0.0.0/0"],
    mtu: null,
    keepalive: null,
    expiresAt: null,
    quota: null,
    quotaUsage: null,
    schedule: null,
    suspension: null,
    hasPresharedKey: true,
    configAvailable: true,
    online: false,
    rx: 0,
    tx: 0,
    latestHandshake: null,
    endpoint: null,
    statsUpdatedAt: null,
    createdAt: "2025-01-01T00:00:00Z",
    updatedAt: "2025-01-01T00:00:00Z",
    ...overrides,
  };
}

const none = { search: "", node: "", status: "" } as const;

describe("peerMatches", () => {
  const laptop = peer({
    name: "Alice Laptop",
    addresses: ["198.51.100.7/32", "2001:db8::7/128"],
    publicKey: "Xy12abc=",
  });
  it("finds by name (any case), address substring, or key prefix (exact case)", () => {
    expect(peerMatches(laptop, { ...none, search: "alice" })).toBe(true);
    expect(peerMatches(laptop, { ...none, search: "100.7" })).toBe(true);
    expect(peerMatches(laptop, { ...none, search: "2001:DB8" })).toBe(true);
    expect(peerMatches(laptop, { ...none, search: "Xy12" })).toBe(true);
    expect(peerMatches(laptop, { ...none, search: "xy12" })).toBe(false);
    expect(peerMatches(laptop, { ...none, search: "bob" })).toBe(false);
  });
  it("filters by node and by status", () => {
    const remote = peer({ node: "n1", online: true });
    expect(peerMatches(remote, { ...none, node: "n1" })).toBe(true);
    expect(peerMatches(remote, { ...none, node: "local" })).toBe(false);
    expect(peerMatches(remote, { ...none, status: "online" })).toBe(true);
    expect(peerMatches(remote, { ...none, status: "offline" })).toBe(false);
    expect(peerMatches(peer({ enabled: false }), { ...none, status: "disabled" })).toBe(true);
    expect(peerMatches(peer({ state: "failed" }), { ...none, status: "failed" })).toBe(true);
  });
  it("filters expired peers as the API does: an expiry at or before now", () => {
    const now = Date.parse("2025-06-01T12:00:00Z");
    const past = peer({ expiresAt: "2025-06-01T11:59:59.000Z" });
    const exact = peer({ expiresAt: "2025-06-01T12:00:00.000Z" });
    const future = peer({ expiresAt: "2025-06-01T12:00:01.000Z" });
    const never = peer({ expiresAt: null });
    expect(isExpired(past, now)).toBe(true);
    expect(isExpired(exact, now)).toBe(true);
    expect(isExpired(future, now)).toBe(false);
    expect(isExpired(never, now)).toBe(false);
    expect(filterPeers([past, future, never], { ...none, status: "expired" }, now)).toEqual([past]);
  });
  it("filters suspended peers as the API does: those the node reports it keeps off", () => {
    const kept = peer({ name: "kept", suspension: { reason: "quota", since: "2025-06-01T12:00:00.000Z" } });
    // Expired but not yet reported by its node: not suspended (yet).
    const expired = peer({ name: "expired", expiresAt: "2025-01-01T00:00:00.000Z" });
    expect(filterPeers([kept, expired], { ...none, status: "suspended" })).toEqual([kept]);
  });
});

describe("sortPeers", () => {
  const rows = [
    peer({ id: "a", name: "peer-10", rx: 5, addresses: ["198.51.100.10/32"] }),
    peer({ id: "b", name: "peer-9", rx: 50, addresses: ["198.51.100.9/32"] }),
    peer({ id: "c", name: "Peer-1", rx: 5, addresses: ["198.51.100.100/32"] }),
  ];
  it("sorts names naturally and ignoring case", () => {
    expect(sortPeers(rows, { key: "name", direction: "asc" }).map((p) => p.id)).toEqual(["c", "b", "a"]);
  });
  it("sorts numbers and breaks ties by name; desc reverses the key only", () => {
    expect(sortPeers(rows, { key: "rx", direction: "desc" }).map((p) => p.id)).toEqual(["b", "c", "a"]);
  });
  it("sorts addresses numerically", () => {
    expect(sortPeers(rows, { key: "addresses", direction: "asc" }).map((p) => p.id)).toEqual(["b", "a", "c"]);
  });
  it("sorts by expiry soonest first, peers that never expire last", () => {
    const dated = [
      peer({ id: "x", name: "x", expiresAt: null }),
      peer({ id: "y", name: "y", expiresAt: "2030-01-02T00:00:00.000Z" }),
      peer({ id: "z", name: "z", expiresAt: "2030-01-01T00:00:00.000Z" }),
    ];
    expect(sortPeers(dated, { key: "expires", direction: "asc" }).map((p) => p.id)).toEqual(["z", "y", "x"]);
  });
  it("never changes its input", () => {
    const copy = [...rows];
    sortPeers(rows, { key: "rx", direction: "asc" });
    expect(rows).toEqual(copy);
  });
});

describe("addressSortKey and filterPeers", () => {
  it("expands IPv6 so groups compare in order", () => {
    expect(addressSortKey(["2001:db8::2/128"]) < addressSortKey(["2001:db8::10/128"])).toBe(true);
    expect(addressSortKey(["198.51.100.2/32"]) < addressSortKey(["2001:db8::1/128"])).toBe(true);
  });
  it("returns the input unchanged without filters and keeps order with them", () => {
    const rows = [peer({ id: "1", name: "b" }), peer({ id: "2", name: "a" }), peer({ id: "3", name: "ab" })];
    expect(filterPeers(rows, none)).toBe(rows);
    expect(filterPeers(rows, { ...none, search: "a" }).map((p) => p.id)).toEqual(["2", "3"]);
  });
});
