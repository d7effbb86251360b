// The image's HEALTHCHECK: GET /healthz on the port of WGFLEET_LISTEN (the image has no curl).
const listen = process.env.WGFLEET_LISTEN ?? "0.0.0.0:10086";
const port = listen.slice(listen.lastIndexOf(":") + 1);
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
