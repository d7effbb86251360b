import { describe, expect, it } from "vitest";
import { effectiveSchedule, peerAccessOf } from "./peer-access.js";

const office = {
  timeZone: "Europe/Berlin",
  windows: [{ days: [1, 2, 3, 4, 5], from: "08:00", to: "18:00" }],
};
const night = { timeZone: "UTC", windows: [{ days: [6], from: "22:00", to: "02:00" }] };

describe("peerAccessOf", () => {
  it("gives no access field to a peer without rules (older agents see the spec they always saw)", () => {
    expect(
      peerAccessOf({ expires_at: null, schedule: null, default_schedule: null, quota_budget: null }),
    ).toBeUndefined();
  });

  it("sends the expiry as ms since the epoch", () => {
    expect(
      peerAccessOf({
        expires_at: "2030-01-31T12:00:00.000Z",
        schedule: null,
        default_schedule: null,
        quota_budget: null,
      }),
    ).toEqual({ notAfter: Date.UTC(2030, 0, 31, 12) });
  });

  it("sends the peer's own schedule before its configuration's default, else the default", () => {
    expect(
      peerAccessOf({
        expires_at: null,
        schedule: JSON.stringify(night),
        default_schedule: JSON.stringify(office),
        quota_budget: null,
      }),
    ).toEqual({ schedule: night });
    expect(
      peerAccessOf({
        expires_at: "2030-01-31T12:00:00.000Z",
        schedule: null,
        default_schedule: JSON.stringify(office),
        quota_budget: null,
      }),
    ).toEqual({ notAfter: Date.UTC(2030, 0, 31, 12), schedule: office });
    expect(effectiveSchedule({ schedule: null, default_schedule: JSON.stringify(office) })).toEqual({
      schedule: office,
      from: "configuration",
    });
    expect(effectiveSchedule({ schedule: JSON.stringify(night), default_schedule: null })?.from).toBe("peer");
  });
});
