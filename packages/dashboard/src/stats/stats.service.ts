// Live stats: each round reads every interface's live peers through its node's transport, turns the
// raw counters into totals that survive counter resets, and stores only what changed, so the peer list
// joins a table instead of asking the nodes. Also mirrors the totals into the metrics registry.
import type { LivePeer } from "@wgfleet/core";
import { nowIso } from "../clock.js";
import type { Db } from "../db/index.js";
import { InterfaceRepository } from "../interfaces/interface.repository.js";
import type { Logger } from "../logging/logger.js";
import type { Gauge, MetricsRegistry } from "../metrics/registry.js";
import type { NodeTransports } from "../nodes/node-transports.js";
import { ONLINE_WINDOW_MS } from "../peers/peer.mapper.js";
import { type BackgroundJob, startIntervalJob } from "../startup/background-job.js";
import { advanceCounters, type StoredCounters, sameCounters } from "./counters.js";
import { StatsRepository } from "./stats.repository.js";

export const DEFAULT_STATS_INTERVAL_MS = 10_000;

export interface PollReport {
  interfaces: number;
  peersRead: number;
  peersChanged: number;
  failures: number;
}

interface NodeTotals {
  peers: number;
  online: number;
  rx: number;
  tx: number;
}

interface StatsGauges {
  peers: Gauge;
  online: Gauge;
  rx: Gauge;
  tx: Gauge;
}

export class StatsService {
  private readonly interfaces: InterfaceRepository;
  private readonly stats: StatsRepository;
  private readonly gauges: StatsGauges | null;

  constructor(
    private readonly deps: {
      db: Db;
      transports: NodeTransports;
      logger: Logger;
      metrics?: MetricsRegistry;
      now?: () => number;
    },
  ) {
    this.interfaces = new InterfaceRepository(deps.db);
    this.stats = new StatsRepository(deps.db);
    this.gauges = deps.metrics ? registerGauges(deps.metrics) : null;
  }

  /** One round over every interface whose node is reachable now. Never throws for one node's failure. */
  async pollOnce(): Promise<PollReport> {
    const report: PollReport = { interfaces: 0, peersRead: 0, peersChanged: 0, failures: 0 };
    const totals = new Map<string, NodeTotals>();
    for (const iface of await this.interfaces.listAll()) {
      const transport = this.deps.transports.tryGet(iface.node_id);
      if (!transport) continue;
      let live: LivePeer[];
      try {
        live = await transport.readPeers(iface.name);
      } catch (error) {
        report.failures++;
        this.deps.logger.warn(
          { node: iface.node_id, interface: iface.name, err: { message: (error as Error).message } },
          "reading live peer stats failed",
        );
        continue;
      }
      report.interfaces++;
      report.peersRead += live.length;
      report.peersChanged += await this.record(iface.id, live, nodeTotals(totals, iface.node_id));
    }
    this.publish(totals);
    return report;
  }

  /** Starts the poller (never overlapping itself); stop() waits for a round in progress. */
  startPoller(intervalMs = DEFAULT_STATS_INTERVAL_MS): BackgroundJob {
    return startIntervalJob("peer-stats", intervalMs, () => this.pollOnce(), this.deps.logger);
  }

  private async record(interfaceId: string, live: LivePeer[], totals: NodeTotals): Promise<number> {
    const liveByKey = new Map(live.map((peer) => [peer.publicKey, peer]));
    const onlineSince = new Date((this.deps.now?.() ?? Date.now()) - ONLINE_WINDOW_MS).toISOString();
    const changed: Array<{ peerId: string; counters: StoredCounters }> = [];
    for (const row of await this.stats.countersOfInterface(interfaceId)) {
      const reading = liveByKey.get(row.publicKey);
      const next = reading ? advanceCounters(row.previous, reading) : row.previous;
      if (reading && next && (!row.previous || !sameCounters(row.previous, next))) {
        changed.push({ peerId: row.peerId, counters: next });
      }
      totals.peers++;
      if (next) {
        totals.rx += next.rxBytes;
        totals.tx += next.txBytes;
        if (next.latestHandshakeAt !== null && next.latestHandshakeAt >= onlineSince) totals.online++;
      }
    }
    await this.stats.save(changed, nowIso(this.deps.now?.() ?? Date.now()));
    return changed.length;
  }

  private publish(totals: Map<string, NodeTotals>): void {
    if (!this.gauges) return;
    for (const gauge of Object.values(this.gauges)) gauge.reset();
    for (const [node, t] of totals) {
      this.gauges.peers.set({ node }, t.peers);
      this.gauges.online.set({ node }, t.online);
      this.gauges.rx.set({ node }, t.rx);
      this.gauges.tx.set({ node }, t.tx);
    }
  }
}

function nodeTotals(totals: Map<string, NodeTotals>, nodeId: string): NodeTotals {
  let entry = totals.get(nodeId);
  if (!entry) {
    entry = { peers: 0, online: 0, rx: 0, tx: 0 };
    totals.set(nodeId, entry);
  }
  return entry;
}

function registerGauges(metrics: MetricsRegistry): StatsGauges {
  return {
    peers: metrics.gauge("wgfleet_peers", "Peers the database assigns to each node", ["node"]),
    online: metrics.gauge("wgfleet_peers_online", "Peers with a handshake in the last 3 minutes", ["node"]),
    rx: metrics.gauge(
      "wgfleet_peer_received_bytes",
      "Bytes received from peers (totals across counter resets)",
      ["node"],
    ),
    tx: metrics.gauge("wgfleet_peer_sent_bytes", "Bytes sent to peers (totals across counter resets)", [
      "node",
    ]),
  };
}
