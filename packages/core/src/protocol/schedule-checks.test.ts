import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { checkAccessSchedule, checkTimeZone } from "./schedule-checks.js";

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe("checkTimeZone", () => {
  it("takes IANA names, spelled as the time zone database spells them", () => {
    expect(checkTimeZone("Europe/Berlin", "timeZone")).toBe("Europe/Berlin");
    expect(checkTimeZone("europe/berlin", "timeZone")).toBe("Europe/Berlin");
    expect(checkTimeZone("UTC", "timeZone")).toBe("UTC");
    expect(checkTimeZone("America/Argentina/Buenos_Aires", "timeZone")).toBe(
      "America/Argentina/Buenos_Aires",
    );
  });

  it("refuses unknown names and offsets, naming the field", () => {
    for (const bad of ["Mars/Olympus_Mons", "+01:00", "-05:00", "", " ", "Europe/ Berlin", "CEST+1"]) {
      expect(fieldOf(() => checkTimeZone(bad, "defaultSchedule.timeZone"))).toBe("defaultSchedule.timeZone");
    }
  });
});

describe("checkAccessSchedule", () => {
  it("keeps windows, days sorted, the zone canonical", () => {
    expect(
      checkAccessSchedule(
        {
          timeZone: "europe/berlin",
          windows: [
            { days: [5, 1, 3], from: "08:00", to: "18:00" },
            { days: [6], from: "22:00", to: "02:00" },
          ],
        },
        "schedule",
      ),
    ).toEqual({
      timeZone: "Europe/Berlin",
      windows: [
        { days: [1, 3, 5], from: "08:00", to: "18:00" },
        { days: [6], from: "22:00", to: "02:00" },
      ],
    });
  });

  it("names the window that starts at 24:00, the doubled day, and the bad zone", () => {
    const window = { days: [1], from: "08:00", to: "24:00" };
    expect(
      fieldOf(() =>
        checkAccessSchedule(
          { timeZone: "UTC", windows: [window, { days: [2], from: "24:00", to: "01:00" }] },
          "schedule",
        ),
      ),
    ).toBe("schedule.windows[1].from");
    expect(
      fieldOf(() =>
        checkAccessSchedule({ timeZone: "UTC", windows: [{ ...window, days: [1, 1] }] }, "schedule"),
      ),
    ).toBe("schedule.windows[0].days");
    expect(
      fieldOf(() => checkAccessSchedule({ timeZone: "Nowhere/Land", windows: [window] }, "schedule")),
    ).toBe("schedule.timeZone");
    expect(fieldOf(() => checkAccessSchedule({ timeZone: "UTC", windows: [window] }, "schedule"))).toBe(
      undefined,
    );
  });
});
