// Live stats: each round reads every interface's live peers through its node's transport, turns the
// raw counters into totals that survive counter resets, and stores only what changed, so the peer list
// joins a table instead of asking the nodes. The bytes each round adds to the totals also go, in the
// same transaction, into the interface's and each peer's traffic sample bucket (bounded history), and
// into the "now" rates; old buckets are pruned on an interval. Offline nodes are not asked; a failing
// read is logged once when it starts failing, not every round. Also records the local node's own health
// report (and the peers it reports it keeps off the kernel), mirrors the totals into the metrics
// registry, and then lets the traffic quotas act on what the round counted. Rounds never overlap.
import { type Health, type LivePeer, LOCAL_NODE_ID } from "@wgfleet/core";
import { nowIso } from "../clock.js";
import { DEFAULT_STATS_SETTINGS, type StatsSettings } from "../config/stats-settings.js";
import type { InterfaceRepository, InterfaceRow } from "../interfaces/interface.repository.js";
import type { Logger } from "../logging/logger.js";
import type { MetricsRegistry } from "../metrics/registry.js";
import type { NodeTransports } from "../nodes/node-transports.js";
import { ONLINE_WINDOW_MS } from "../peers/peer.mapper.js";
import { type BackgroundJob, startIntervalJob } from "../startup/background-job.js";
import { advanceCounters, sameCounters } from "./counters.js";
import { type PeerReading, peerHistory } from "./peer-history.js";
import type { StatsRepository } from "./stats.repository.js";
import { type NodeTotals, type PeerTotals, StatsMetrics } from "./stats-metrics.js";
import type { NodeStatus, StatsNodesRepository } from "./stats-nodes.repository.js";
import { type ByteCounts, bucketStart, TrafficRates } from "./traffic-rates.js";

export const DEFAULT_STATS_INTERVAL_MS = DEFAULT_STATS_SETTINGS.intervalMs;
/** Interfaces whose live peers are being read at once during a round. */
const READ_AHEAD = 16;

export interface PollReport {
  interfaces: number;
  peersRead: number;
  peersChanged: number;
  failures: number;
  /** Interfaces not read because their node is offline or unavailable. */
  skipped: number;
  /** Bytes the round added to the totals (and to the traffic history). */
  rxBytes: number;
  txBytes: number;
}

/** Remote nodes in these states are not asked for live stats (the health poller brings them back). */
const NOT_POLLED: ReadonlySet<NodeStatus> = new Set(["offline", "unavailable"]);

/** The stores a stats round reads and writes (the composition root passes the repositories). */
export interface StatsStores {
  interfaces: Pick<InterfaceRepository, "listAll">;
  stats: Pick<StatsRepository, "countersOfInterface" | "save">;
  nodes: Pick<StatsNodesRepository, "recordHealth" | "statuses">;
}

export class StatsService {
  private readonly interfaces: StatsStores["interfaces"];
  private readonly stats: StatsStores["stats"];
  private readonly nodes: StatsStores["nodes"];
  private readonly metrics: StatsMetrics | null;
  /** What "traffic now" reads (shared with TrafficService). */
  readonly rates: TrafficRates;
  readonly settings: StatsSettings;
  private readonly now: () => number;
  /** Reads that failed last time ("interface:ID", "health:local"): warned about once, until they work again. */
  private readonly failing = new Set<string>();
  /** Nodes skipped last round because of their status (logged once when that starts). */
  private readonly skippedNodes = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: StatsStores & {
      transports: NodeTransports;
      logger: Logger;
      metrics?: MetricsRegistry;
      /** Per-peer series in the registry (`--metrics-per-peer`); per node only when false or absent. */
      perPeerMetrics?: boolean;
      /** The peers the local node reports it keeps off the kernel, into the database (lifecycle/). */
      suspensions?: { sync(nodeId: string, health: Pick<Health, "interfaces">): Promise<unknown> };
      /** Runs after each round, on the usage it just counted: traffic quotas (lifecycle/quota-job.ts). */
      quotas?: { runOnce(): Promise<unknown> };
      now?: () => number;
      settings?: StatsSettings;
      rates?: TrafficRates;
    },
  ) {
    this.interfaces = deps.interfaces;
    this.stats = deps.stats;
    this.nodes = deps.nodes;
    this.metrics = deps.metrics
      ? new StatsMetrics(deps.metrics, { perPeer: deps.perPeerMetrics ?? false })
      : null;
    this.rates = deps.rates ?? new TrafficRates();
    this.settings = deps.settings ?? DEFAULT_STATS_SETTINGS;
    this.now = deps.now ?? Date.now;
  }

  /**
   * One round over every interface whose node is reachable now. Never throws for one node's failure.
   * Calls are serialised: a second call waits for the round in progress (no bytes counted twice).
   */
  pollOnce(): Promise<PollReport> {
    const round = this.queue.then(
      () => this.round(),
      () => this.round(),
    );
    this.queue = round.catch(() => undefined);
    return round;
  }

  /** Starts the poller (never overlapping itself); stop() waits for a round in progress. */
  startPoller(intervalMs = this.settings.intervalMs): BackgroundJob {
    return startIntervalJob("peer-stats", intervalMs, () => this.pollOnce(), this.deps.logger);
  }

  private async round(): Promise<PollReport> {
    const report: PollReport = {
      interfaces: 0,
      peersRead: 0,
      peersChanged: 0,
      failures: 0,
      skipped: 0,
      rxBytes: 0,
      txBytes: 0,
    };
    const totals = new Map<string, NodeTotals>();
    const peerTotals: PeerTotals[] | null = this.metrics?.wantsPeers ? [] : null;
    const [interfaces, statuses] = await Promise.all([this.interfaces.listAll(), this.nodes.statuses()]);
    const polled = this.polledNodes(statuses);
    await this.recordLocalHealth();
    // Reads run up to READ_AHEAD interfaces ahead (nodes answer in parallel); each interface's
    // readings are then stored in order, one interface at a time.
    const reads = new Map<number, Promise<LivePeer[] | null> | null>();
    const readAhead = (from: number) => {
      for (let k = from; k < Math.min(interfaces.length, from + READ_AHEAD); k++) {
        if (!reads.has(k)) reads.set(k, this.startRead(interfaces[k] as InterfaceRow, polled));
      }
    };
    for (const [k, iface] of interfaces.entries()) {
      readAhead(k);
      const read = reads.get(k);
      reads.delete(k);
      if (!read) {
        report.skipped++;
        this.rates.forget(iface.id);
        continue;
      }
      const live = await read;
      if (!live) {
        report.failures++;
        continue;
      }
      report.interfaces++;
      report.peersRead += live.length;
      const recorded = await this.record(iface, live, nodeTotals(totals, iface.node_id), peerTotals);
      report.peersChanged += recorded.changed;
      report.rxBytes += recorded.moved.rxBytes;
      report.txBytes += recorded.moved.txBytes;
    }
    this.forgetGone(interfaces);
    this.metrics?.publish(totals, peerTotals ?? []);
    await this.runQuotas();
    return report;
  }

  private async runQuotas(): Promise<void> {
    try {
      await this.deps.quotas?.runOnce();
    } catch (error) {
      this.noteFailure("quotas", {}, error, "checking traffic quotas failed");
      return;
    }
    if (this.failing.delete("quotas")) this.deps.logger.info({}, "checking traffic quotas works again");
  }

  /** Node ids whose interfaces are read this round; logs once when a node starts or stops being skipped. */
  private polledNodes(statuses: Array<{ id: string; status: NodeStatus }>): Set<string> {
    const polled = new Set<string>();
    for (const { id, status } of statuses) {
      const skip = id !== LOCAL_NODE_ID && NOT_POLLED.has(status);
      if (!skip) {
        polled.add(id);
        if (this.skippedNodes.delete(id))
          this.deps.logger.info({ node: id, status }, "polling live stats again");
      } else if (!this.skippedNodes.has(id)) {
        this.skippedNodes.add(id);
        this.deps.logger.info({ node: id, status }, `not polling live stats while the node is ${status}`);
      }
    }
    return polled;
  }

  /** The read of an interface's live peers, or null when its node is not polled now. */
  private startRead(iface: InterfaceRow, polled: Set<string>): Promise<LivePeer[] | null> | null {
    const transport = polled.has(iface.node_id) ? this.deps.transports.tryGet(iface.node_id) : null;
    // The health poller asks the node on the same tick: the node may answer both from one read.
    return transport ? this.readLive(iface, () => transport.readPeers(iface.name, { shared: true })) : null;
  }

  /** The interface's live peers, or null when the read failed (warned once per failing streak). */
  private async readLive(iface: InterfaceRow, read: () => Promise<LivePeer[]>): Promise<LivePeer[] | null> {
    const key = `interface:${iface.id}`;
    const where = { node: iface.node_id, interface: iface.name };
    try {
      const live = await read();
      if (this.failing.delete(key)) this.deps.logger.info(where, "reading live peer stats works again");
      return live;
    } catch (error) {
      this.rates.forget(iface.id);
      this.noteFailure(key, where, error, "reading live peer stats failed");
      return null;
    }
  }

  /** The local node's own health report, stored like a remote node's (its status stays the transport's). */
  private async recordLocalHealth(): Promise<void> {
    const transport = this.deps.transports.tryGet(LOCAL_NODE_ID);
    if (!transport) return;
    const key = "health:local";
    try {
      const { health } = await transport.health({ shared: true });
      await this.nodes.recordHealth(LOCAL_NODE_ID, JSON.stringify(health), nowIso(this.now()));
      if (this.failing.delete(key))
        this.deps.logger.info({ node: LOCAL_NODE_ID }, "local health report works again");
      await this.syncLocalSuspensions(health);
    } catch (error) {
      this.noteFailure(key, { node: LOCAL_NODE_ID }, error, "local health report failed");
    }
  }

  private async syncLocalSuspensions(health: Health): Promise<void> {
    const key = "suspensions:local";
    try {
      await this.deps.suspensions?.sync(LOCAL_NODE_ID, health);
      this.failing.delete(key);
    } catch (error) {
      this.noteFailure(
        key,
        { node: LOCAL_NODE_ID },
        error,
        "recording the local node's suspended peers failed",
      );
    }
  }

  private noteFailure(key: string, where: object, error: unknown, message: string): void {
    const err = { message: error instanceof Error ? error.message : String(error) };
    if (this.failing.has(key)) {
      this.deps.logger.debug({ ...where, err }, `${message} (still)`);
      return;
    }
    this.failing.add(key);
    this.deps.logger.warn({ ...where, err }, message);
  }

  private async record(
    iface: InterfaceRow,
    live: LivePeer[],
    totals: NodeTotals,
    peerTotals: PeerTotals[] | null,
  ): Promise<{ changed: number; moved: ByteCounts }> {
    const liveByKey = new Map(live.map((peer) => [peer.publicKey, peer]));
    const at = this.now();
    const onlineSince = new Date(at - ONLINE_WINDOW_MS).toISOString();
    const changed: PeerReading[] = [];
    const moved: ByteCounts = { rxBytes: 0, txBytes: 0 };
    for (const row of await this.stats.countersOfInterface(iface.id)) {
      const reading = liveByKey.get(row.publicKey);
      const next = reading ? advanceCounters(row.previous, reading) : row.previous;
      if (reading && next && (!row.previous || !sameCounters(row.previous, next))) {
        changed.push({ peerId: row.peerId, counters: next, previous: row.previous });
        // Totals only grow (counter resets are handled by advanceCounters): never a negative delta.
        moved.rxBytes += Math.max(0, next.rxBytes - (row.previous?.rxBytes ?? 0));
        moved.txBytes += Math.max(0, next.txBytes - (row.previous?.txBytes ?? 0));
      }
      totals.peers++;
      if (next) {
        totals.rx += next.rxBytes;
        totals.tx += next.txBytes;
        if (next.latestHandshakeAt !== null && next.latestHandshakeAt >= onlineSince) totals.online++;
      }
      peerTotals?.push({
        node: iface.node_id,
        interface: iface.name,
        peer: row.peerId,
        rx: next?.rxBytes ?? 0,
        tx: next?.txBytes ?? 0,
        latestHandshakeAt: next?.latestHandshakeAt ?? null,
      });
    }
    const samples =
      moved.rxBytes + moved.txBytes > 0
        ? [
            {
              interfaceId: iface.id,
              nodeId: iface.node_id,
              configurationId: iface.configuration_id,
              at: bucketStart(at),
              ...moved,
            },
          ]
        : [];
    await this.stats.save(changed, nowIso(at), samples, peerHistory(changed, bucketStart(at)));
    this.rates.observe(iface.id, iface.node_id, moved, at);
    return { changed: changed.length, moved };
  }

  /** Rates and failure notes of interfaces that no longer exist. */
  private forgetGone(interfaces: InterfaceRow[]): void {
    const ids = new Set(interfaces.map((iface) => iface.id));
    for (const id of this.rates.interfaceIds()) if (!ids.has(id)) this.rates.forget(id);
    for (const key of this.failing) {
      if (key.startsWith("interface:") && !ids.has(key.slice("interface:".length))) this.failing.delete(key);
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
