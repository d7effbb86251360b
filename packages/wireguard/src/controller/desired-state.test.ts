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
  it("applies operations in place, keeping order, while states handed out earlier stay as they were", () => {
    const state = DesiredState.from({ revision: 3, interface: spec, peers: [a, b] });
    const before = state.toState();
    const b2 = { ...b, allowedIps: ["198.51.100.9/32"] };
    state.applyPeers([b2, c], [a.publicKey], 4);
    expect(state.toState()).toEqual({ revision: 4, interface: spec, peers: [b2, c] });
    expect(state.peerCount).toBe(2);
    expect(before).toEqual({ revision: 3, interface: spec, peers: [a, b] });
    state.applyPeers([], [c.publicKey], 1);
    expect(state.toState()).toEqual({ revision: 4, interface: spec, peers: [b2] });
  });

  it("only raises the revision", () => {
    const state = DesiredState.from({ revision: 5, interface: spec, peers: [] });
    state.applyPeers([], [], 2);
    expect(state.revision).toBe(5);
    state.applyPeers([], [], 8);
    expect(state.revision).toBe(8);
  });
});
