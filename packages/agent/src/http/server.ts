// The agent's HTTP(S) server: reads the raw body within the route's limit, checks the signature before
// anything is parsed, dispatches, and maps errors to core's ErrorBody with the matching status
// (400 naming the field, 401 naming the failed check, 409, 5xx with the system's own text).
// Logs method, path, status and time per request — never a body, header value or secret.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type ErrorBody, NotFoundError, WgFleetError } from "@wgfleet/core";
import type { AgentLogger } from "../logging/logger.js";
import type { Authenticator } from "./auth.js";
import { BodyTooLargeError, parseJsonBody, readBody } from "./body.js";
import { matchRoute, type Reply, type Route, SMALL_BODY_LIMIT } from "./routes.js";

export interface AgentServerOptions {
  routes: Route[];
  auth: Authenticator;
  logger: AgentLogger;
  tls?: { cert: Buffer; key: Buffer } | null;
}

export function createAgentServer(options: AgentServerOptions): Server {
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    void handleRequest(options, request, response);
  };
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler)
    : createHttpServer(handler);
  server.requestTimeout = 120_000;
  server.headersTimeout = 30_000;
  return server;
}

async function handleRequest(
  options: AgentServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const method = request.method ?? "GET";
  const rawUrl = request.url ?? "/";
  const url = new URL(rawUrl, "http://agent.invalid");
  if (method === "GET" && url.pathname === "/livez") {
    send(response, 200, { kind: "text", value: "ok", contentType: "text/plain; charset=utf-8" });
    return;
  }
  let keyId: string | null = null;
  let status = 500;
  let failure: { code: string; message: string } | null = null;
  try {
    const match = safeMatch(options.routes, method, url.pathname);
    const raw = await readBody(request, match.route?.route.bodyLimit ?? SMALL_BODY_LIMIT);
    const viaToken =
      method === "GET" &&
      url.pathname === "/metrics" &&
      options.auth.hasMetricsToken(request.headers.authorization);
    keyId = viaToken
      ? "metrics-token"
      : options.auth.verify({ method, url: rawUrl, headers: request.headers, body: raw });
    if (match.error) throw match.error;
    if (!match.route) throw new NotFoundError(`route ${method} ${url.pathname}`);
    let parsed: { value: unknown } | null = null;
    const reply = await match.route.route.handle({
      params: match.route.params,
      query: url.searchParams,
      body: () => {
        parsed ??= { value: parseJsonBody(raw) };
        return parsed.value;
      },
    });
    status = 200;
    send(response, status, reply);
  } catch (error) {
    const answer = errorAnswer(error);
    status = answer.status;
    failure = { code: answer.body.error.code, message: answer.body.error.message };
    if (error instanceof BodyTooLargeError) response.setHeader("connection", "close");
    send(response, status, { kind: "json", value: answer.body });
    if (status >= 500) options.logger.error({ err: error }, "request failed");
  } finally {
    const fields = {
      method,
      path: url.pathname,
      status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      keyId,
      ...failure,
    };
    if (method === "GET" && status < 400) options.logger.debug(fields, "request");
    else options.logger.info(fields, "request");
  }
}

/** Route matching can fail on bad percent-encoding; that error waits until the signature is checked. */
function safeMatch(routes: Route[], method: string, pathname: string) {
  try {
    return { route: matchRoute(routes, method, pathname), error: null };
  } catch (error) {
    return { route: null, error };
  }
}

export function errorAnswer(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof BodyTooLargeError) return { status: error.httpStatus, body: error.toBody() };
  if (error instanceof WgFleetError) return { status: error.status, body: error.toBody() };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { error: { code: "NODE_ERROR", message } } };
}

function send(response: ServerResponse, status: number, reply: Reply): void {
  if (response.headersSent) return;
  const text = reply.kind === "json" ? JSON.stringify(reply.value) : reply.value;
  response.statusCode = status;
  response.setHeader(
    "content-type",
    reply.kind === "json" ? "application/json; charset=utf-8" : reply.contentType,
  );
  response.setHeader("content-length", Buffer.byteLength(text));
  response.setHeader("cache-control", "no-store");
  response.end(text);
}
