// The dashboard's Prometheus registry: a thin owner of one prom-client Registry, so every metric of the
// process is registered in one place and rendered by prom-client (never by hand). Gauges that mirror the
// database are refreshed by collectors just before a scrape; a scrape never blocks a request.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export { Counter, Gauge, Histogram } from "prom-client";

type Collector = () => void | Promise<void>;
type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

/** Default latency buckets, in seconds. */
export const DEFAULT_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/**
 * How often the event loop's delay is sampled for the nodejs_eventloop_lag_* metrics. prom-client's
 * default, 10 ms, wakes an idle process a hundred times a second. The agent has the same setting
 * (packages/agent/src/service/metrics.ts): no package both may import is a home for prom-client settings.
 */
const EVENT_LOOP_SAMPLE_MS = 1_000;

export interface ProcessMetricsOptions {
  /** `wgfleet_build_info{version,node_version} 1`. */
  version: string;
}

export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly collectors: Collector[] = [];

  /**
   * The registry of a running server: build info plus prom-client's process and Node.js metrics
   * (CPU, memory, file descriptors, event-loop lag, GC). Tests build a bare `new MetricsRegistry()`,
   * which leaves out the process metrics (they start timers and GC observers of their own).
   */
  static forProcess(options: ProcessMetricsOptions): MetricsRegistry {
    const metrics = new MetricsRegistry();
    collectDefaultMetrics({ register: metrics.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    metrics
      .gauge("wgfleet_build_info", "The running dashboard's version and Node.js version; always 1", [
        "version",
        "node_version",
      ])
      .set({ version: options.version, node_version: process.version }, 1);
    return metrics;
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter<string> {
    return this.reuse(name, Counter, labelNames) ?? new Counter({ ...this.base(name, help, labelNames) });
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge<string> {
    return this.reuse(name, Gauge, labelNames) ?? new Gauge({ ...this.base(name, help, labelNames) });
  }

  histogram(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    buckets: readonly number[] = DEFAULT_BUCKETS,
  ): Histogram<string> {
    return (
      this.reuse(name, Histogram, labelNames) ??
      new Histogram({ ...this.base(name, help, labelNames), buckets: [...buckets] })
    );
  }

  /** Runs before every scrape: set gauges from the database or from memory here. */
  onCollect(collector: Collector): void {
    this.collectors.push(collector);
  }

  /** The Prometheus text exposition of every metric. A failing collector leaves its old values. */
  async render(): Promise<string> {
    await Promise.allSettled(this.collectors.map(async (collect) => collect()));
    return this.registry.metrics();
  }

  private base(name: string, help: string, labelNames: readonly string[]) {
    return { name, help, labelNames: [...labelNames], registers: [this.registry] };
  }

  /**
   * Registering the same metric twice (a plugin registered in two apps) returns the first one;
   * the same name with another type or other labels is a programming error.
   */
  private reuse<T extends AnyMetric>(
    name: string,
    type: abstract new (...args: never[]) => T,
    labelNames: readonly string[],
  ): T | null {
    const existing = this.registry.getSingleMetric(name);
    if (!existing) return null;
    // prom-client keeps the label names on the metric without declaring them in its types.
    const existingLabels = (existing as { labelNames?: string[] }).labelNames ?? [];
    if (existing instanceof type && sameLabels(existingLabels, labelNames)) return existing;
    throw new Error(`metric ${name} is already registered with another type or labels`);
  }
}

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((label, i) => label === b[i]);
}
