// The gate and its budget meter as pure parts: verdicts on an injected clock, counts from live counter
// readings (plain data, as `wg show dump` gives them), counter resets, the ledger across a restart.
import { generateKeyPair, type LivePeer, type PeerSpec } from "@wgfleet/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AccessGate, ASSUMED_PEER_RATE, MAX_METER_INTERVAL_MS } from "./access-gate.js";
import { MemoryBudgetLedger } from "./budget-ledger.js";
import { BudgetMeter } from "./budget-meter.js";
import { DueQueue } from "./due-queue.js";

const T0 = Date.parse("2026-01-12T10:00:00Z");
const key = () => generateKeyPair().publicKey;

function live(publicKey: string, rxBytes: number, txBytes: number): LivePeer {
  return {
    publicKey,
    endpoint: null,
    allowedIps: [],
    latestHandshake: 0,
    rxBytes,
    txBytes,
    persistentKeepalive: null,
  };
}

function budgeted(
  publicKey: string,
  bytesLeft: number,
  id = "b1",
  counting: "total" | "rx" | "tx" = "total",
): PeerSpec {
  return { publicKey, allowedIps: ["198.51.100.2/32"], access: { budget: { id, bytesLeft, counting } } };
}

describe("BudgetMeter", () => {
  it("counts growth, survives a counter reset, counts only its direction", () => {
    const meter = new BudgetMeter();
    const k = key();
    meter.track(k, { id: "b", bytesLeft: 10, counting: "rx" });
    meter.read(live(k, 100, 50), { id: "b", bytesLeft: 10, counting: "rx" }); // first reading: the baseline
    expect(meter.used(k)).toBe(0);
    meter.read(live(k, 160, 90), { id: "b", bytesLeft: 10, counting: "rx" });
    expect(meter.used(k)).toBe(60);
    meter.read(live(k, 30, 5), { id: "b", bytesLeft: 10, counting: "rx" }); // re-created: counters restarted
    expect(meter.used(k)).toBe(90);
  });

  it("a re-created peer that moved more than before is counted from 0 when the controller says so", () => {
    const meter = new BudgetMeter();
    const k = key();
    const budget = { id: "b", bytesLeft: 10, counting: "total" as const };
    meter.track(k, budget);
    meter.countersRestarted(k);
    meter.read(live(k, 100, 100), budget);
    meter.countersRestarted(k);
    meter.read(live(k, 300, 0), budget);
    expect(meter.used(k)).toBe(500);
  });

  it("property: the count is the sum of the growth between readings, whatever the resets", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(1_000_000), fc.boolean()), { minLength: 1, maxLength: 40 }),
        (steps) => {
          const meter = new BudgetMeter();
          const k = key();
          const budget = { id: "b", bytesLeft: 1, counting: "rx" as const };
          meter.track(k, budget);
          meter.countersRestarted(k);
          let counter = 0;
          let expected = 0;
          for (const [moved, restart] of steps) {
            if (restart) {
              counter = 0;
              meter.countersRestarted(k);
            }
            counter += moved;
            expected += moved;
            meter.read(live(k, counter, 0), budget);
          }
          expect(meter.used(k)).toBe(expected);
        },
      ),
    );
  });
});

describe("AccessGate", () => {
  it("cuts a peer off when its count reaches bytesLeft, and keeps it off", async () => {
    const logged: object[] = [];
    const record = (obj: object, msg?: string) => logged.push({ ...obj, msg });
    const logger = { info: record, warn: record, error: record, debug: record };
    const gate = new AccessGate({ clock: () => T0, logger });
    await gate.ready;
    const k = key();
    gate.setPeers("wg0", [budgeted(k, 1_000)]);
    gate.countersRestarted([k]);
    expect(gate.countTraffic("wg0", [live(k, 400, 599)])).toEqual([]);
    expect(gate.isOn("wg0", k)).toBe(true);
    expect(gate.countTraffic("wg0", [live(k, 400, 600)])).toEqual([k]);
    expect(gate.suspendedPeers("wg0")).toEqual([{ publicKey: k, reason: "quota", since: T0 }]);
    expect(gate.interfacesToMeter()).toEqual([]);
    // The log names the count that crossed the budget.
    expect(logged).toContainEqual({
      interface: "wg0",
      publicKey: k,
      reason: "quota",
      usedBytes: 1_000,
      msg: "peer suspended",
    });
  });

  it("meters an interface again before a peer at 10 Gbit/s could use its headroom, at least every 10 s", async () => {
    let now = T0;
    const gate = new AccessGate({ clock: () => now });
    await gate.ready;
    const [near, far] = [key(), key()];
    // 10 GB left is 8 s at ASSUMED_PEER_RATE; a peer far from its budget waits the longest interval.
    gate.setPeers("wg0", [budgeted(far, 100 * ASSUMED_PEER_RATE)]);
    gate.setPeers("wg1", [budgeted(near, 10_000_000_000)]);
    gate.countersRestarted([near, far]);
    expect(gate.interfacesToMeter()).toEqual(["wg0", "wg1"]);
    gate.countTraffic("wg0", [live(far, 0, 0)]);
    gate.countTraffic("wg1", [live(near, 1_250_000_000, 0)]);
    // wg1 has 8.75 GB left: 7 s.
    now = T0 + 6_999;
    expect(gate.interfacesToMeter()).toEqual([]);
    now = T0 + 7_000;
    expect(gate.interfacesToMeter()).toEqual(["wg1"]);
    now = T0 + MAX_METER_INTERVAL_MS;
    expect(gate.interfacesToMeter()).toEqual(["wg0", "wg1"]);
    gate.countTraffic("wg0", [live(far, 0, 0)]);
    // A peer given a new budget, or a clock that went back, is metered at the next tick.
    gate.updatePeers("wg0", [budgeted(far, 1_000, "b2")], []);
    expect(gate.interfacesToMeter()).toContain("wg0");
    gate.countTraffic("wg0", [live(far, 0, 0)]);
    gate.countTraffic("wg1", [live(near, 1_250_000_000, 0)]);
    now += 1;
    gate.advance();
    expect(gate.interfacesToMeter()).toEqual(["wg0"]);
    gate.advance(T0);
    expect(gate.interfacesToMeter(T0)).toEqual(["wg0", "wg1"]);
  });

  it("keeps the count across a restart with the same id, without counting twice; a new id starts again", async () => {
    const ledger = new MemoryBudgetLedger();
    const k = key();
    const first = new AccessGate({ clock: () => T0, ledger });
    await first.ready;
    first.setPeers("wg0", [budgeted(k, 1_000)]);
    first.countersRestarted([k]);
    first.countTraffic("wg0", [live(k, 300, 0)]);
    await first.save(true);
    // The process restarts; the live counters went on meanwhile (the interface stayed up).
    const second = new AccessGate({ clock: () => T0, ledger });
    await second.ready;
    second.setPeers("wg0", [budgeted(k, 1_000)]);
    second.countTraffic("wg0", [live(k, 500, 0)]);
    expect(second.usedBytes(k)).toBe(500);
    second.setPeers("wg0", [budgeted(k, 1_000, "b2")]);
    expect(second.usedBytes(k)).toBe(0);
    await second.save(true);
    expect(ledger.saved.map((u) => u.budgetId)).toEqual(["b2"]);
  });

  it("re-evaluates only what is due, and everything after the clock went back", async () => {
    let now = T0;
    const gate = new AccessGate({ clock: () => now });
    const [a, b] = [key(), key()];
    gate.setPeers("wg0", [
      { publicKey: a, allowedIps: [], access: { notAfter: T0 + 1_000 } },
      { publicKey: b, allowedIps: [], access: { notAfter: T0 + 5_000 } },
    ]);
    now = T0 + 2_000;
    expect(gate.advance()).toEqual(new Map([["wg0", [a]]]));
    expect(gate.advance()).toEqual(new Map());
    now = T0 + 500;
    expect(gate.advance()).toEqual(new Map([["wg0", [a]]]));
    expect(gate.isOn("wg0", a)).toBe(true);
  });
  it("knows whether any peer has rules through adds, replacements, removals and dropped interfaces", () => {
    const gate = new AccessGate({ clock: () => T0 });
    const plain = (publicKey: string): PeerSpec => ({ publicKey, allowedIps: ["198.51.100.3/32"] });
    const [a, b, c] = [key(), key(), key()];
    gate.setPeers("wg0", [plain(a), budgeted(b, 100)]);
    expect(gate.hasRules()).toBe(true);
    gate.updatePeers("wg0", [plain(b)], []); // the rule taken off by a replacement
    expect(gate.hasRules()).toBe(false);
    gate.updatePeers("wg1", [budgeted(c, 100)], []);
    gate.updatePeers("wg0", [budgeted(a, 100)], []);
    expect(gate.hasRules()).toBe(true);
    gate.updatePeers("wg0", [], [a, "not-there"]);
    expect(gate.hasRules()).toBe(true); // wg1 still has one
    gate.dropInterface("wg1");
    expect(gate.hasRules()).toBe(false);
    gate.setPeers("wg0", [budgeted(a, 100), budgeted(b, 100)]);
    gate.setPeers("wg0", [plain(a)]); // a full apply replaces the count
    expect(gate.hasRules()).toBe(false);
  });
});

describe("DueQueue", () => {
  it("pops what is due in order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000 })),
        fc.integer({ min: 0, max: 1_000 }),
        (ats, now) => {
          const queue = new DueQueue<number>();
          for (const [item, at] of ats.entries()) queue.push({ at, item, generation: 0 });
          const due = queue.popDue(now).map((entry) => entry.at);
          expect(due).toEqual(ats.filter((at) => at <= now).sort((x, y) => x - y));
          expect(queue.size).toBe(ats.filter((at) => at > now).length);
        },
      ),
    );
  });
});
