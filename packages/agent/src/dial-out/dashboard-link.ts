// An agent that dials out (`--dashboard URL`): it keeps one WebSocket to the dashboard, opened with an
// upgrade request signed by its current secret (core's scheme: the dashboard finds the node by the key
// id and checks the HMAC, so no new secret exists), and answers the requests that arrive on it through
// the same dispatch as its HTTP server — same signature check, same routes. A lost or refused connection
// is tried again with a growing delay (1 s doubling to 10 s); a connection that stops answering pings
// is dropped and dialled again. Never logs a secret, header value or body.
import {
  DIAL_OUT_MAX_FRAME_BYTES,
  DIAL_OUT_PATH,
  DIAL_OUT_SUBPROTOCOL,
  type DialOutRequest,
  type DialOutResponse,
  parseDialOutFrame,
  signRequest,
} from "@wgfleet/core";
import WebSocket from "ws";
import { bodyFromBytes } from "../http/body.js";
import { type DispatchContext, dispatchRequest, replyText } from "../http/dispatch.js";
import type { AgentLogger } from "../logging/logger.js";

export interface DashboardLinkOptions {
  /** The dashboard's http(s) URL (a path prefix is kept). */
  dashboard: URL;
  /** The key id and secret to sign the upgrade with: the agent's current secret. */
  credentials(): { keyId: string; secret: string };
  dispatch: DispatchContext;
  logger: AgentLogger;
  /** How often the agent pings; a ping unanswered by the next one drops the connection. */
  keepaliveMs?: number;
  /** First and longest wait before dialling again. */
  retryMs?: { first: number; max: number };
}

const DEFAULT_KEEPALIVE_MS = 15_000;
const DEFAULT_RETRY = { first: 1_000, max: 10_000 };

export class DashboardLink {
  private socket: WebSocket | null = null;
  private stopped = false;
  private retryDelay: number;
  private retryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private connectedSince: number | null = null;
  private readonly keepaliveMs: number;
  private readonly retry: { first: number; max: number };

  constructor(private readonly options: DashboardLinkOptions) {
    this.keepaliveMs = options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS;
    this.retry = options.retryMs ?? DEFAULT_RETRY;
    this.retryDelay = this.retry.first;
  }

  /** The ws(s):// URL dialled: the dashboard's URL and path prefix, then the agent-connect path. */
  get url(): URL {
    const url = new URL(this.options.dashboard);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.pathname = `${url.pathname.replace(/\/+$/, "")}${DIAL_OUT_PATH}`;
    url.search = "";
    url.hash = "";
    return url;
  }

  get connected(): boolean {
    return this.connectedSince !== null;
  }

  start(): void {
    this.stopped = false;
    this.dial();
  }

  /** Closes the connection and dials no more. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.stopPinging();
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.close(1001, "agent stopping");
    const timer = setTimeout(() => socket.terminate(), 2_000);
    await closed;
    clearTimeout(timer);
  }

  private dial(): void {
    const url = this.url;
    const { keyId, secret } = this.options.credentials();
    const headers = signRequest({ method: "GET", pathWithQuery: url.pathname, body: "", keyId, secret });
    const socket = new WebSocket(url, DIAL_OUT_SUBPROTOCOL, {
      headers,
      maxPayload: DIAL_OUT_MAX_FRAME_BYTES,
      handshakeTimeout: 10_000,
      followRedirects: false,
      perMessageDeflate: false,
    });
    this.socket = socket;
    socket.on("open", () => this.opened(socket));
    socket.on("message", (data, isBinary) => {
      if (isBinary) return socket.close(1003, "text frames only");
      void this.answer(socket, data.toString());
    });
    socket.on("pong", () => {
      (socket as WebSocket & { alive?: boolean }).alive = true;
    });
    socket.on("unexpected-response", (_request, response) => {
      this.options.logger.warn(
        { dashboard: url.origin, status: response.statusCode },
        "the dashboard refused the connection (is this node added there as one that dials out, with this secret?)",
      );
      response.resume();
      socket.terminate();
    });
    socket.on("error", (error) => {
      this.options.logger.debug(
        { dashboard: url.origin, reason: error.message },
        "dashboard connection error",
      );
    });
    socket.on("close", (code) => this.closed(socket, code));
  }

  private opened(socket: WebSocket): void {
    this.connectedSince = Date.now();
    this.retryDelay = this.retry.first;
    this.options.logger.info({ dashboard: this.url.origin }, "connected to the dashboard");
    const marked = socket as WebSocket & { alive?: boolean };
    marked.alive = true;
    this.pingTimer = setInterval(() => {
      if (!marked.alive) {
        this.options.logger.warn({ dashboard: this.url.origin }, "the dashboard stopped answering pings");
        socket.terminate();
        return;
      }
      marked.alive = false;
      socket.ping();
    }, this.keepaliveMs);
    this.pingTimer.unref();
  }

  private closed(socket: WebSocket, code: number): void {
    if (this.socket !== socket) return;
    this.socket = null;
    this.stopPinging();
    if (this.connectedSince !== null) {
      this.options.logger.warn({ dashboard: this.url.origin, code }, "dashboard connection lost");
    }
    this.connectedSince = null;
    if (this.stopped) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, this.retry.max);
    this.retryTimer = setTimeout(() => this.dial(), delay);
  }

  private stopPinging(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  /** One request frame answered through the agent's dispatch; anything else closes the socket. */
  private async answer(socket: WebSocket, text: string): Promise<void> {
    const frame = parseDialOutFrame(text);
    if (frame?.type !== "request") {
      socket.close(1008, "not a request frame");
      return;
    }
    const response = await this.respond(frame);
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(response));
  }

  private async respond(request: DialOutRequest): Promise<DialOutResponse> {
    const bytes = Buffer.from(request.body, "utf8");
    const answer = await dispatchRequest(this.options.dispatch, {
      method: request.method,
      url: request.url,
      headers: lowerCased(request.headers),
      declaredLength: bytes.length,
      readBody: async (limit) => bodyFromBytes(bytes, limit),
    });
    const { text, contentType } = replyText(answer.reply);
    return { type: "response", id: request.id, status: answer.status, contentType, body: text };
  }
}

/** Header names as Node's HTTP server hands them over (lower case), so both carriers read the same. */
function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
