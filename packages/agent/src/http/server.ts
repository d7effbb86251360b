// The agent's HTTP(S) server: the connection limits, GET /livez, and every other request handed to
// dispatchRequest (dispatch.ts: signature headers before the body, the body hashed as it streams within
// the route's cap, then the route), whose answer it writes. A request refused before its body was read
// closes its connection.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AgentLogger } from "../logging/logger.js";
import type { Authenticator } from "./auth.js";
import { readBody } from "./body.js";
import { LargeBodyGate } from "./body-gate.js";
import { type DispatchContext, dispatchRequest, replyText } from "./dispatch.js";
import type { Reply, Route } from "./routes.js";

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

/** The dispatch context of both carriers: one gate bounds the large bodies buffered at once. */
export function dispatchContext(options: Omit<AgentServerOptions, "tls">): DispatchContext {
  return {
    ...options,
    requestLog: options.logger.child({}, { redact: [] }),
    gate: new LargeBodyGate(SERVER_LIMITS.maxLargeBodies),
  };
}

export function createAgentServer(options: AgentServerOptions, shared?: DispatchContext): Server {
  const context = shared ?? dispatchContext(options);
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
  context: DispatchContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const method = request.method ?? "GET";
  const rawUrl = request.url ?? "/";
  if (method === "GET" && new URL(rawUrl, "http://agent.invalid").pathname === "/livez") {
    send(response, 200, { kind: "text", value: "ok", contentType: "text/plain; charset=utf-8" });
    return;
  }
  const answer = await dispatchRequest(context, {
    method,
    url: rawUrl,
    headers: request.headers,
    declaredLength: declaredLength(request),
    readBody: (limit) => readBody(request, limit),
  });
  if (!answer.bodyRead) closeUnread(request, response);
  send(response, answer.status, answer.reply);
}

function declaredLength(request: IncomingMessage): number | null {
  const text = request.headers["content-length"];
  if (text === undefined) return null;
  const declared = Number(text);
  return Number.isFinite(declared) ? declared : null;
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

function send(response: ServerResponse, status: number, reply: Reply): void {
  if (response.headersSent) return;
  const { text, contentType } = replyText(reply);
  response.statusCode = status;
  response.setHeader("content-type", contentType);
  response.setHeader("content-length", Buffer.byteLength(text));
  response.setHeader("cache-control", "no-store");
  response.end(text);
}
