// GET /metrics: the agent's Prometheus registry (prom-client): build info, prom-client's process and
// Node.js metrics, and the agent's interfaces — per interface, never per peer, so a 100,000-peer node
// stays cheap to scrape. Interface values are read from the service just before each scrape and the
// labelled sets rebuilt, so a removed interface disappears. Names are wgfleet_agent_*. No key material.
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { type HealthSource, interfaceHealth } from "./health.js";

/**
 * How often the event loop's delay is sampled for the nodejs_eventloop_lag_* metrics. The dashboard's
 * registry (packages/dashboard/src/metrics/registry.ts) samples as often.
 */
const EVENT_LOOP_SAMPLE_MS = 1_000;

type InterfaceHealth = NonNullable<Awaited<ReturnType<typeof interfaceHealth>>>;

interface PerInterface {
  metric: Gauge<"interface"> | Counter<"interface">;
  value(health: InterfaceHealth, source: HealthSource): number;
}

export class AgentMetrics {
  readonly registry = new Registry();
  readonly contentType: string = this.registry.contentType;
  private readonly uptime: Gauge;
  private readonly interfaces: Gauge;
  private readonly perInterface: PerInterface[];

  constructor(private readonly source: HealthSource) {
    // prom-client samples the event loop's delay every 10 ms by default: a wake-up that made an idle
    // agent use about 8 ms of CPU a second. Once a second still gives the lag figures.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    const registers = [this.registry];
    new Gauge({
      name: "wgfleet_agent_build_info",
      help: "The running agent's version and Node.js version; always 1.",
      labelNames: ["version", "node_version"],
      registers,
    }).set({ version: source.version, node_version: process.version }, 1);
    this.uptime = new Gauge({
      name: "wgfleet_agent_uptime_seconds",
      help: "Seconds since the agent started.",
      registers,
    });
    this.interfaces = new Gauge({
      name: "wgfleet_agent_interfaces",
      help: "Interfaces in the desired state.",
      registers,
    });
    const gauge = (name: string, help: string) =>
      new Gauge({ name, help, labelNames: ["interface"], registers });
    const counter = (name: string, help: string) =>
      new Counter({ name, help, labelNames: ["interface"], registers });
    const status = (h: InterfaceHealth, s: HealthSource) => s.service.statuses.get(h.name);
    this.perInterface = [
      {
        metric: gauge("wgfleet_agent_interface_up", "1 when the interface is up."),
        value: (h) => (h.up ? 1 : 0),
      },
      {
        metric: gauge("wgfleet_agent_desired_peers", "Peers in the desired state."),
        value: (h, s) => s.service.desired(h.name).peerCount,
      },
      { metric: gauge("wgfleet_agent_peers", "Peers on the live interface."), value: (h) => h.peerCount },
      {
        metric: gauge("wgfleet_agent_active_peers", "Peers with a handshake in the last 3 minutes."),
        value: (h) => h.activePeers,
      },
      {
        metric: gauge("wgfleet_agent_stray_peers", "Live peers not in the desired state."),
        value: (h) => h.strayPeers.length,
      },
      {
        metric: counter("wgfleet_agent_receive_bytes_total", "Bytes received from all peers."),
        value: (h) => h.rxBytes,
      },
      {
        metric: counter("wgfleet_agent_transmit_bytes_total", "Bytes sent to all peers."),
        value: (h) => h.txBytes,
      },
      { metric: gauge("wgfleet_agent_revision", "Desired-state revision."), value: (h) => h.revision },
      {
        metric: counter("wgfleet_agent_apply_errors_total", "Applies to the live interface that failed."),
        value: (h, s) => status(h, s).applyErrors,
      },
      {
        metric: counter(
          "wgfleet_agent_drift_repairs_total",
          "Drift checks that found the live interface differing and repaired it.",
        ),
        value: (h) => h.driftRepairs,
      },
      {
        metric: counter(
          "wgfleet_agent_drift_restored_total",
          "Peers and interfaces put back by drift repairs.",
        ),
        value: (h, s) => status(h, s).peersRestored,
      },
    ];
  }

  /** The Prometheus text of every metric, the interface series read from the service now. */
  async render(now = Date.now()): Promise<string> {
    await this.update(now);
    return this.registry.metrics();
  }

  private async update(now: number): Promise<void> {
    const { service } = this.source;
    const names = service.interfaceNames();
    const healths = (await Promise.all(names.map((name) => interfaceHealth(service, name, now)))).filter(
      (h) => h !== null,
    );
    this.uptime.set((now - this.source.startedAt) / 1000);
    this.interfaces.set(names.length);
    for (const { metric, value } of this.perInterface) {
      metric.reset();
      for (const h of healths) setValue(metric, h.name, value(h, this.source));
    }
  }
}

/** A counter here mirrors a total the service keeps, so it is set by resetting and adding the total. */
function setValue(metric: PerInterface["metric"], name: string, value: number): void {
  const safe = Number.isFinite(value) ? Math.max(0, value) : 0;
  if (metric instanceof Counter) metric.inc({ interface: name }, safe);
  else metric.set({ interface: name }, Number.isFinite(value) ? value : Number.NaN);
}
