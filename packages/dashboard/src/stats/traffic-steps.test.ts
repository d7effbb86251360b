// The history query's step arithmetic: alignment, point counts, which resolution a range is held in,
// what auto picks, and the 400s naming `step` (or `from` when even days give too many points).
import { ValidationError } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import {
  DAY_MS,
  finestHeld,
  HOUR_MS,
  MINUTE_MS,
  pointCount,
  resolutionOf,
  resolveStep,
} from "./traffic-steps.js";

const NOW = Date.parse("2030-06-15T12:34:56.000Z");
const KEPT = { minute: 7, hour: 90 };

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe("traffic steps", () => {
  it("counts points from the step holding `from`, so a range never loses its first partial step", () => {
    expect(pointCount(NOW - HOUR_MS, NOW, MINUTE_MS)).toBe(61);
    expect(pointCount(Date.parse("2030-06-15T00:00:00Z"), Date.parse("2030-06-16T00:00:00Z"), HOUR_MS)).toBe(
      24,
    );
  });

  it("knows which resolution still holds a range, and which resolution a step reads", () => {
    expect(finestHeld(NOW - 7 * DAY_MS, NOW, KEPT)).toBe("minute");
    expect(finestHeld(NOW - 7 * DAY_MS - 1, NOW, KEPT)).toBe("hour");
    expect(finestHeld(NOW - 91 * DAY_MS, NOW, KEPT)).toBe("day");
    expect(["1m", "5m", "15m", "1h", "6h", "1d"].map((s) => resolutionOf(s as "1m"))).toEqual([
      "minute",
      "minute",
      "minute",
      "hour",
      "hour",
      "day",
    ]);
  });

  it("picks the finest held step with at most 1,000 points for auto", () => {
    const auto = (span: number) =>
      resolveStep("auto", { fromMs: NOW - span, toMs: NOW }, finestHeld(NOW - span, NOW, KEPT), KEPT);
    expect(auto(16 * HOUR_MS)).toBe("1m");
    expect(auto(17 * HOUR_MS)).toBe("5m");
    expect(auto(8 * DAY_MS)).toBe("1h");
    expect(auto(100 * DAY_MS)).toBe("1d");
    expect(fieldOf(() => auto(1_001 * DAY_MS))).toBe("from");
  });

  it("refuses an explicit step the history no longer holds or that gives more than 1,000 points", () => {
    const range = { fromMs: NOW - 2 * DAY_MS, toMs: NOW };
    expect(resolveStep("15m", range, "minute", KEPT)).toBe("15m");
    expect(fieldOf(() => resolveStep("1m", range, "minute", KEPT))).toBe("step");
    expect(fieldOf(() => resolveStep("15m", range, "hour", KEPT))).toBe("step");
    expect(fieldOf(() => resolveStep("6h", range, "day", KEPT))).toBe("step");
  });
});
