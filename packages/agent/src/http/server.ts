// The agent's HTTP(S) server. Order per request: route and signature headers (key id, timestamp,
// nonce) are checked before a single body byte is read; the body is then hashed as it streams, within
// the route's cap; the signature is checked at the end; only then is JSON parsed and the route run.
// Errors map to core's ErrorBody (400 naming the field, 401 naming the failed check, 409, 413, 5xx).
// Logs method, path, status and time per request — never a body, header value or secret.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type ErrorBody, NotFoundError, WgFleetError } from "@wgfleet/core";
import type { AgentLogger } from "../logging/logger.js";
import type { Authenticator } from "./auth.js";
import { BodyTooLargeError, checkDeclaredLength, parseJsonBody, readBody } from "./body.js";
import { LargeBodyGate } from "./body-gate.js";
import { matchRoute, type Reply, type Route, SMALL_BODY_LIMIT } from "./routes.js";

/** What one connection may cost before it is authenticated. */
export const SERVER_LIMITS = {
  /** All headers must have arrived this long after the connection started (slow-drip clients). */
  headersTimeoutMs: 10_000,
  /** The whole request, body included (a 16 MiB state over a slow link still fits). */
  requestTimeoutMs: 120_000,
  /** A socket with no traffic at all for this long is closed. */
  idleSocketTimeoutMs: 30_000,
  /** How often the timeouts above are enforced. */
  checkIntervalMs: 1_000,
  maxHeaderBytes: 16 * 1024,
  maxHeadersCount: 64,
  maxConnections: 256,
  /** Bodies over a peer's size being received at once (each is buffered until its signature is checked). */
  maxLargeBodies: 4,
  /** After refusing a request before its body, the socket is closed at the latest this much later. */
  refusedSocketGraceMs: 1_000,
} as const;

export interface AgentServerOptions {
  routes: Route[];
  auth: Authenticator;
  logger: AgentLogger;
  tls?: { cert: Buffer; key: Buffer } | null;
}

interface RequestContext extends AgentServerOptions {
  gate: LargeBodyGate;
}

export function createAgentServer(options: AgentServerOptions): Server {
  const context: RequestContext = { ...options, gate: new LargeBodyGate(SERVER_LIMITS.maxLargeBodies) };
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    void handleRequest(context, request, response);
  };
  const serverOptions: ServerOptions = {
    maxHeaderSize: SERVER_LIMITS.maxHeaderBytes,
    headersTimeout: SERVER_LIMITS.headersTimeoutMs,
    requestTimeout: SERVER_LIMITS.requestTimeoutMs,
    connectionsCheckingInterval: SERVER_LIMITS.checkIntervalMs,
  };
  const server = options.tls
    ? createHttpsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key }, handler)
    : createHttpServer(serverOptions, handler);
  server.maxHeadersCount = SERVER_LIMITS.maxHeadersCount;
  server.maxConnections = SERVER_LIMITS.maxConnections;
  server.setTimeout(SERVER_LIMITS.idleSocketTimeoutMs, (socket) => socket.destroy());
  return server;
}

async function handleRequest(
  options: RequestContext,
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
  let bodyRead = false;
  let release: (() => void) | null = null;
  try {
    const match = safeMatch(options.routes, method, url.pathname);
    const limit = match.route?.route.bodyLimit ?? SMALL_BODY_LIMIT;
    const viaToken =
      method === "GET" &&
      url.pathname === "/metrics" &&
      options.auth.hasMetricsToken(request.headers.authorization);
    const pending = viaToken
      ? null
      : options.auth.checkHeaders({ method, url: rawUrl, headers: request.headers });
    checkDeclaredLength(request, limit);
    if (limit > SMALL_BODY_LIMIT && !declaresSmallBody(request)) release = options.gate.enter();
    const body = await readBody(request, limit);
    bodyRead = true;
    const signedWith = pending ? pending.finish(body.sha256).keyId : "metrics-token";
    keyId = signedWith;
    if (match.error) throw match.error;
    if (!match.route) throw new NotFoundError(`route ${method} ${url.pathname}`);
    let parsed: { value: unknown } | null = null;
    const reply = await match.route.route.handle({
      params: match.route.params,
      query: url.searchParams,
      keyId: signedWith,
      body: () => {
        parsed ??= { value: parseJsonBody(body.bytes) };
        return parsed.value;
      },
    });
    status = 200;
    send(response, status, reply);
  } catch (error) {
    const answer = errorAnswer(error);
    status = answer.status;
    failure = { code: answer.body.error.code, message: answer.body.error.message };
    if (!bodyRead) closeUnread(request, response);
    send(response, status, { kind: "json", value: answer.body });
    if (status >= 500 && status !== 503) options.logger.error({ err: error }, "request failed");
  } finally {
    release?.();
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

function declaresSmallBody(request: IncomingMessage): boolean {
  const declared = Number(request.headers["content-length"]);
  return Number.isFinite(declared) && declared <= SMALL_BODY_LIMIT;
}

/**
 * A request refused before its body was read: the answer says `connection: close`, Node discards what
 * still arrives, and the socket is destroyed shortly after the answer went out, so a refused client
 * cannot keep a connection busy by trickling a body.
 */
function closeUnread(request: IncomingMessage, response: ServerResponse): void {
  if (request.complete) return;
  response.setHeader("connection", "close");
  response.once("finish", () => {
    setTimeout(() => request.socket.destroy(), SERVER_LIMITS.refusedSocketGraceMs).unref();
  });
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
