// The live-stats round as Prometheus series: per node always (peers, peers online, bytes), per peer
// only when `--metrics-per-peer` asks for it, because a 10,000-peer fleet would otherwise add 30,000
// series to every scrape. Each round rebuilds the labelled sets, so a deleted peer or node disappears.
import type { Gauge, MetricsRegistry } from "../metrics/registry.js";

export interface NodeTotals {
  peers: number;
  online: number;
  rx: number;
  tx: number;
}

/** One peer's totals after a round (recorded only when per-peer series are on). */
export interface PeerTotals {
  node: string;
  interface: string;
  peer: string;
  rx: number;
  tx: number;
  /** ISO time of the latest handshake, or null when there was none. */
  latestHandshakeAt: string | null;
}

interface PeerGauges {
  rx: Gauge;
  tx: Gauge;
  handshake: Gauge;
}

const PEER_LABELS = ["node", "interface", "peer"];

export class StatsMetrics {
  private readonly peers: Gauge;
  private readonly online: Gauge;
  private readonly rx: Gauge;
  private readonly tx: Gauge;
  private readonly perPeer: PeerGauges | null;

  constructor(registry: MetricsRegistry, options: { perPeer: boolean }) {
    this.peers = registry.gauge("wgfleet_peers", "Peers the database assigns to each node", ["node"]);
    this.online = registry.gauge("wgfleet_peers_online", "Peers with a handshake in the last 3 minutes", [
      "node",
    ]);
    this.rx = registry.gauge(
      "wgfleet_node_received_bytes",
      "Bytes received from the node's peers (totals across counter resets; drops when a peer is deleted)",
      ["node"],
    );
    this.tx = registry.gauge(
      "wgfleet_node_sent_bytes",
      "Bytes sent to the node's peers (totals across counter resets; drops when a peer is deleted)",
      ["node"],
    );
    this.perPeer = options.perPeer ? registerPeerGauges(registry) : null;
  }

  /** Whether the stats round should collect per-peer totals for publish(). */
  get wantsPeers(): boolean {
    return this.perPeer !== null;
  }

  publish(totals: Map<string, NodeTotals>, peers: readonly PeerTotals[]): void {
    for (const gauge of [this.peers, this.online, this.rx, this.tx]) gauge.reset();
    for (const [node, t] of totals) {
      this.peers.set({ node }, t.peers);
      this.online.set({ node }, t.online);
      this.rx.set({ node }, t.rx);
      this.tx.set({ node }, t.tx);
    }
    if (this.perPeer) publishPeers(this.perPeer, peers);
  }
}

function registerPeerGauges(registry: MetricsRegistry): PeerGauges {
  return {
    rx: registry.gauge(
      "wgfleet_peer_received_bytes",
      "Bytes received from one peer (--metrics-per-peer)",
      PEER_LABELS,
    ),
    tx: registry.gauge("wgfleet_peer_sent_bytes", "Bytes sent to one peer (--metrics-per-peer)", PEER_LABELS),
    handshake: registry.gauge(
      "wgfleet_peer_latest_handshake_timestamp_seconds",
      "Unix time of one peer's latest handshake, 0 when none (--metrics-per-peer)",
      PEER_LABELS,
    ),
  };
}

function publishPeers(gauges: PeerGauges, peers: readonly PeerTotals[]): void {
  for (const gauge of Object.values(gauges)) gauge.reset();
  for (const p of peers) {
    const labels = { node: p.node, interface: p.interface, peer: p.peer };
    gauges.rx.set(labels, p.rx);
    gauges.tx.set(labels, p.tx);
    gauges.handshake.set(labels, p.latestHandshakeAt ? Date.parse(p.latestHandshakeAt) / 1000 : 0);
  }
}
