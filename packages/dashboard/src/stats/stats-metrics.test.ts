// Per-node series always, per-peer series only when asked for (cardinality), each set rebuilt per round.
import { describe, expect, it } from "vitest";
import { MetricsRegistry } from "../metrics/registry.js";
import { type NodeTotals, type PeerTotals, StatsMetrics } from "./stats-metrics.js";

const totals = new Map<string, NodeTotals>([["local", { peers: 2, online: 1, rx: 300, tx: 700 }]]);
const peers: PeerTotals[] = [
  {
    node: "local",
    interface: "wg0",
    peer: "p1",
    rx: 100,
    tx: 200,
    latestHandshakeAt: "2026-01-01T00:00:10.000Z",
  },
  { node: "local", interface: "wg0", peer: "p2", rx: 200, tx: 500, latestHandshakeAt: null },
];

describe("StatsMetrics", () => {
  it("exports per-node totals and no per-peer series by default", async () => {
    const registry = new MetricsRegistry();
    const metrics = new StatsMetrics(registry, { perPeer: false });
    expect(metrics.wantsPeers).toBe(false);
    metrics.publish(totals, peers);
    const text = await registry.render();
    expect(text).toContain('wgfleet_peers{node="local"} 2');
    expect(text).toContain('wgfleet_peers_online{node="local"} 1');
    expect(text).toContain('wgfleet_node_received_bytes{node="local"} 300');
    expect(text).toContain('wgfleet_node_sent_bytes{node="local"} 700');
    expect(text).not.toContain("wgfleet_peer_");
  });

  it("exports per-peer bytes and handshake time when enabled, and forgets a deleted peer", async () => {
    const registry = new MetricsRegistry();
    const metrics = new StatsMetrics(registry, { perPeer: true });
    expect(metrics.wantsPeers).toBe(true);
    metrics.publish(totals, peers);
    let text = await registry.render();
    expect(text).toContain('wgfleet_peer_received_bytes{node="local",interface="wg0",peer="p1"} 100');
    expect(text).toContain('wgfleet_peer_sent_bytes{node="local",interface="wg0",peer="p2"} 500');
    expect(text).toContain(
      `wgfleet_peer_latest_handshake_timestamp_seconds{node="local",interface="wg0",peer="p1"} ${Date.parse("2026-01-01T00:00:10Z") / 1000}`,
    );
    expect(text).toContain(
      'wgfleet_peer_latest_handshake_timestamp_seconds{node="local",interface="wg0",peer="p2"} 0',
    );
    metrics.publish(totals, peers.slice(0, 1));
    text = await registry.render();
    expect(text).not.toContain('peer="p2"');
  });
});
