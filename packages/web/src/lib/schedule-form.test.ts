import { describe, expect, it } from "vitest";
import type { AccessSchedule } from "../api/types.js";
import { alwaysSchedule, scheduleChanged, scheduleFormOf, scheduleOf } from "./schedule-form.js";

const OFFICE: AccessSchedule = {
  timeZone: "Europe/Berlin",
  windows: [
    { days: [5, 1, 2, 3, 4], from: "08:00", to: "18:00" },
    { days: [6], from: "22:00", to: "24:00" },
  ],
};

describe("the schedule form", () => {
  it("reads no schedule as the place's meaning of none: a peer's default, a configuration's always", () => {
    expect(scheduleFormOf(null, "Asia/Tokyo", "default")).toMatchObject({
      mode: "default",
      timeZone: "Asia/Tokyo",
    });
    expect(scheduleFormOf(null, "UTC", "always").mode).toBe("always");
    expect(scheduleOf(scheduleFormOf(null, "UTC", "default"), "default")).toBeNull();
    expect(scheduleOf(scheduleFormOf(null, "UTC", "always"), "always")).toBeNull();
  });

  it("turns windows into the form and back, 24:00 shown as 00:00 and sent as 24:00, days sorted", () => {
    const form = scheduleFormOf(OFFICE, "UTC", "default");
    expect(form.mode).toBe("custom");
    expect(form.timeZone).toBe("Europe/Berlin");
    expect(form.windows).toEqual([
      { days: [1, 2, 3, 4, 5], from: "08:00", to: "18:00" },
      { days: [6], from: "22:00", to: "00:00" },
    ]);
    expect(scheduleOf(form, "default")).toEqual({
      timeZone: "Europe/Berlin",
      windows: [
        { days: [1, 2, 3, 4, 5], from: "08:00", to: "18:00" },
        { days: [6], from: "22:00", to: "24:00" },
      ],
    });
    expect(scheduleChanged(form, OFFICE, "UTC", "default")).toBe(false);
    form.windows[1] = { days: [0, 6], from: "22:00", to: "06:00" };
    expect(scheduleChanged(form, OFFICE, "UTC", "default")).toBe(true);
  });

  it("sends a peer's 'always' as its own whole-week schedule, so the configuration's default stops applying", () => {
    const form = { ...scheduleFormOf(null, "Europe/Berlin", "default"), mode: "always" as const };
    expect(scheduleOf(form, "default")).toEqual(alwaysSchedule("Europe/Berlin"));
    expect(scheduleFormOf(alwaysSchedule("Europe/Berlin"), "UTC", "default").mode).toBe("always");
    // A configuration's whole-week window is a schedule like any other there.
    expect(scheduleFormOf(alwaysSchedule("UTC"), "UTC", "always").mode).toBe("custom");
  });

  it("sends the chosen time zone with the windows", () => {
    const form = {
      ...scheduleFormOf(null, "UTC", "always"),
      mode: "custom" as const,
      timeZone: "America/New_York",
    };
    expect(scheduleOf(form, "always")).toEqual({
      timeZone: "America/New_York",
      windows: [{ days: [1, 2, 3, 4, 5], from: "08:00", to: "18:00" }],
    });
  });
});
