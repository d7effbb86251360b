import { describe, expect, it } from "vitest";
import { DEFAULT_NODE_SETTINGS, resolveNodeSettings } from "./node-settings.js";

describe("node settings", () => {
  it("defaults to a 10 s health interval, 5 s timeouts and offline after 3 failures", () => {
    const settings = resolveNodeSettings({}, {});
    expect(settings).toEqual(DEFAULT_NODE_SETTINGS);
    expect(settings.healthIntervalMs).toBe(10_000);
    expect(settings.agentTimeoutMs).toBe(5_000);
    expect(settings.healthTimeoutMs).toBe(5_000);
    expect(settings.offlineAfterFailures).toBe(3);
  });

  it("takes flags over seconds over milliseconds from the environment", () => {
    const env = {
      WGFLEET_HEALTH_INTERVAL_SECONDS: "2",
      WGFLEET_HEALTH_INTERVAL_MS: "700",
      WGFLEET_AGENT_TIMEOUT_MS: "1500",
      WGFLEET_OFFLINE_AFTER: "4",
    };
    const fromEnv = resolveNodeSettings({}, env);
    expect(fromEnv.healthIntervalMs).toBe(2_000);
    expect(fromEnv.agentTimeoutMs).toBe(1_500);
    expect(fromEnv.healthTimeoutMs).toBe(1_500);
    expect(fromEnv.offlineAfterFailures).toBe(4);
    expect(resolveNodeSettings({}, { WGFLEET_HEALTH_INTERVAL_MS: "700" }).healthIntervalMs).toBe(700);
    const fromFlags = resolveNodeSettings(
      {
        healthIntervalSeconds: "0.5",
        agentTimeoutSeconds: "3",
        healthTimeoutSeconds: "1",
        offlineAfter: "2",
      },
      env,
    );
    expect(fromFlags).toMatchObject({
      healthIntervalMs: 500,
      agentTimeoutMs: 3_000,
      healthTimeoutMs: 1_000,
      offlineAfterFailures: 2,
    });
  });

  it("names the setting when a value is not a duration or a count", () => {
    expect(() => resolveNodeSettings({ healthIntervalSeconds: "often" }, {})).toThrow(
      /--health-interval-seconds/,
    );
    expect(() => resolveNodeSettings({}, { WGFLEET_HEALTH_INTERVAL_SECONDS: "0" })).toThrow(
      /WGFLEET_HEALTH_INTERVAL_SECONDS/,
    );
    expect(() => resolveNodeSettings({}, { WGFLEET_AGENT_TIMEOUT_MS: "-5" })).toThrow(
      /WGFLEET_AGENT_TIMEOUT_MS/,
    );
    expect(() => resolveNodeSettings({ offlineAfter: "1.5" }, {})).toThrow(/--offline-after/);
    expect(() => resolveNodeSettings({ offlineAfter: "0" }, {})).toThrow(/--offline-after/);
  });
});
