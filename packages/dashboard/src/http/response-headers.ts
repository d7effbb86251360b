// Headers of the server's own answers: API JSON, client configs, QR codes, health and metrics are
// never sniffed as another type and never stored by a browser or proxy cache (they hold private keys
// and live state). The web app's own files set their headers in web-assets.ts.
import type { TypedApp } from "./types.js";

/** Paths (and everything below them) that belong to the server, never to the web app's pages. */
const SERVER_ROOTS = ["/api", "/s", "/metrics", "/healthz", "/readyz"];

export function isServerPath(url: string): boolean {
  const path = url.split("?")[0] ?? "";
  return SERVER_ROOTS.some((root) => path === root || path.startsWith(`${root}/`));
}

export function registerResponseHeaders(app: TypedApp): void {
  app.addHook("onSend", async (request, reply, payload) => {
    reply.header("x-content-type-options", "nosniff");
    if (isServerPath(request.url)) reply.header("cache-control", "no-store");
    return payload;
  });
}
