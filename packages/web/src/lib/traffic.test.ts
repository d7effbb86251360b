import { describe, expect, it } from "vitest";
import type { Traffic } from "../api/types.js";
import { startOfLocalDay, trafficOfNode } from "./traffic.js";

describe("startOfLocalDay", () => {
  it("is the local midnight before the given time", () => {
    const now = new Date(2030, 2, 1, 15, 42, 7, 123);
    const start = new Date(startOfLocalDay(now));
    expect([start.getFullYear(), start.getMonth(), start.getDate()]).toEqual([2030, 2, 1]);
    expect([start.getHours(), start.getMinutes(), start.getSeconds(), start.getMilliseconds()]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(startOfLocalDay(now)).toMatch(/Z$/);
  });
});

describe("trafficOfNode", () => {
  const traffic: Traffic = {
    node: null,
    at: "2030-03-01T12:00:00.000Z",
    todayStart: "2030-03-01T00:00:00.000Z",
    measuredAt: null,
    sampleSeconds: 60,
    now: { rxBytesPerSecond: 0, txBytesPerSecond: 0 },
    today: { rxBytes: 10, txBytes: 20 },
    nodes: [
      {
        nodeId: "local",
        now: { rxBytesPerSecond: 1, txBytesPerSecond: 2 },
        today: { rxBytes: 10, txBytes: 20 },
      },
    ],
  };

  it("finds a node's figures, or null", () => {
    expect(trafficOfNode(traffic, "local")?.today.rxBytes).toBe(10);
    expect(trafficOfNode(traffic, "other")).toBeNull();
    expect(trafficOfNode(null, "local")).toBeNull();
  });
});
