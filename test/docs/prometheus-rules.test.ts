// docs/prometheus/alerts.yml is valid for Prometheus (`promtool check rules`), each of its five rules
// fires on the series that should raise it (`promtool test rules` with test/docs/fixtures), and every
// metric the rules use is one the dashboard exposes (AlertMetrics in a real registry).
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { AlertMetrics } from "../../packages/dashboard/src/alerts/alert-metrics.js";
import { MetricsRegistry } from "../../packages/dashboard/src/metrics/registry.js";
import { commandPrerequisite, missingPrerequisites } from "../support/privileges.js";

const run = promisify(execFile);
const RULES = fileURLToPath(new URL("../../docs/prometheus/alerts.yml", import.meta.url));
const RULE_TESTS = fileURLToPath(new URL("./fixtures/prometheus-alerts.test.yml", import.meta.url));

const skip = missingPrerequisites([commandPrerequisite("promtool")]);

describe.skipIf(skip)("the shipped Prometheus alert rules", () => {
  it("pass promtool check rules, five of them", async () => {
    const { stdout } = await run("promtool", ["check", "rules", RULES]);
    expect(stdout).toContain("SUCCESS: 5 rules found");
  });

  it("fire on the series that should raise them (promtool test rules)", async () => {
    const { stdout } = await run("promtool", ["test", "rules", RULE_TESTS]);
    expect(stdout).toContain("SUCCESS");
  });
});

it("use only metrics the dashboard exposes", async () => {
  const registry = new MetricsRegistry();
  new AlertMetrics(registry);
  const exposed = new Set(
    [...(await registry.render()).matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1] as string),
  );
  const rules = await readFile(RULES, "utf8");
  const used = new Set([...rules.matchAll(/\b(wgfleet_[a-z_]+)/g)].map((match) => match[1] as string));
  expect([...used].sort()).toEqual([
    "wgfleet_drift_repairs_total",
    "wgfleet_node_degraded",
    "wgfleet_node_up",
    "wgfleet_peers_handshake_stale_ratio",
    "wgfleet_pool_used_ratio",
  ]);
  for (const name of used) expect(exposed, name).toContain(name);
});
