import type { LivePeer } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import { advanceCounters, counterDelta } from "./counters.js";

const KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

function live(rxBytes: number, txBytes: number, latestHandshake = 0): LivePeer {
  return {
    publicKey: KEY,
    endpoint: null,
    allowedIps: [],
    latestHandshake,
    rxBytes,
    txBytes,
    persistentKeepalive: null,
  };
}

describe("counterDelta", () => {
  it("is the difference while the counter grows", () => {
    expect(counterDelta(100, 250)).toBe(150);
    expect(counterDelta(100, 100)).toBe(0);
  });

  it("is the new raw value after a reset (a smaller reading)", () => {
    expect(counterDelta(1_000, 40)).toBe(40);
    expect(counterDelta(1_000, 0)).toBe(0);
  });
});

describe("advanceCounters", () => {
  it("starts the totals at the first raw reading", () => {
    expect(advanceCounters(undefined, live(10, 20, 1_700_000_000))).toEqual({
      rxBytes: 10,
      txBytes: 20,
      rawRx: 10,
      rawTx: 20,
      latestHandshakeAt: new Date(1_700_000_000_000).toISOString(),
      endpoint: null,
    });
  });

  it("keeps the totals across an interface restart", () => {
    let stored = advanceCounters(undefined, live(1_000, 2_000, 1_700_000_000));
    stored = advanceCounters(stored, live(1_500, 2_100, 1_700_000_100));
    stored = advanceCounters(stored, live(300, 50, 0)); // restarted: counters and handshake forgotten
    stored = advanceCounters(stored, live(400, 60, 0));
    expect(stored.rxBytes).toBe(1_500 + 300 + 100);
    expect(stored.txBytes).toBe(2_100 + 50 + 10);
    expect(stored.rawRx).toBe(400);
    expect(stored.latestHandshakeAt).toBe(new Date(1_700_000_100_000).toISOString());
  });
});
