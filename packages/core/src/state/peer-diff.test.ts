import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateKeyPair, generatePresharedKey } from "../keys/index.js";
import type { PeerSpec } from "../protocol/v1.js";
import { applyPeerDiff, diffPeers, isEmptyDiff } from "./peer-diff.js";

const KEYS = Array.from({ length: 8 }, () => generateKeyPair().publicKey);
const PSKS = [generatePresharedKey(), generatePresharedKey()];
const ROUTES = ["198.51.100.2/32", "198.51.100.3/32", "203.0.113.0/24", "2001:db8::2/128"];

/** What a peer means, written independently of the code under test (generated CIDRs are canonical). */
function meaning(peer: PeerSpec) {
  return {
    publicKey: peer.publicKey,
    presharedKey: peer.presharedKey ?? null,
    allowedIps: [...new Set(peer.allowedIps)].sort(),
    persistentKeepalive: peer.persistentKeepalive ?? 0,
    endpoint: peer.endpoint ?? null,
  };
}

function meanings(peers: readonly PeerSpec[]) {
  return [...peers].map(meaning).sort((a, b) => (a.publicKey < b.publicKey ? -1 : 1));
}

const peerArb = (publicKey: string): fc.Arbitrary<PeerSpec> =>
  fc
    .record({
      allowedIps: fc.subarray(ROUTES),
      presharedKey: fc.option(fc.constantFrom(...PSKS), { nil: undefined }),
      persistentKeepalive: fc.option(fc.constantFrom(0, 25), { nil: undefined }),
      endpoint: fc.option(fc.constant("198.18.0.1:51820"), { nil: undefined }),
      reversed: fc.boolean(),
    })
    .map(({ reversed, allowedIps, ...rest }) => {
      const peer: PeerSpec = { publicKey, allowedIps: reversed ? [...allowedIps].reverse() : allowedIps };
      for (const [name, value] of Object.entries(rest))
        if (value !== undefined) Object.assign(peer, { [name]: value });
      return peer;
    });

const peersArb: fc.Arbitrary<PeerSpec[]> = fc
  .subarray(KEYS)
  .chain((keys) =>
    (keys.length === 0 ? fc.constant<PeerSpec[]>([]) : fc.tuple(...keys.map(peerArb))).map(
      (peers): PeerSpec[] => peers,
    ),
  )
  .chain((peers) => fc.shuffledSubarray(peers, { minLength: peers.length, maxLength: peers.length }));

describe("diffPeers", () => {
  it("property: applying diffPeers(previous, next) to previous gives next", () => {
    fc.assert(
      fc.property(peersArb, peersArb, (previous, next) => {
        const result = applyPeerDiff(previous, diffPeers(previous, next));
        expect(meanings(result)).toEqual(meanings(next));
      }),
      { numRuns: 500 },
    );
  });

  it("property: unchanged peers are never in the diff; removals are exactly the keys that left", () => {
    fc.assert(
      fc.property(peersArb, peersArb, (previous, next) => {
        const diff = diffPeers(previous, next);
        const before = new Map(previous.map((peer) => [peer.publicKey, meaning(peer)]));
        for (const peer of diff.upsert) {
          expect(next).toContain(peer);
          const old = before.get(peer.publicKey);
          if (old !== undefined) expect(meaning(peer)).not.toEqual(old);
        }
        const nextKeys = new Set(next.map((peer) => peer.publicKey));
        expect([...diff.remove].sort()).toEqual(
          [...before.keys()].filter((key) => !nextKeys.has(key)).sort(),
        );
        const changed = next.filter((peer) => {
          const old = before.get(peer.publicKey);
          return old === undefined || JSON.stringify(old) !== JSON.stringify(meaning(peer));
        });
        expect(diff.upsert.length).toBe(changed.length);
      }),
      { numRuns: 500 },
    );
  });

  it("property: a state diffed with itself (or a shuffled copy) is empty", () => {
    fc.assert(
      fc.property(peersArb, (peers) => {
        expect(isEmptyDiff(diffPeers(peers, [...peers].reverse()))).toBe(true);
      }),
    );
  });

  it("compares meaning, not spelling", () => {
    const [a] = KEYS;
    const written: PeerSpec = {
      publicKey: a!,
      allowedIps: ["198.51.100.2", "2001:DB8:0::2/128"],
      persistentKeepalive: 0,
    };
    const canonical: PeerSpec = { publicKey: a!, allowedIps: ["2001:db8::2/128", "198.51.100.2/32"] };
    expect(diffPeers([written], [canonical])).toEqual({ upsert: [], remove: [] });
  });

  it.each<[string, Partial<PeerSpec>]>([
    ["allowed IPs", { allowedIps: ["198.51.100.3/32"] }],
    ["preshared key", { presharedKey: PSKS[0]! }],
    ["keepalive", { persistentKeepalive: 25 }],
    ["endpoint", { endpoint: "198.18.0.1:51820" }],
  ])("upserts a peer whose %s changed", (_name, change) => {
    const before: PeerSpec = { publicKey: KEYS[0]!, allowedIps: ["198.51.100.2/32"] };
    const after = { ...before, ...change };
    expect(diffPeers([before], [after])).toEqual({ upsert: [after], remove: [] });
  });

  it("removes peers that left and adds new ones", () => {
    const a: PeerSpec = { publicKey: KEYS[0]!, allowedIps: ["198.51.100.2/32"] };
    const b: PeerSpec = { publicKey: KEYS[1]!, allowedIps: ["198.51.100.3/32"] };
    expect(diffPeers([a], [b])).toEqual({ upsert: [b], remove: [a.publicKey] });
  });
});
