import { describe, expect, it } from "vitest";
import { describeDays, weekdayNames } from "./weekdays.js";

describe("weekdays", () => {
  it("names the API's days (0 = Sunday) in the language", () => {
    expect(weekdayNames("en")).toEqual(["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]);
    expect(weekdayNames("de", "long")[1]).toBe("Montag");
  });

  it("joins runs of three days or more and lists the rest, Monday first", () => {
    expect(describeDays([1, 2, 3, 4, 5], "en")).toBe("Mon–Fri");
    expect(describeDays([0, 6], "en")).toBe("Sat, Sun");
    expect(describeDays([0, 1, 2, 3, 4, 5, 6], "en")).toBe("Mon–Sun");
    expect(describeDays([1, 3, 4, 5, 0], "en")).toBe("Mon, Wed–Fri, Sun");
  });
});
