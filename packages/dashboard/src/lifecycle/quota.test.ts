import type { PeerQuotaDto } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import { freshBudget, newQuotaColumns, planQuotaChange, quotaFieldsOf, usedBytes } from "./quota.js";

const DAILY: PeerQuotaDto = {
  bytes: 1_000,
  period: "daily",
  resetDay: 0,
  counting: "total",
  action: "suspend",
  warnAtPercent: null,
};
const NOW = Date.parse("2026-03-29T10:00:00.000Z");
const PERIOD = { start: "2026-03-28T23:00:00.000Z", end: "2026-03-29T22:00:00.000Z" };

describe("traffic quota arithmetic", () => {
  it("counts rx, tx or both", () => {
    const counters = { usedRx: 300, usedTx: 50 };
    expect(usedBytes("total", counters)).toBe(350);
    expect(usedBytes("rx", counters)).toBe(300);
    expect(usedBytes("tx", counters)).toBe(50);
  });

  it("gives the node what is left, never less than nothing, under a new id each time", () => {
    const a = freshBudget(DAILY, { usedRx: 400, usedTx: 100 });
    const b = freshBudget(DAILY, { usedRx: 900, usedTx: 900 });
    expect(a).toMatchObject({ bytesLeft: 500, counting: "total" });
    expect(b.bytesLeft).toBe(0);
    expect(a.id).toMatch(/^q:[0-9a-f-]{36}$/);
    expect(a.id).not.toBe(b.id);
  });

  it("keeps what the period used when only the budget changes", () => {
    const current = { quota: DAILY, period: PERIOD, usedRx: 600, usedTx: 0, start: { rx: 5_000, tx: 70 } };
    const change = planQuotaChange(current, { ...DAILY, bytes: 2_000 }, "Europe/Berlin", NOW);
    expect(change.setting).toMatchObject({ period: PERIOD, start: { rx: 5_000, tx: 70 } });
    expect(JSON.parse(change.budget as string)).toMatchObject({ bytesLeft: 1_400 });
  });

  it("starts a new period from zero when the period changes, in the configuration's time zone", () => {
    const current = { quota: DAILY, period: PERIOD, usedRx: 600, usedTx: 0, start: { rx: 5_000, tx: 70 } };
    const weekly = { ...DAILY, period: "weekly" as const, resetDay: 1 };
    const change = planQuotaChange(current, weekly, "Europe/Berlin", NOW);
    // Monday 2026-03-23 00:00 in Berlin (CET) to Monday 2026-03-30 00:00 (CEST, after the switch).
    expect(change.setting?.period).toEqual({
      start: "2026-03-22T23:00:00.000Z",
      end: "2026-03-29T22:00:00.000Z",
    });
    expect(change.setting?.start).toBe("totals-now");
    expect(JSON.parse(change.budget as string)).toMatchObject({ bytesLeft: 1_000 });
  });

  it("removes the quota and the budget with null", () => {
    expect(planQuotaChange(undefined, null, "UTC", NOW)).toEqual({ setting: null, budget: null });
  });

  it("answers quota and usage from the joined columns, or nulls without a quota", () => {
    expect(quotaFieldsOf(newQuotaColumns(null))).toEqual({ quota: null, quotaUsage: null });
    const columns = {
      ...newQuotaColumns({ quota: DAILY, period: PERIOD }),
      quotaUsedRx: "333",
      quotaUsedTx: 0,
    };
    expect(quotaFieldsOf(columns)).toEqual({
      quota: DAILY,
      quotaUsage: { periodStart: PERIOD.start, periodEnd: PERIOD.end, usedBytes: 333, percent: 33.3 },
    });
  });
});
