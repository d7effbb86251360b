// `wgfleet serve --metrics-listen HOST:PORT`: Prometheus text on a listener of its own (a private
// address a scraper reaches), so the main port need not serve metrics at all. It answers GET /metrics
// and 404 for anything else; it never serves the API.
import { createServer, type Server } from "node:http";
import type { ListenAddress } from "../config/settings.js";
import { type MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from "./registry.js";

export interface MetricsListener {
  /** "http://127.0.0.1:9100" */
  url: string;
  close(): Promise<void>;
}

export async function startMetricsListener(
  metrics: MetricsRegistry,
  address: ListenAddress,
): Promise<MetricsListener> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0];
    if (path !== "/metrics" || (request.method !== "GET" && request.method !== "HEAD")) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    metrics.render().then(
      (text) => {
        response.writeHead(200, {
          "content-type": PROMETHEUS_CONTENT_TYPE,
          "cache-control": "no-store",
          "x-content-type-options": "nosniff",
        });
        response.end(request.method === "HEAD" ? undefined : text);
      },
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return { url: urlOf(server), close: () => closeServer(server) };
}

function urlOf(server: Server): string {
  const address = server.address();
  if (address === null || typeof address === "string") return String(address);
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
