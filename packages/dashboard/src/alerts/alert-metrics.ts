// The alert facts as Prometheus metrics in the dashboard's registry, for the rules shipped in
// docs/prometheus/alerts.yml: node up / degraded, each pool's used share, the share of stale handshakes
// (all set at each engine tick, the labelled sets rebuilt so a deleted node or pool disappears), and
// the drift repairs counted since the dashboard started.
import type { Counter, Gauge, MetricsRegistry } from "../metrics/registry.js";
import type { AlertFacts } from "./alert-conditions.js";

export class AlertMetrics {
  private readonly up: Gauge;
  private readonly degraded: Gauge;
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
    this.up.reset();
    this.degraded.reset();
    for (const node of facts.nodes.filter((n) => n.enabled)) {
      const answers = node.status === "online" || node.status === "degraded";
      this.up.set({ node: node.id }, answers ? 1 : 0);
      this.degraded.set({ node: node.id }, node.status === "degraded" ? 1 : 0);
    }
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
    const { stale, withHandshake } = facts.handshakes;
    this.staleRatio.set(withHandshake === 0 ? 0 : stale / withHandshake);
  }

  driftRepaired(nodeId: string, repairs: number): void {
    this.repairs.inc({ node: nodeId }, repairs);
  }
}
