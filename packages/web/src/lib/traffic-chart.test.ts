import { describe, expect, it } from "vitest";
import type { TrafficHistory } from "../api/types.js";
import {
  fillTraffic,
  formatRateIn,
  handshakeMarks,
  perSecond,
  rangeWindow,
  TRAFFIC_RANGES,
  timeTickFormatter,
  trafficTotals,
  withAlpha,
} from "./traffic-chart.js";

function history(overrides: Partial<TrafficHistory> = {}): TrafficHistory {
  return {
    scope: "peer",
    id: "p1",
    from: "2030-03-01T11:00:00.000Z",
    to: "2030-03-01T12:00:00.000Z",
    step: "1m",
    stepSeconds: 60,
    points: [],
    ...overrides,
  };
}

describe("rangeWindow", () => {
  it("ends at the next whole minute and reaches back the range's length", () => {
    const now = Date.parse("2030-03-01T12:00:30.500Z");
    const lengths = {
      hour: 3_600_000,
      day: 86_400_000,
      week: 604_800_000,
      month: 2_592_000_000,
      year: 31_536_000_000,
    };
    for (const range of TRAFFIC_RANGES) {
      const window = rangeWindow(range, now);
      expect(window.to).toBe("2030-03-01T12:01:00.000Z");
      expect(Date.parse(window.to) - Date.parse(window.from)).toBe(lengths[range]);
    }
  });

  it("asks the same window for every refresh within a minute (so the ETag can answer 304)", () => {
    const a = rangeWindow("day", Date.parse("2030-03-01T12:00:01Z"));
    const b = rangeWindow("day", Date.parse("2030-03-01T12:00:59Z"));
    expect(a).toEqual(b);
    expect(rangeWindow("day", Date.parse("2030-03-01T12:00:00Z")).to).toBe("2030-03-01T12:00:00.000Z");
  });
});

describe("fillTraffic", () => {
  it("has a bucket per step over the window, zeros where no point was sent, rates per second", () => {
    const series = fillTraffic(
      history({
        points: [
          { at: "2030-03-01T11:02:00.000Z", rxBytes: 600, txBytes: 120 },
          { at: "2030-03-01T11:59:00.000Z", rxBytes: 60, txBytes: 0 },
        ],
      }),
    );
    expect(series.times).toHaveLength(60);
    expect(series.times[0]).toBe(Date.parse("2030-03-01T11:00:00Z") / 1000);
    expect(series.times[1]! - series.times[0]!).toBe(60);
    expect(series.rx[2]).toBe(10);
    expect(series.tx[2]).toBe(2);
    expect(series.rx[59]).toBe(1);
    expect(series.rx.filter((v) => v !== 0)).toHaveLength(2);
    expect(series.tx.reduce((a, b) => a + b, 0) * 60).toBe(120);
  });

  it("follows the points' own grid when the window does not start on a bucket", () => {
    const series = fillTraffic(
      history({
        from: "2030-03-01T11:00:30.000Z",
        to: "2030-03-01T12:00:30.000Z",
        points: [{ at: "2030-03-01T11:00:00.000Z", rxBytes: 60, txBytes: 60 }],
      }),
    );
    expect(series.times[0]).toBe(Date.parse("2030-03-01T11:00:00Z") / 1000);
    expect(series.rx[0]).toBe(1);
    expect(series.times.at(-1)).toBe(Date.parse("2030-03-01T12:00:00Z") / 1000);
  });

  it("puts a point off the grid into the bucket it falls in, and drops points outside the window", () => {
    const series = fillTraffic(
      history({
        points: [
          { at: "2030-03-01T11:00:00.000Z", rxBytes: 60, txBytes: 0 },
          { at: "2030-03-01T11:00:30.000Z", rxBytes: 60, txBytes: 0 },
          { at: "2030-03-01T13:00:00.000Z", rxBytes: 6000, txBytes: 0 },
        ],
      }),
    );
    expect(series.rx[0]).toBe(2);
    expect(series.rx.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it("is all zeros without points", () => {
    const series = fillTraffic(history({ step: "1h", stepSeconds: 3600 }));
    expect(series.times).toHaveLength(1);
    expect(series.rx).toEqual([0]);
  });
});

describe("totals and rates", () => {
  it("sums the answer's bytes", () => {
    expect(
      trafficTotals(
        history({
          points: [
            { at: "2030-03-01T11:02:00.000Z", rxBytes: 600, txBytes: 120 },
            { at: "2030-03-01T11:03:00.000Z", rxBytes: 1, txBytes: 2 },
          ],
        }),
      ),
    ).toEqual({ rxBytes: 601, txBytes: 122 });
    expect(trafficTotals(history())).toEqual({ rxBytes: 0, txBytes: 0 });
  });

  it("turns bytes per step into bytes per second", () => {
    expect(perSecond(3600, 3600)).toBe(1);
    expect(perSecond(90, 60)).toBe(1.5);
    expect(perSecond(5, 0)).toBe(0);
  });

  it("writes rates in the reader's language", () => {
    expect(formatRateIn("en", 1536)).toBe("1.50 KiB/s");
    expect(formatRateIn("de", 1536)).toBe("1,50 KiB/s");
  });
});

describe("handshakeMarks", () => {
  it("places handshakes across the window and leaves out those outside it", () => {
    const marks = handshakeMarks(
      history({
        handshakes: ["2030-03-01T10:59:00.000Z", "2030-03-01T11:30:00.000Z", "2030-03-01T12:00:00.000Z"],
      }),
    );
    expect(marks).toEqual([
      { at: "2030-03-01T11:30:00.000Z", percent: 50 },
      { at: "2030-03-01T12:00:00.000Z", percent: 100 },
    ]);
    expect(handshakeMarks(history())).toEqual([]);
  });
});

describe("axis text", () => {
  it("writes clock times for short ranges and dates for long ones, in the reader's language", () => {
    const noon = Date.parse("2030-03-01T12:00:00Z") / 1000;
    expect(timeTickFormatter("hour", "en")(noon)).toMatch(/\d{2}:\d{2}/);
    expect(timeTickFormatter("month", "en")(noon)).toMatch(/Mar/);
    expect(timeTickFormatter("month", "de")(noon)).toMatch(/März/);
  });

  it("makes a see-through fill of a computed rgb color, and no fill of anything else", () => {
    expect(withAlpha("rgb(31, 111, 235)", 0.15)).toBe("rgba(31, 111, 235, 0.15)");
    expect(withAlpha("color(srgb 0 0 1)", 0.15)).toBe("transparent");
  });
});
