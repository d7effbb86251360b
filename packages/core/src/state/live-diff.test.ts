import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateKeyPair, generatePresharedKey } from "../keys/index.js";
import type { LivePeer, PeerSpec } from "../protocol/v1.js";
import { diffLivePeers } from "./live-diff.js";
import { applyPeerDiff } from "./peer-diff.js";
import { livePeerMatches } from "./peer-equality.js";

const [A, B, C] = Array.from({ length: 3 }, () => generateKeyPair().publicKey) as [string, string, string];

/** What `wg show dump` reports for a peer that was applied as `spec`. */
function asLive(spec: PeerSpec, overrides: Partial<LivePeer> = {}): LivePeer {
  return {
    publicKey: spec.publicKey,
    endpoint: spec.endpoint ?? null,
    allowedIps: [...spec.allowedIps].reverse(),
    latestHandshake: 0,
    rxBytes: 0,
    txBytes: 0,
    persistentKeepalive: spec.persistentKeepalive ? spec.persistentKeepalive : null,
    ...overrides,
  };
}

const a: PeerSpec = { publicKey: A, allowedIps: ["198.51.100.2/32", "2001:db8::2/128"] };
const b: PeerSpec = { publicKey: B, allowedIps: ["198.51.100.3/32"], persistentKeepalive: 25 };

describe("diffLivePeers", () => {
  it("is empty when the live interface matches", () => {
    expect(diffLivePeers([a, b], [asLive(b), asLive(a)])).toEqual({ upsert: [], remove: [], stray: [] });
  });

  it("upserts missing peers and reports strays in both remove and stray", () => {
    const stray = asLive({ publicKey: C, allowedIps: ["198.51.100.9/32"] });
    expect(diffLivePeers([a, b], [asLive(a), stray])).toEqual({ upsert: [b], remove: [C], stray: [C] });
  });

  it.each<[string, Partial<LivePeer>]>([
    ["an allowed IP was removed by hand", { allowedIps: ["198.51.100.3/32", "198.51.100.99/32"] }],
    ["no allowed IPs at all", { allowedIps: [] }],
    ["keepalive switched off", { persistentKeepalive: null }],
    ["keepalive changed", { persistentKeepalive: 10 }],
  ])("upserts a peer when %s", (_name, overrides) => {
    expect(diffLivePeers([b], [asLive(b, overrides)]).upsert).toEqual([b]);
  });

  it("compares allowed IPs as canonical sets", () => {
    const live = asLive(a, { allowedIps: ["2001:0DB8:0:0::2/128", "198.51.100.2/32"] });
    expect(diffLivePeers([a], [live]).upsert).toEqual([]);
  });

  it('reads "(none)" as no allowed IPs and keepalive 0 as off', () => {
    const bare: PeerSpec = { publicKey: A, allowedIps: [], persistentKeepalive: 0 };
    expect(
      diffLivePeers([bare], [asLive(bare, { allowedIps: ["(none)"], persistentKeepalive: 0 })]).upsert,
    ).toEqual([]);
  });

  it("ignores a roamed endpoint but restores one that is missing", () => {
    const site: PeerSpec = {
      publicKey: A,
      allowedIps: ["203.0.113.0/24"],
      endpoint: "vpn.example.net:51820",
    };
    expect(diffLivePeers([site], [asLive(site, { endpoint: "198.18.0.7:40000" })]).upsert).toEqual([]);
    expect(diffLivePeers([site], [asLive(site, { endpoint: null })]).upsert).toEqual([site]);
    expect(diffLivePeers([a], [asLive(a, { endpoint: "198.18.0.8:5000" })]).upsert).toEqual([]);
  });

  it("cannot see a preshared key change (that is the desired-state diff's job)", () => {
    const withPsk = { ...a, presharedKey: generatePresharedKey() };
    expect(diffLivePeers([withPsk], [asLive(a)]).upsert).toEqual([]);
  });

  it("property: applying the diff to the live peers makes every desired peer match and leaves no stray", () => {
    const keys = Array.from({ length: 6 }, () => generateKeyPair().publicKey);
    const routes = ["198.51.100.2/32", "198.51.100.3/32", "2001:db8::3/128"];
    const specArb = (publicKey: string) =>
      fc
        .record({ allowedIps: fc.subarray(routes), keepalive: fc.constantFrom(undefined, 0, 25) })
        .map(
          ({ allowedIps, keepalive }): PeerSpec =>
            keepalive === undefined
              ? { publicKey, allowedIps }
              : { publicKey, allowedIps, persistentKeepalive: keepalive },
        );
    const listArb = fc
      .subarray(keys)
      .chain((chosen) =>
        (chosen.length === 0 ? fc.constant<PeerSpec[]>([]) : fc.tuple(...chosen.map(specArb))).map(
          (peers): PeerSpec[] => peers,
        ),
      );
    fc.assert(
      fc.property(listArb, listArb, (desired, liveSpecs) => {
        const diff = diffLivePeers(
          desired,
          liveSpecs.map((spec) => asLive(spec)),
        );
        const after = applyPeerDiff(liveSpecs, diff).map((spec) => asLive(spec));
        expect(after.map((peer) => peer.publicKey).sort()).toEqual(
          desired.map((peer) => peer.publicKey).sort(),
        );
        const afterByKey = new Map(after.map((peer) => [peer.publicKey, peer]));
        for (const peer of desired) expect(livePeerMatches(peer, afterByKey.get(peer.publicKey)!)).toBe(true);
        for (const peer of diff.upsert) {
          const live = liveSpecs.find((spec) => spec.publicKey === peer.publicKey);
          if (live) expect(livePeerMatches(peer, asLive(live))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
