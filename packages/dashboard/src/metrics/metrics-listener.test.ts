// `serve --metrics-listen`: the real server (its composition root) serves Prometheus text on the
// separate listener and nothing else there, while its main port has no /metrics without a token.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveSettings } from "../config/settings.js";
import { createLogger } from "../logging/logger.js";
import { type RunningServer, startServer } from "../server.js";

describe("metrics on their own listener", () => {
  let dataDir: string;
  let server: RunningServer;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "wgfleet-metrics-"));
    const settings = resolveSettings(
      { listen: "127.0.0.1:0", dataDir, local: false, metricsListen: "127.0.0.1:0" },
      { WGFLEET_ADMIN_PASSWORD: "metrics-admin-1" },
    );
    server = await startServer(settings, { logger: createLogger({ level: "silent" }), print: () => {} });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves /metrics on --metrics-listen and only there", async () => {
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.metricsUrl).not.toBe(server.url);
    const metrics = await fetch(`${server.metricsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    const text = await metrics.text();
    expect(text).toContain("# TYPE wgfleet_http_request_duration_seconds histogram");
    // The composition root's registry: build info, process and Node.js metrics; per peer only when asked.
    expect(text).toMatch(/^wgfleet_build_info\{version="[^"]+",node_version="v[^"]+"\} 1$/m);
    expect(text).toContain("# TYPE process_cpu_seconds_total counter");
    expect(text).toContain("# TYPE nodejs_heap_size_used_bytes gauge");
    expect(text).toContain("# TYPE wgfleet_node_status gauge");
    expect(text).not.toContain("wgfleet_peer_received_bytes");
    const main = await fetch(`${server.url}/metrics`);
    expect(main.status).toBe(404);
    expect(await main.text()).not.toContain("wgfleet_http");
  });

  it("serves nothing else on the metrics listener", async () => {
    for (const path of ["/api/v1/users", "/healthz", "/"]) {
      expect((await fetch(`${server.metricsUrl}${path}`)).status, path).toBe(404);
    }
  });
});
