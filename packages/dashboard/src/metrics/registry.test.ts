import { describe, expect, it } from "vitest";
import { MetricsRegistry } from "./registry.js";

describe("MetricsRegistry", () => {
  it("renders counters, gauges and histograms in the Prometheus text format", async () => {
    const registry = new MetricsRegistry();
    const requests = registry.counter("app_requests_total", "Requests", ["route"]);
    const peers = registry.gauge("app_peers", "Peers\nper node", ["node"]);
    const latency = registry.histogram("app_latency_seconds", "Latency", ["route"], [0.1, 1]);
    requests.inc({ route: "/a" });
    requests.inc({ route: "/a" }, 2);
    peers.set({ node: 'lo"cal\\' }, 5);
    latency.observe({ route: "/a" }, 0.05);
    latency.observe({ route: "/a" }, 0.5);
    latency.observe({ route: "/a" }, 5);
    expect(await registry.render()).toBe(
      [
        "# HELP app_requests_total Requests",
        "# TYPE app_requests_total counter",
        'app_requests_total{route="/a"} 3',
        "",
        "# HELP app_peers Peers\\nper node",
        "# TYPE app_peers gauge",
        'app_peers{node="lo\\"cal\\\\"} 5',
        "",
        "# HELP app_latency_seconds Latency",
        "# TYPE app_latency_seconds histogram",
        'app_latency_seconds_bucket{le="0.1",route="/a"} 1',
        'app_latency_seconds_bucket{le="1",route="/a"} 2',
        'app_latency_seconds_bucket{le="+Inf",route="/a"} 3',
        'app_latency_seconds_sum{route="/a"} 5.55',
        'app_latency_seconds_count{route="/a"} 3',
        "",
      ].join("\n"),
    );
  });

  it("runs collectors before rendering and survives a failing one", async () => {
    const registry = new MetricsRegistry();
    const gauge = registry.gauge("app_value", "A value");
    registry.onCollect(() => gauge.set(42));
    registry.onCollect(async () => {
      throw new Error("database down");
    });
    expect(await registry.render()).toContain("app_value 42");
  });

  it("refuses wrong labels, bad names, decreasing counters and conflicting registrations", () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter("app_total", "Total", ["a"]);
    expect(() => counter.inc({ b: "x" })).toThrow(/label/);
    expect(() => counter.inc({ a: "x" }, -1)).toThrow(/decrease/);
    expect(() => registry.counter("bad name", "x")).toThrow(/name/);
    expect(registry.counter("app_total", "Total", ["a"])).toBe(counter);
    expect(() => registry.gauge("app_total", "Total", ["a"])).toThrow(/already/);
    expect(() => registry.counter("app_total", "Total", ["b"])).toThrow(/already/);
  });

  it("keeps registries apart: two dashboards in one process do not share series", async () => {
    const one = new MetricsRegistry();
    const two = new MetricsRegistry();
    one.gauge("app_only_here", "x").set(1);
    expect(await two.render()).not.toContain("app_only_here");
  });

  it("gives a running server build info and the process and Node.js metrics", async () => {
    const registry = MetricsRegistry.forProcess({ version: "9.8.7" });
    const text = await registry.render();
    expect(text).toContain(`wgfleet_build_info{version="9.8.7",node_version="${process.version}"} 1`);
    for (const name of [
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "process_start_time_seconds",
      "nodejs_heap_size_used_bytes",
      "nodejs_eventloop_lag_seconds",
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });
});
