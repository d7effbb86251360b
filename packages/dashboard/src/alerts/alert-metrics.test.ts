// The node series: up/degraded for the alert rules, one status series per known status (1 for the
// current one), the name for joins; a node that is gone or disabled leaves no status series behind.
import { describe, expect, it } from "vitest";
import { MetricsRegistry } from "../metrics/registry.js";
import type { AlertFacts } from "./alert-conditions.js";
import { AlertMetrics, NODE_STATUSES } from "./alert-metrics.js";

function facts(nodes: AlertFacts["nodes"]): AlertFacts {
  return { nodes, pools: [], driftRepairs: new Map(), handshakes: { withHandshake: 0, stale: 0 } };
}

describe("AlertMetrics node series", () => {
  it("exports each enabled node's status as a one-hot label set and every node's name", async () => {
    const registry = new MetricsRegistry();
    const metrics = new AlertMetrics(registry);
    metrics.update(
      facts([
        { id: "n1", name: "frankfurt", enabled: true, status: "degraded", reason: null },
        { id: "n2", name: "paris", enabled: false, status: "offline", reason: null },
      ]),
    );
    const text = await registry.render();
    expect(text).toContain('wgfleet_node_status{node="n1",status="degraded"} 1');
    for (const status of NODE_STATUSES.filter((s) => s !== "degraded"))
      expect(text).toContain(`wgfleet_node_status{node="n1",status="${status}"} 0`);
    expect(text).not.toMatch(/wgfleet_node_status\{node="n2"/);
    expect(text).toContain('wgfleet_node_up{node="n1"} 1');
    expect(text).toContain('wgfleet_node_info{node="n1",name="frankfurt",enabled="true"} 1');
    expect(text).toContain('wgfleet_node_info{node="n2",name="paris",enabled="false"} 1');
  });

  it("drops the series of a node that is gone", async () => {
    const registry = new MetricsRegistry();
    const metrics = new AlertMetrics(registry);
    metrics.update(facts([{ id: "n1", name: "a", enabled: true, status: "online", reason: null }]));
    metrics.update(facts([]));
    expect(await registry.render()).not.toContain('node="n1"');
  });
});
