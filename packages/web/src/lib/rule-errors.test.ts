import { describe, expect, it } from "vitest";
import { pathBelow, quotaPartOf, schedulePartOf } from "./rule-errors.js";

describe("rule error paths", () => {
  it("takes the path below its group, and nothing from another group", () => {
    expect(pathBelow("quota.bytes", "quota")).toBe("bytes");
    expect(pathBelow("schedule.windows[0].from", "schedule")).toBe("windows[0].from");
    expect(pathBelow("quota", "quota")).toBe("");
    expect(pathBelow("quotas.bytes", "quota")).toBe("");
    expect(pathBelow(undefined, "quota")).toBe("");
  });

  it("puts a quota error next to the input it is about, the amount for the quota as a whole", () => {
    expect(quotaPartOf("quota.warnAtPercent")).toBe("warnAtPercent");
    expect(quotaPartOf("quota.resetDay")).toBe("resetDay");
    expect(quotaPartOf("quota.period")).toBe("period");
    expect(quotaPartOf("quota.bytes")).toBe("amount");
    expect(quotaPartOf("quota")).toBe("amount");
  });

  it("finds the window, the time zone or the whole schedule", () => {
    expect(schedulePartOf("schedule.windows[2].days", "schedule")).toEqual({ window: 2 });
    expect(schedulePartOf("defaultSchedule.windows.1.from", "defaultSchedule")).toEqual({ window: 1 });
    expect(schedulePartOf("schedule.timeZone", "schedule")).toBe("timeZone");
    expect(schedulePartOf("schedule.windows", "schedule")).toBe("schedule");
    expect(schedulePartOf("schedule", "schedule")).toBe("schedule");
  });
});
