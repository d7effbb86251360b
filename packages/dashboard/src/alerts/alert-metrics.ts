// The alert facts as Prometheus metrics in the dashboard's registry, for the rules shipped in
// docs/prometheus/alerts.yml and the Grafana dashboard in docs/grafana: node up / degraded, each node's
// status as a label set and its name, each pool's used share, the share of stale handshakes (all set at
// each engine tick, the labelled sets rebuilt so a deleted node or pool disappears), and the drift
// repairs counted since the dashboard started.

import type { Counter, Gauge, MetricsRegistry } from "../metrics/registry.js";
import type { NodeStatus } from "../nodes/node.repository.js";
import type { AlertFacts } from "./alert-conditions.js";

/** Every status a node row can have: each gets a series, 1 for the current one and 0 for the others. */
export const NODE_STATUSES: readonly NodeStatus[] = [
  "online",
  "degraded",
  "offline",
  "unknown",
  "unavailable",
];

export class AlertMetrics {
  private readonly up: Gauge;
  private readonly degraded: Gauge;
  private readonly status: Gauge;
  private readonly info: Gauge;
  private readonly poolRatio: Gauge;
  private readonly staleRatio: Gauge;
  private readonly repairs: Counter;

  constructor(registry: MetricsRegistry) {
    this.up = registry.gauge(
      "wgfleet_node_up",
      "1 when the node answers its health checks (online or degraded)",
      ["node"],
    );
    this.degraded = registry.gauge("wgfleet_node_degraded", "1 when the node answers with problems", [
      "node",
    ]);
    this.status = registry.gauge(
      "wgfleet_node_status",
      "1 for the node's current status (online, degraded, offline, unknown, unavailable), 0 for the others",
      ["node", "status"],
    );
    this.info = registry.gauge(
      "wgfleet_node_info",
      "Each node's name, for joins on the node label; always 1",
      ["node", "name", "enabled"],
    );
    this.poolRatio = registry.gauge(
      "wgfleet_pool_used_ratio",
      "Share of an interface's address pool in use (the fullest pool of the interface)",
      ["node", "interface"],
    );
    this.staleRatio = registry.gauge(
      "wgfleet_peers_handshake_stale_ratio",
      "Share of enabled peers that have had a handshake but none in the last 3 minutes",
    );
    this.repairs = registry.counter("wgfleet_drift_repairs_total", "Drift repairs nodes reported", ["node"]);
  }

  update(facts: AlertFacts): void {
    this.updateNodes(facts);
    this.updatePools(facts);
    const { stale, withHandshake } = facts.handshakes;
    this.staleRatio.set(withHandshake === 0 ? 0 : stale / withHandshake);
  }

  private updateNodes(facts: AlertFacts): void {
    for (const gauge of [this.up, this.degraded, this.status, this.info]) gauge.reset();
    for (const node of facts.nodes) {
      this.info.set({ node: node.id, name: node.name, enabled: String(node.enabled) }, 1);
      // A disabled node is not expected to answer: no up/status series, so no alert fires for it.
      if (!node.enabled) continue;
      const answers = node.status === "online" || node.status === "degraded";
      this.up.set({ node: node.id }, answers ? 1 : 0);
      this.degraded.set({ node: node.id }, node.status === "degraded" ? 1 : 0);
      for (const status of NODE_STATUSES)
        this.status.set({ node: node.id, status }, node.status === status ? 1 : 0);
    }
  }

  private updatePools(facts: AlertFacts): void {
    const ratios = new Map<string, { node: string; interface: string; ratio: number }>();
    for (const pool of facts.pools) {
      if (pool.total === 0) continue;
      const key = `${pool.nodeId} ${pool.interface}`;
      const ratio = pool.used / pool.total;
      if ((ratios.get(key)?.ratio ?? -1) < ratio)
        ratios.set(key, { node: pool.nodeId, interface: pool.interface, ratio });
    }
    this.poolRatio.reset();
    for (const { node, interface: name, ratio } of ratios.values())
      this.poolRatio.set({ node, interface: name }, ratio);
  }

  driftRepaired(nodeId: string, repairs: number): void {
    this.repairs.inc({ node: nodeId }, repairs);
  }
}
