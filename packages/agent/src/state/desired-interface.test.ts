import { digestInterfaceState, generateKeyPair, type InterfaceState, type PeerSpec } from "@wgfleet/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DesiredInterface } from "./desired-interface.js";

const KEYS = Array.from({ length: 8 }, () => generateKeyPair().publicKey);

function state(): InterfaceState {
  return {
    revision: 1,
    interface: {
      name: "wg0",
      privateKey: generateKeyPair().privateKey,
      listenPort: 51820,
      addresses: ["198.51.100.1/24"],
    },
    peers: [],
  };
}

/** A peer on key `k` holding the /32 `host` (so two peers never claim one route unless asked to). */
function peer(k: number, host: number, keepalive: number): PeerSpec {
  return {
    publicKey: KEYS[k] as string,
    allowedIps: [`198.51.100.${host}/32`],
    ...(keepalive > 0 ? { persistentKeepalive: keepalive } : {}),
  };
}

const stepArb = fc.oneof(
  fc.record({
    kind: fc.constant("upsert" as const),
    key: fc.nat(7),
    host: fc.integer({ min: 2, max: 12 }),
    keepalive: fc.constantFrom(0, 25),
  }),
  fc.record({ kind: fc.constant("remove" as const), key: fc.nat(7) }),
  fc.record({ kind: fc.constant("undo" as const) }),
);

describe("DesiredInterface.digest", () => {
  it("equals core's digest of the whole state after any changes, refused changes and undos", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 30 }), (steps) => {
        const desired = DesiredInterface.fromState(state());
        const undos: Array<() => void> = [];
        for (const step of steps) {
          if (step.kind === "undo") undos.pop()?.();
          else {
            const change =
              step.kind === "upsert"
                ? { upsert: [peer(step.key, step.host, step.keepalive)], remove: [] }
                : { upsert: [], remove: [KEYS[step.key] as string] };
            try {
              undos.push(desired.applyChange(change));
            } catch {
              // a route another peer holds: refused, nothing changed
            }
          }
          // Asked after every step, so kept texts and the cached digest are both exercised.
          expect(desired.digest()).toBe(digestInterfaceState(desired.toState()));
        }
      }),
      { numRuns: 300 },
    );
  });
});
