import { ValidationError } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import { DEFAULT_STATS_SETTINGS, resolveStatsSettings } from "./stats-settings.js";

describe("resolveStatsSettings", () => {
  it("defaults to a 10 s poll and minutes 7 days, hours 90 days, days 2 years of traffic history", () => {
    expect(resolveStatsSettings({}, {})).toEqual(DEFAULT_STATS_SETTINGS);
    expect(DEFAULT_STATS_SETTINGS).toEqual({
      intervalMs: 10_000,
      retentionDays: 7,
      hourRetentionDays: 90,
      dayRetentionDays: 730,
      lifecycleRetentionDays: 365,
      auditRetentionDays: 365,
    });
  });

  it("reads the environment, and flags win over it", () => {
    const env = {
      WGFLEET_STATS_INTERVAL_SECONDS: "30",
      WGFLEET_STATS_RETENTION_DAYS: "14",
      WGFLEET_STATS_HOUR_RETENTION_DAYS: "30",
      WGFLEET_STATS_DAY_RETENTION_DAYS: "365",
      WGFLEET_LIFECYCLE_HISTORY_RETENTION_DAYS: "90",
      WGFLEET_AUDIT_RETENTION_DAYS: "180",
    };
    expect(resolveStatsSettings({}, env)).toEqual({
      intervalMs: 30_000,
      retentionDays: 14,
      hourRetentionDays: 30,
      dayRetentionDays: 365,
      lifecycleRetentionDays: 90,
      auditRetentionDays: 180,
    });
    expect(
      resolveStatsSettings(
        {
          intervalSeconds: "0.5",
          retentionDays: "2",
          hourRetentionDays: "3",
          dayRetentionDays: "4",
          lifecycleRetentionDays: "5",
          auditRetentionDays: "6",
        },
        env,
      ),
    ).toEqual({
      intervalMs: 500,
      retentionDays: 2,
      hourRetentionDays: 3,
      dayRetentionDays: 4,
      lifecycleRetentionDays: 5,
      auditRetentionDays: 6,
    });
  });

  it("refuses nonsense, naming the flag or variable", () => {
    for (const [flags, env, field] of [
      [{ intervalSeconds: "0" }, {}, "--stats-interval-seconds"],
      [{ intervalSeconds: "ten" }, {}, "--stats-interval-seconds"],
      [{}, { WGFLEET_STATS_INTERVAL_SECONDS: "-5" }, "WGFLEET_STATS_INTERVAL_SECONDS"],
      [{ retentionDays: "1.5" }, {}, "--stats-retention-days"],
      [{}, { WGFLEET_STATS_RETENTION_DAYS: "0" }, "WGFLEET_STATS_RETENTION_DAYS"],
      [{ hourRetentionDays: "x" }, {}, "--stats-hour-retention-days"],
      [{}, { WGFLEET_STATS_DAY_RETENTION_DAYS: "9999" }, "WGFLEET_STATS_DAY_RETENTION_DAYS"],
      [{ lifecycleRetentionDays: "-1" }, {}, "--lifecycle-history-retention-days"],
      [{ auditRetentionDays: "0" }, {}, "--audit-retention-days"],
    ] as const) {
      let caught: unknown;
      try {
        resolveStatsSettings(flags, env);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).field).toBe(field);
    }
  });
});
