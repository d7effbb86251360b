import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AccessSchedule, PeerAccess } from "../protocol/v1.js";
import { DAY_MS, instantsOfLocal, MINUTE_MS } from "../time/zoned-time.js";
import { evaluatePeerAccess, nextAccessChangeAt } from "./evaluate.js";
import { isInSchedule, nextScheduleChangeAt, SCHEDULE_HORIZON_MS } from "./schedule.js";

const utc = (text: string) => Date.parse(`${text}Z`);
const officeHours: AccessSchedule = {
  timeZone: "Europe/Berlin",
  windows: [{ days: [1, 2, 3, 4, 5], from: "09:00", to: "17:00" }],
};

describe("weekly schedules", () => {
  it("is on from `from` inclusive to `to` exclusive on the zone's wall clock", () => {
    // Monday 2026-01-12: Berlin is UTC+1.
    expect(isInSchedule(officeHours, utc("2026-01-12T07:59:59.999"))).toBe(false);
    expect(isInSchedule(officeHours, utc("2026-01-12T08:00:00"))).toBe(true);
    expect(isInSchedule(officeHours, utc("2026-01-12T15:59:59.999"))).toBe(true);
    expect(isInSchedule(officeHours, utc("2026-01-12T16:00:00"))).toBe(false);
    // Sunday: no window.
    expect(isInSchedule(officeHours, utc("2026-01-11T10:00:00"))).toBe(false);
    // Summer: UTC+2.
    expect(isInSchedule(officeHours, utc("2026-07-13T07:00:00"))).toBe(true);
    expect(isInSchedule(officeHours, utc("2026-07-13T06:59:59"))).toBe(false);
  });

  it("runs a window whose end is at or before its start past midnight, also from Saturday into Sunday", () => {
    const nights: AccessSchedule = { timeZone: "UTC", windows: [{ days: [6], from: "22:00", to: "02:00" }] };
    expect(isInSchedule(nights, utc("2026-01-10T23:00:00"))).toBe(true); // Saturday
    expect(isInSchedule(nights, utc("2026-01-11T01:59:59"))).toBe(true); // Sunday
    expect(isInSchedule(nights, utc("2026-01-11T02:00:00"))).toBe(false);
    const fullDay: AccessSchedule = { timeZone: "UTC", windows: [{ days: [3], from: "10:00", to: "10:00" }] };
    expect(isInSchedule(fullDay, utc("2026-01-15T09:59:00"))).toBe(true); // Thursday, 23:59 in
    expect(isInSchedule(fullDay, utc("2026-01-15T10:00:00"))).toBe(false);
    const toMidnight: AccessSchedule = {
      timeZone: "UTC",
      windows: [{ days: [0], from: "00:00", to: "24:00" }],
    };
    expect(isInSchedule(toMidnight, utc("2026-01-11T23:59:59.999"))).toBe(true);
    expect(isInSchedule(toMidnight, utc("2026-01-12T00:00:00"))).toBe(false);
  });

  it("follows the wall clock across daylight saving changes", () => {
    // A window starting in the skipped hour starts when the gap ends (03:00 CEST = 01:00Z).
    const skipped: AccessSchedule = {
      timeZone: "Europe/Berlin",
      windows: [{ days: [0], from: "02:30", to: "04:00" }],
    };
    expect(isInSchedule(skipped, utc("2026-03-29T00:59:59.999"))).toBe(false);
    expect(isInSchedule(skipped, utc("2026-03-29T01:00:00"))).toBe(true);
    expect(nextScheduleChangeAt(skipped, utc("2026-03-28T12:00:00"))).toBe(utc("2026-03-29T01:00:00"));
    // A window in the repeated hour is on both times, and off between them.
    const repeated: AccessSchedule = {
      timeZone: "Europe/Berlin",
      windows: [{ days: [0], from: "02:15", to: "02:45" }],
    };
    expect(isInSchedule(repeated, utc("2026-10-25T00:20:00"))).toBe(true);
    expect(isInSchedule(repeated, utc("2026-10-25T00:50:00"))).toBe(false);
    expect(isInSchedule(repeated, utc("2026-10-25T01:20:00"))).toBe(true);
    expect(nextScheduleChangeAt(repeated, utc("2026-10-25T00:50:00"))).toBe(utc("2026-10-25T01:15:00"));
    // Across the fall-back jump itself: 01:30-02:30 is left at 02:30 CEST (00:30Z), and entered again
    // when the clock falls back from 03:00 to 02:00 (01:00Z), until 02:30 CET (01:30Z).
    const across: AccessSchedule = {
      timeZone: "Europe/Berlin",
      windows: [{ days: [0], from: "01:30", to: "02:30" }],
    };
    expect(nextScheduleChangeAt(across, utc("2026-10-25T00:10:00"))).toBe(utc("2026-10-25T00:30:00"));
    expect(nextScheduleChangeAt(across, utc("2026-10-25T00:40:00"))).toBe(utc("2026-10-25T01:00:00"));
    expect(isInSchedule(across, utc("2026-10-25T01:00:00"))).toBe(true);
    expect(nextScheduleChangeAt(across, utc("2026-10-25T01:00:00"))).toBe(utc("2026-10-25T01:30:00"));
  });

  it("names the next edge, and the horizon when nothing changes", () => {
    expect(nextScheduleChangeAt(officeHours, utc("2026-01-12T10:00:00"))).toBe(utc("2026-01-12T16:00:00"));
    expect(nextScheduleChangeAt(officeHours, utc("2026-01-16T17:00:00"))).toBe(utc("2026-01-19T08:00:00"));
    const always: AccessSchedule = {
      timeZone: "UTC",
      windows: [{ days: [0, 1, 2, 3, 4, 5, 6], from: "00:00", to: "24:00" }],
    };
    const now = utc("2026-01-12T10:00:00");
    expect(nextScheduleChangeAt(always, now)).toBe(now + SCHEDULE_HORIZON_MS);
  });
});

const ZONES = [
  "UTC",
  "Europe/Berlin",
  "America/New_York",
  "Australia/Lord_Howe",
  "Asia/Kolkata",
  "America/Santiago",
];
const clock = fc
  .tuple(fc.integer({ min: 0, max: 24 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => (h === 24 ? "24:00" : `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`));
const windowArb = fc.record({
  days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
  from: clock.filter((text) => text !== "24:00"),
  to: clock,
});
const scheduleArb = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  windows: fc.array(windowArb, { minLength: 1, maxLength: 3 }),
});
// 2024-2028, so daylight saving changes of every zone above are crossed often.
const instantArb = fc.integer({ min: utc("2024-01-01T00:00:00"), max: utc("2028-01-01T00:00:00") });

describe("schedule properties", () => {
  it("a wall-clock time inside a window is on", () => {
    fc.assert(
      fc.property(
        scheduleArb,
        instantArb,
        fc.nat(),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (s, t, pick, at) => {
          const window = s.windows[pick % s.windows.length] as AccessSchedule["windows"][number];
          const day = window.days[pick % window.days.length] as number;
          const [fh, fm] = window.from.split(":").map(Number) as [number, number];
          const [th, tm] = window.to.split(":").map(Number) as [number, number];
          const from = (fh * 60 + fm) * MINUTE_MS;
          const to = (th * 60 + tm) * MINUTE_MS;
          const length = to > from ? to - from : DAY_MS - from + to;
          // A local day with the window's weekday near t (1970-01-01 was a Thursday).
          const localDay = Math.floor(t / DAY_MS) * DAY_MS;
          const weekday = (Math.floor(localDay / DAY_MS) + 4) % 7;
          const dayStart = localDay + ((day - weekday + 7) % 7) * DAY_MS;
          const local = dayStart + from + Math.floor(at * length);
          for (const instant of instantsOfLocal(local, s.timeZone)) {
            expect(isInSchedule(s, instant)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the answer holds until the next change and differs there", () => {
    fc.assert(
      fc.property(
        scheduleArb,
        instantArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        (s, now, fractions) => {
          const inside = isInSchedule(s, now);
          const next = nextScheduleChangeAt(s, now);
          expect(next).toBeGreaterThan(now);
          expect(next).toBeLessThanOrEqual(now + SCHEDULE_HORIZON_MS);
          for (const fraction of [...fractions, 0.999999]) {
            const between = Math.min(next - 1, now + Math.floor((next - now) * fraction));
            expect(isInSchedule(s, between)).toBe(inside);
          }
          expect(isInSchedule(s, next - 1)).toBe(inside);
          if (next < now + SCHEDULE_HORIZON_MS) expect(isInSchedule(s, next)).toBe(!inside);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("evaluatePeerAccess", () => {
  it("is on without rules and off with the first reason that applies", () => {
    const now = utc("2026-01-12T10:00:00");
    expect(evaluatePeerAccess(undefined, now)).toEqual({ on: true });
    const all: PeerAccess = {
      notAfter: now,
      schedule: { timeZone: "UTC", windows: [{ days: [0], from: "00:00", to: "01:00" }] },
      budget: { id: "b1", bytesLeft: 100, counting: "total" },
    };
    expect(evaluatePeerAccess(all, now, 100)).toEqual({ on: false, reason: "expired" });
    expect(evaluatePeerAccess(all, now - 1, 100)).toEqual({ on: false, reason: "quota" });
    expect(evaluatePeerAccess(all, now - 1, 99)).toEqual({ on: false, reason: "schedule" });
    expect(evaluatePeerAccess({ ...all, schedule: officeHours }, now - 1, 99)).toEqual({ on: true });
  });

  it("the expiry instant is off, the millisecond before it on", () => {
    fc.assert(
      fc.property(instantArb, (notAfter) => {
        expect(evaluatePeerAccess({ notAfter }, notAfter - 1).on).toBe(true);
        expect(evaluatePeerAccess({ notAfter }, notAfter).on).toBe(false);
        expect(nextAccessChangeAt({ notAfter }, notAfter - 1000)).toBe(notAfter);
        expect(nextAccessChangeAt({ notAfter }, notAfter)).toBeNull();
      }),
    );
  });

  it("the next change is the expiry or the window edge, whichever comes first", () => {
    const now = utc("2026-01-12T10:00:00");
    expect(nextAccessChangeAt(undefined, now)).toBeNull();
    expect(nextAccessChangeAt({ budget: { id: "b", bytesLeft: 1, counting: "rx" } }, now)).toBeNull();
    expect(nextAccessChangeAt({ schedule: officeHours, notAfter: now + 60_000 }, now)).toBe(now + 60_000);
    expect(nextAccessChangeAt({ schedule: officeHours, notAfter: now + DAY_MS }, now)).toBe(
      utc("2026-01-12T16:00:00"),
    );
  });
});
