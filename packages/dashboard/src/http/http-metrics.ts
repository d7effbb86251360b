// HTTP latency for /metrics: one histogram by method, route template and status. Unmatched URLs share
// the label "unmatched", so scanners cannot blow up the number of series.
import type { MetricsRegistry } from "../metrics/registry.js";
import type { TypedApp } from "./types.js";

export function registerHttpMetrics(app: TypedApp, metrics: MetricsRegistry): void {
  const duration = metrics.histogram(
    "wgfleet_http_request_duration_seconds",
    "HTTP request latency by method, route and status",
    ["method", "route", "status"],
  );
  app.addHook("onResponse", async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}
