// A tiny Prometheus registry: counters, gauges and histograms with labels, and the text exposition
// format (version 0.0.4). Values live in memory; gauges that mirror the database are refreshed by
// collectors just before a scrape. It never blocks a request on the database.

export type Labels = Readonly<Record<string, string | number>>;
type Collector = () => void | Promise<void>;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Default latency buckets, in seconds. */
export const DEFAULT_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {
    if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name ${name}`);
    for (const label of labelNames) {
      if (!LABEL_NAME.test(label) || label === "le")
        throw new Error(`invalid label name ${label} on ${name}`);
    }
  }

  abstract readonly type: "counter" | "gauge" | "histogram";
  abstract samples(): string[];

  protected keyOf(labels: Labels): string {
    const given = Object.keys(labels);
    if (given.length !== this.labelNames.length || !given.every((l) => this.labelNames.includes(l))) {
      throw new Error(`${this.name} takes labels [${this.labelNames.join(", ")}], got [${given.join(", ")}]`);
    }
    return this.labelNames.map((name) => formatLabel(name, labels[name] ?? "")).join(",");
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    return [...lines, ...this.samples()].join("\n");
  }
}

export class Counter extends Metric {
  readonly type = "counter";
  private readonly values = new Map<string, number>();

  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new Error(`counter ${this.name} cannot decrease`);
    const key = this.keyOf(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(labels: Labels = {}): number {
    return this.values.get(this.keyOf(labels)) ?? 0;
  }

  samples(): string[] {
    return [...this.values].map(([key, value]) => sample(this.name, key, value));
  }
}

export class Gauge extends Metric {
  readonly type = "gauge";
  private readonly values = new Map<string, number>();

  set(labels: Labels, value: number): void;
  set(value: number): void;
  set(labelsOrValue: Labels | number, value?: number): void {
    if (typeof labelsOrValue === "number") this.values.set(this.keyOf({}), labelsOrValue);
    else this.values.set(this.keyOf(labelsOrValue), value ?? 0);
  }

  inc(labels: Labels = {}, by = 1): void {
    const key = this.keyOf(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  dec(labels: Labels = {}, by = 1): void {
    this.inc(labels, -by);
  }

  get(labels: Labels = {}): number {
    return this.values.get(this.keyOf(labels)) ?? 0;
  }

  /** Forgets every labelled value (a collector that rebuilds the whole set calls this first). */
  reset(): void {
    this.values.clear();
  }

  samples(): string[] {
    return [...this.values].map(([key, value]) => sample(this.name, key, value));
  }
}

interface HistogramSeries {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Metric {
  readonly type = "histogram";
  private readonly series = new Map<string, HistogramSeries>();
  readonly buckets: readonly number[];

  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    super(name, help, labelNames);
    this.buckets = [...buckets].sort((a, b) => a - b);
  }

  observe(labels: Labels, value: number): void {
    const key = this.keyOf(labels);
    let series = this.series.get(key);
    if (!series) {
      series = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    const index = this.buckets.findIndex((bound) => value <= bound);
    if (index >= 0) series.counts[index] = (series.counts[index] ?? 0) + 1;
    series.sum += value;
    series.count += 1;
  }

  /** Number of observations of one label set (tests, and the bench). */
  count(labels: Labels = {}): number {
    return this.series.get(this.keyOf(labels))?.count ?? 0;
  }

  samples(): string[] {
    const lines: string[] = [];
    for (const [key, series] of this.series) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += series.counts[i] ?? 0;
        lines.push(sample(`${this.name}_bucket`, joinLabels(key, formatLabel("le", bound)), cumulative));
      });
      lines.push(sample(`${this.name}_bucket`, joinLabels(key, formatLabel("le", "+Inf")), series.count));
      lines.push(sample(`${this.name}_sum`, key, series.sum));
      lines.push(sample(`${this.name}_count`, key, series.count));
    }
    return lines;
  }
}

export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();
  private readonly collectors: Collector[] = [];

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.add(new Counter(name, help, labelNames));
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.add(new Gauge(name, help, labelNames));
  }

  histogram(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    buckets: readonly number[] = DEFAULT_BUCKETS,
  ): Histogram {
    return this.add(new Histogram(name, help, labelNames, buckets));
  }

  /** Runs before every scrape: set gauges from the database or from memory here. */
  onCollect(collector: Collector): void {
    this.collectors.push(collector);
  }

  /** The Prometheus text exposition of every metric. A failing collector leaves its old values. */
  async render(): Promise<string> {
    await Promise.allSettled(this.collectors.map(async (collect) => collect()));
    const blocks = [...this.metrics.values()].map((metric) => metric.render());
    return `${blocks.join("\n")}\n`;
  }

  private add<T extends Metric>(metric: T): T {
    const existing = this.metrics.get(metric.name);
    if (existing) {
      // Registering the same metric twice (a plugin registered in two apps) returns the first one.
      if (existing.type === metric.type && sameLabels(existing.labelNames, metric.labelNames)) {
        return existing as T;
      }
      throw new Error(`metric ${metric.name} is already registered with another type or labels`);
    }
    this.metrics.set(metric.name, metric);
    return metric;
  }
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((label, i) => label === b[i]);
}

function sample(name: string, labelKey: string, value: number): string {
  return `${name}${labelKey ? `{${labelKey}}` : ""} ${formatValue(value)}`;
}

function joinLabels(key: string, extra: string): string {
  return key ? `${key},${extra}` : extra;
}

function formatLabel(name: string, value: string | number): string {
  const text = String(value).replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
  return `${name}="${text}"`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}
