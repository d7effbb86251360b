import { describe, expect, it } from "vitest";
import {
  firstInstantAtOrAfterLocal,
  HOUR_MS,
  instantsOfLocal,
  isTimeZone,
  localMsOf,
  offsetAt,
  offsetChangesBetween,
} from "./zoned-time.js";

const utc = (text: string) => Date.parse(`${text}Z`);

describe("zoned time", () => {
  it("reads the wall clock of a zone, daylight saving included", () => {
    expect(localMsOf(utc("2026-01-15T12:00:00.250"), "Europe/Berlin")).toBe(utc("2026-01-15T13:00:00.250"));
    expect(offsetAt(utc("2026-07-15T12:00:00"), "Europe/Berlin")).toBe(2 * HOUR_MS);
    expect(offsetAt(utc("2026-07-15T12:00:00"), "America/New_York")).toBe(-4 * HOUR_MS);
    expect(offsetAt(utc("2026-07-15T12:00:00"), "Asia/Kolkata")).toBe(5.5 * HOUR_MS);
  });

  it("finds no instant in a spring-forward gap, two in a fall-back hour", () => {
    // Berlin 2026: 02:00 -> 03:00 on 29 March (01:00Z); 03:00 -> 02:00 on 25 October (01:00Z).
    expect(instantsOfLocal(utc("2026-03-29T02:30:00"), "Europe/Berlin")).toEqual([]);
    expect(firstInstantAtOrAfterLocal(utc("2026-03-29T02:30:00"), "Europe/Berlin")).toBe(
      utc("2026-03-29T01:00:00"),
    );
    expect(instantsOfLocal(utc("2026-10-25T02:30:00"), "Europe/Berlin")).toEqual([
      utc("2026-10-25T00:30:00"),
      utc("2026-10-25T01:30:00"),
    ]);
    expect(instantsOfLocal(utc("2026-06-01T10:00:00"), "Europe/Berlin")).toEqual([
      utc("2026-06-01T08:00:00"),
    ]);
  });

  it("finds offset changes to the millisecond", () => {
    expect(
      offsetChangesBetween(utc("2026-03-20T00:00:00"), utc("2026-04-05T00:00:00"), "Europe/Berlin"),
    ).toEqual([utc("2026-03-29T01:00:00")]);
    expect(offsetChangesBetween(utc("2026-03-20T00:00:00"), utc("2026-04-05T00:00:00"), "UTC")).toEqual([]);
  });

  it("knows real zones only", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("+01:00")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});
