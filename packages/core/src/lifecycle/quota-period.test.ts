import { describe, expect, it } from "vitest";
import { checkPeerQuota } from "../api/quota-checks.js";
import { ValidationError } from "../errors.js";
import { quotaPeriodAt } from "./quota-period.js";

const utc = (text: string) => Date.parse(`${text}Z`);
const iso = (span: { start: number; end: number | null }) => ({
  start: new Date(span.start).toISOString(),
  end: span.end === null ? null : new Date(span.end).toISOString(),
});
const SET_AT = utc("2026-01-01T00:00:00");

describe("quota periods", () => {
  it("daily: from local midnight to the next", () => {
    const rule = { period: "daily" as const, resetDay: 0 };
    expect(iso(quotaPeriodAt(rule, utc("2026-01-15T23:30:00"), "Europe/Berlin", SET_AT))).toEqual({
      start: "2026-01-15T23:00:00.000Z",
      end: "2026-01-16T23:00:00.000Z",
    });
    expect(iso(quotaPeriodAt(rule, utc("2026-01-15T22:59:59.999"), "Europe/Berlin", SET_AT))).toEqual({
      start: "2026-01-14T23:00:00.000Z",
      end: "2026-01-15T23:00:00.000Z",
    });
    expect(iso(quotaPeriodAt(rule, utc("2026-07-01T03:00:00"), "UTC", SET_AT))).toEqual({
      start: "2026-07-01T00:00:00.000Z",
      end: "2026-07-02T00:00:00.000Z",
    });
  });

  it("daily across daylight saving changes: 23- and 25-hour days", () => {
    const rule = { period: "daily" as const, resetDay: 0 };
    // Berlin springs forward on 29 March 2026, falls back on 25 October 2026.
    expect(iso(quotaPeriodAt(rule, utc("2026-03-29T12:00:00"), "Europe/Berlin", SET_AT))).toEqual({
      start: "2026-03-28T23:00:00.000Z",
      end: "2026-03-29T22:00:00.000Z",
    });
    expect(iso(quotaPeriodAt(rule, utc("2026-10-25T12:00:00"), "Europe/Berlin", SET_AT))).toEqual({
      start: "2026-10-24T22:00:00.000Z",
      end: "2026-10-25T23:00:00.000Z",
    });
    // New York: 8 March and 1 November 2026.
    expect(iso(quotaPeriodAt(rule, utc("2026-03-08T12:00:00"), "America/New_York", SET_AT))).toEqual({
      start: "2026-03-08T05:00:00.000Z",
      end: "2026-03-09T04:00:00.000Z",
    });
    expect(iso(quotaPeriodAt(rule, utc("2026-11-01T05:30:00"), "America/New_York", SET_AT))).toEqual({
      start: "2026-11-01T04:00:00.000Z",
      end: "2026-11-02T05:00:00.000Z",
    });
  });

  it("daily where midnight itself is skipped starts at the end of the gap", () => {
    // America/Santiago springs forward at 00:00 local on 6 September 2026 (to 01:00).
    const span = quotaPeriodAt(
      { period: "daily", resetDay: 0 },
      utc("2026-09-06T12:00:00"),
      "America/Santiago",
      SET_AT,
    );
    expect(iso(span).start).toBe("2026-09-06T04:00:00.000Z");
    expect(span.end).not.toBeNull();
  });

  it("weekly: the last local midnight on the reset weekday", () => {
    // 2026-01-15 is a Thursday.
    const monday = { period: "weekly" as const, resetDay: 1 };
    expect(iso(quotaPeriodAt(monday, utc("2026-01-15T12:00:00"), "Europe/Berlin", SET_AT))).toEqual({
      start: "2026-01-11T23:00:00.000Z",
      end: "2026-01-18T23:00:00.000Z",
    });
    const sunday = { period: "weekly" as const, resetDay: 0 };
    // Sunday 2026-01-18 01:00 Berlin is 00:00Z: the new week has begun.
    expect(iso(quotaPeriodAt(sunday, utc("2026-01-18T00:00:00"), "Europe/Berlin", SET_AT)).start).toBe(
      "2026-01-17T23:00:00.000Z",
    );
    // A week over the spring-forward Sunday is an hour short.
    const span = quotaPeriodAt(monday, utc("2026-03-27T12:00:00"), "Europe/Berlin", SET_AT);
    expect(iso(span)).toEqual({ start: "2026-03-22T23:00:00.000Z", end: "2026-03-29T22:00:00.000Z" });
    const ny = quotaPeriodAt(monday, utc("2026-11-01T12:00:00"), "America/New_York", SET_AT);
    expect(iso(ny)).toEqual({ start: "2026-10-26T04:00:00.000Z", end: "2026-11-02T05:00:00.000Z" });
  });

  it("monthly: local midnight of the reset day of this or the previous month", () => {
    const first = { period: "monthly" as const, resetDay: 1 };
    expect(iso(quotaPeriodAt(first, utc("2026-01-31T23:30:00"), "Europe/Berlin", SET_AT))).toEqual({
      start: "2026-01-31T23:00:00.000Z",
      end: "2026-02-28T23:00:00.000Z",
    });
    expect(iso(quotaPeriodAt(first, utc("2026-01-31T22:30:00"), "Europe/Berlin", SET_AT))).toEqual({
      start: "2025-12-31T23:00:00.000Z",
      end: "2026-01-31T23:00:00.000Z",
    });
    const the15th = { period: "monthly" as const, resetDay: 15 };
    expect(iso(quotaPeriodAt(the15th, utc("2026-03-10T12:00:00"), "America/New_York", SET_AT))).toEqual({
      start: "2026-02-15T05:00:00.000Z",
      end: "2026-03-15T04:00:00.000Z",
    });
    // Across a year boundary, and February with day 28.
    const the28th = { period: "monthly" as const, resetDay: 28 };
    expect(iso(quotaPeriodAt(the28th, utc("2026-01-05T00:00:00"), "UTC", SET_AT))).toEqual({
      start: "2025-12-28T00:00:00.000Z",
      end: "2026-01-28T00:00:00.000Z",
    });
    expect(iso(quotaPeriodAt(the28th, utc("2026-03-01T00:00:00"), "UTC", SET_AT))).toEqual({
      start: "2026-02-28T00:00:00.000Z",
      end: "2026-03-28T00:00:00.000Z",
    });
  });

  it("none: one period from when the quota was set", () => {
    expect(quotaPeriodAt({ period: "none", resetDay: 0 }, utc("2030-01-01T00:00:00"), "UTC", SET_AT)).toEqual(
      {
        start: SET_AT,
        end: null,
      },
    );
  });

  it("every instant of a year lies in exactly the period it names", () => {
    for (const timeZone of ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]) {
      for (const period of ["daily", "weekly", "monthly"] as const) {
        const rule = { period, resetDay: period === "weekly" ? 0 : 1 };
        let previous = quotaPeriodAt(rule, utc("2026-01-01T00:00:00"), timeZone, SET_AT);
        for (
          let at = utc("2026-01-01T00:00:00");
          at < utc("2027-01-01T00:00:00");
          at += 5 * 3_600_000 + 60_000
        ) {
          const span = quotaPeriodAt(rule, at, timeZone, SET_AT);
          expect(span.start).toBeLessThanOrEqual(at);
          expect(span.end).toBeGreaterThan(at);
          if (span.start !== previous.start) expect(span.start).toBe(previous.end);
          previous = span;
        }
      }
    }
  });
});

describe("quota checks", () => {
  it("fills the defaults", () => {
    expect(checkPeerQuota({ bytes: 1000, period: "monthly" })).toEqual({
      bytes: 1000,
      period: "monthly",
      resetDay: 1,
      counting: "total",
      action: "suspend",
      warnAtPercent: null,
    });
    expect(checkPeerQuota({ bytes: 1, period: "weekly" }).resetDay).toBe(1);
    expect(checkPeerQuota({ bytes: 1, period: "daily" }).resetDay).toBe(0);
  });

  it("refuses a reset day the period cannot have, naming quota.resetDay", () => {
    const refused = (quota: Parameters<typeof checkPeerQuota>[0]) => {
      try {
        checkPeerQuota(quota);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).field;
      }
      return "accepted";
    };
    expect(refused({ bytes: 1, period: "weekly", resetDay: 7 })).toBe("quota.resetDay");
    expect(refused({ bytes: 1, period: "monthly", resetDay: 0 })).toBe("quota.resetDay");
    expect(refused({ bytes: 1, period: "daily", resetDay: 3 })).toBe("quota.resetDay");
    expect(refused({ bytes: 1, period: "none", resetDay: 1 })).toBe("quota.resetDay");
    expect(refused({ bytes: 1, period: "monthly", resetDay: 28 })).toBe("accepted");
    expect(refused({ bytes: 1, period: "weekly", resetDay: 0 })).toBe("accepted");
  });
});
