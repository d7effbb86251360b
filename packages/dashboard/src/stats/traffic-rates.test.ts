import { describe, expect, it } from "vitest";
import { bucketStart, TrafficRates } from "./traffic-rates.js";

const T0 = Date.parse("2030-01-01T12:00:00.000Z");

describe("bucketStart", () => {
  it("is the start of the minute, as stored ISO text", () => {
    expect(bucketStart(T0 + 59_999)).toBe("2030-01-01T12:00:00.000Z");
    expect(bucketStart(T0 + 60_000)).toBe("2030-01-01T12:01:00.000Z");
  });
});

describe("TrafficRates", () => {
  it("has no rate after a first reading (its span is unknown), then bytes over the seconds between readings", () => {
    const rates = new TrafficRates();
    rates.observe("if1", "local", { rxBytes: 5_000, txBytes: 5_000 }, T0);
    expect(rates.current(T0, 30_000)).toEqual({ byNode: new Map(), measuredAt: null });
    rates.observe("if1", "local", { rxBytes: 1_000, txBytes: 250 }, T0 + 10_000);
    expect(rates.current(T0 + 10_000, 30_000)).toEqual({
      byNode: new Map([["local", { rxBytesPerSecond: 100, txBytesPerSecond: 25 }]]),
      measuredAt: T0 + 10_000,
    });
  });

  it("sums a node's interfaces and keeps nodes apart", () => {
    const rates = new TrafficRates();
    for (const [id, node] of [
      ["a", "local"],
      ["b", "local"],
      ["c", "n2"],
    ] as const) {
      rates.observe(id, node, { rxBytes: 0, txBytes: 0 }, T0);
      rates.observe(id, node, { rxBytes: 2_000, txBytes: 1_000 }, T0 + 2_000);
    }
    const { byNode } = rates.current(T0 + 2_000, 30_000);
    expect(byNode.get("local")).toEqual({ rxBytesPerSecond: 2_000, txBytesPerSecond: 1_000 });
    expect(byNode.get("n2")).toEqual({ rxBytesPerSecond: 1_000, txBytesPerSecond: 500 });
  });

  it("drops stale rates and forgotten interfaces (the next reading starts over)", () => {
    const rates = new TrafficRates();
    rates.observe("if1", "local", { rxBytes: 0, txBytes: 0 }, T0);
    rates.observe("if1", "local", { rxBytes: 100, txBytes: 100 }, T0 + 1_000);
    expect(rates.current(T0 + 31_001, 30_000).byNode.size).toBe(0);
    rates.forget("if1");
    expect(rates.interfaceIds()).toEqual([]);
    rates.observe("if1", "local", { rxBytes: 9_999, txBytes: 9_999 }, T0 + 40_000);
    expect(rates.current(T0 + 40_000, 30_000).byNode.size).toBe(0);
  });
});
