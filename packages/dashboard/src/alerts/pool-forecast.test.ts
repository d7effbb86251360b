// The pool forecast: days until full at the rate of the readings' span, null when nothing can be said.
import { expect, it } from "vitest";
import { forecastDays, hourOf } from "./pool-forecast.js";

const at = (hoursAfter: number) => new Date(Date.UTC(2026, 2, 1) + hoursAfter * 3_600_000).toISOString();

it("divides what is free by the rate of the last week's readings", () => {
  // 70 addresses in 7 days: 10 a day; 25 free → 2.5 days.
  expect(
    forecastDays(
      [
        { hour: at(0), used: 100 },
        { hour: at(24 * 7), used: 170 },
      ],
      25,
    ),
  ).toBe(2.5);
  // 3 in 2 hours: 36 a day; 10 free → 0.2777… days, rounded up to a tenth.
  expect(
    forecastDays(
      [
        { hour: at(0), used: 1 },
        { hour: at(1), used: 2 },
        { hour: at(2), used: 4 },
      ],
      10,
    ),
  ).toBe(0.3);
});

it("says nothing for a pool that is not filling or has less than an hour of history", () => {
  expect(forecastDays([], 10)).toBeNull();
  expect(forecastDays([{ hour: at(0), used: 5 }], 10)).toBeNull();
  // Adjacent hours: the readings may be seconds apart (the last of one hour, the first of the next).
  expect(
    forecastDays(
      [
        { hour: at(0), used: 1 },
        { hour: at(1), used: 12 },
      ],
      1,
    ),
  ).toBeNull();
  expect(
    forecastDays(
      [
        { hour: at(0), used: 5 },
        { hour: at(48), used: 5 },
      ],
      10,
    ),
  ).toBeNull();
  expect(
    forecastDays(
      [
        { hour: at(0), used: 9 },
        { hour: at(48), used: 5 },
      ],
      10,
    ),
  ).toBeNull();
});

it("is 0 for a full pool", () => {
  expect(
    forecastDays(
      [
        { hour: at(0), used: 5 },
        { hour: at(5), used: 9 },
      ],
      0,
    ),
  ).toBe(0);
});

it("buckets times by their hour", () => {
  expect(hourOf(Date.parse("2026-03-01T10:59:59.999Z"))).toBe("2026-03-01T10:00:00.000Z");
});
