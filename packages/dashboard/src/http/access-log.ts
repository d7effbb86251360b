// One access-log line per request, written when the answer has gone out: method, path (never the query
// string, which can carry one-time codes), status, duration, client address and request id. Probes and
// scrapes (/healthz, /readyz, /metrics) log at debug so a load balancer polling every second does not
// drown the log; everything else at info. Routes that raised their own log level because their URL
// carries a secret (share links, join tokens, the OIDC callback) are logged by their route template.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { TypedApp } from "./types.js";

/** Paths a load balancer or Prometheus calls all the time. */
export const QUIET_PATHS: ReadonlySet<string> = new Set(["/healthz", "/readyz", "/metrics"]);

export interface AccessLogLine {
  reqId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  ip: string;
}

export function registerAccessLog(app: TypedApp): void {
  // Without the logger's redaction pass: its paths match field names (logging/logger.ts), and this
  // line's fields are the fixed, non-secret ones of AccessLogLine with plain values (the path already
  // stripped of its query), so the pass, run for every request, could never redact anything here.
  const log = app.log.child({}, { redact: [] });
  app.addHook("onResponse", async (request, reply) => {
    const line = accessLogLine(request, reply);
    if (QUIET_PATHS.has(line.path)) log.debug(line, "request");
    else log.info(line, "request");
  });
}

export function accessLogLine(request: FastifyRequest, reply: FastifyReply): AccessLogLine {
  return {
    reqId: String(request.id),
    method: request.method,
    path: loggedPath(request),
    status: reply.statusCode,
    ms: Math.round(reply.elapsedTime * 100) / 100,
    ip: request.ip,
  };
}

/** The path without its query; a route that keeps its URL out of the log gives its template instead. */
function loggedPath(request: FastifyRequest): string {
  const template = request.routeOptions.url;
  if (template && hidesItsUrl(request.routeOptions.logLevel)) return template;
  return (request.url.split("?")[0] ?? "/").slice(0, 512);
}

function hidesItsUrl(level: string | undefined): boolean {
  return level === "warn" || level === "error" || level === "fatal" || level === "silent";
}
