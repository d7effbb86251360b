import { generateKeyPair, type PeerSpec } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import { DesiredState } from "./desired-state.js";

const spec = {
  name: "wd0",
  privateKey: generateKeyPair().privateKey,
  listenPort: 51820,
  addresses: ["198.51.100.1/24"],
};
const peer = (n: number): PeerSpec => ({
  publicKey: generateKeyPair().publicKey,
  allowedIps: [`198.51.100.${n}/32`],
});
const [a, b, c] = [peer(2), peer(3), peer(4)];

describe("DesiredState", () => {
  it("applies upserts and removals without changing the original", () => {
    const first = DesiredState.from({ revision: 3, interface: spec, peers: [a, b] });
    const b2 = { ...b, allowedIps: ["198.51.100.9/32"] };
    const next = first.withPeers([b2, c], [a.publicKey], undefined);
    expect(next.toState()).toEqual({ revision: 3, interface: spec, peers: [b2, c] });
    expect(first.toState().peers).toEqual([a, b]);
    expect(first.peerCount).toBe(2);
  });

  it("only raises the revision", () => {
    const state = DesiredState.from({ revision: 5, interface: spec, peers: [] });
    expect(state.withPeers([], [], 7).revision).toBe(7);
    expect(state.withPeers([], [], 2).revision).toBe(5);
  });
});
