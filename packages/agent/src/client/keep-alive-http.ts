// AgentHttp over node:http / node:https with keep-alive sockets: one KeepAliveAgentHttp per node (the
// dashboard's RemoteTransport holds one and closes it when the node is dropped), a few sockets at most,
// reused call after call. Plain node:http rather than fetch: fetch (undici, web streams, an
// AbortSignal.timeout per call) cost a dashboard replica about 8% of its CPU in the scale bench for the
// same requests. Redirects are never followed (node:http does not); the answer is read up to the
// request's cap: a larger declared length is refused before reading, a body that streams past the cap is
// cut off there, and in both cases the socket is destroyed rather than drained for reuse. The timeout
// covers the whole call (waiting for a socket, connecting, the answer's last byte) and destroys the
// request when it passes. Certificates are checked by node's TLS defaults (NODE_EXTRA_CA_CERTS adds a
// private CA), or against `ca` when given.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import {
  type AgentHttp,
  type AgentHttpAnswer,
  type AgentHttpRequest,
  AgentHttpTimeoutError,
  answerTooLarge,
} from "./agent-http.js";

/** Concurrent requests to one node beyond this wait for a free socket (the timeout still counts). */
const MAX_SOCKETS_PER_NODE = 8;
/** Idle sockets kept beyond this are closed once their request ends. */
const MAX_IDLE_SOCKETS_PER_NODE = 4;
/**
 * An idle socket is closed after this long; below the agent server's 5 s keep-alive timeout, so the
 * dashboard never sends on a socket the agent is closing (node also honours a shorter Keep-Alive hint).
 */
const IDLE_SOCKET_MS = 4_000;

export interface KeepAliveAgentHttpOptions {
  /** Trust exactly these CA certificates for https agent URLs instead of node's defaults. */
  ca?: string | Buffer;
}

export class KeepAliveAgentHttp {
  private plainAgent: HttpAgent | null = null;
  private tlsAgent: HttpsAgent | null = null;

  constructor(private readonly options: KeepAliveAgentHttpOptions = {}) {}

  /** The AgentHttp of this connection pool (bound: hand it around as a function). */
  readonly request: AgentHttp = (request) =>
    new Promise((resolve, reject) => this.send(request, resolve, reject));

  /**
   * Closes the idle sockets now and each busy one once its request ends; requests sent later still
   * work, on sockets closed after use (a dropped transport's last queued calls).
   */
  close(): void {
    for (const agent of [this.plainAgent, this.tlsAgent]) {
      if (!agent) continue;
      agent.maxFreeSockets = 0;
      for (const sockets of Object.values(agent.freeSockets))
        for (const socket of sockets ?? []) socket.destroy();
    }
  }

  private send(
    request: AgentHttpRequest,
    resolve: (answer: AgentHttpAnswer) => void,
    reject: (error: Error) => void,
  ): void {
    const { url, body } = request;
    const secure = url.protocol === "https:";
    if (!secure && url.protocol !== "http:") {
      reject(new Error(`${url.protocol} is not an agent URL scheme (http: or https:)`));
      return;
    }
    const headers =
      body === undefined
        ? request.headers
        : { ...request.headers, "content-length": String(Buffer.byteLength(body)) };
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing.destroy();
      reject(error);
    };
    const onResponse = (response: IncomingMessage) => {
      readCapped(response, request, (error, text) => {
        if (error) return fail(error);
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, text });
      });
    };
    const outgoing = secure
      ? httpsRequest(url, { method: request.method, headers, agent: this.tlsPool() }, onResponse)
      : httpRequest(url, { method: request.method, headers, agent: this.plainPool() }, onResponse);
    const timer = setTimeout(() => fail(new AgentHttpTimeoutError(request.timeoutMs)), request.timeoutMs);
    outgoing.on("error", fail);
    outgoing.end(body);
  }

  private plainPool(): HttpAgent {
    this.plainAgent ??= new HttpAgent(poolOptions());
    return this.plainAgent;
  }

  private tlsPool(): HttpsAgent {
    this.tlsAgent ??= new HttpsAgent({
      ...poolOptions(),
      ...(this.options.ca ? { ca: this.options.ca } : {}),
    });
    return this.tlsAgent;
  }
}

let shared: KeepAliveAgentHttp | null = null;

/**
 * The AgentHttp of clients given none (tests, one-off probes, a node's `/test`): one pool for the
 * process, never closed; its idle sockets close on their own after IDLE_SOCKET_MS.
 */
export function sharedAgentHttp(): AgentHttp {
  shared ??= new KeepAliveAgentHttp();
  return shared.request;
}

function poolOptions() {
  return {
    keepAlive: true,
    maxSockets: MAX_SOCKETS_PER_NODE,
    maxFreeSockets: MAX_IDLE_SOCKETS_PER_NODE,
    timeout: IDLE_SOCKET_MS,
    scheduling: "lifo" as const,
  };
}

/**
 * The answer's body as text, refused (callback with the error, the caller destroys the socket) when its
 * declared length or the bytes received pass the request's cap.
 */
function readCapped(
  response: IncomingMessage,
  request: AgentHttpRequest,
  done: (error: Error | null, text: string) => void,
): void {
  const limit = request.maxAnswerBytes;
  if (Number(response.headers["content-length"] ?? Number.NaN) > limit) {
    done(answerTooLarge(request), "");
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  response.on("data", (chunk: Buffer) => {
    size += chunk.byteLength;
    if (size > limit) done(answerTooLarge(request), "");
    else chunks.push(chunk);
  });
  response.on("end", () => done(null, Buffer.concat(chunks, size).toString("utf8")));
  response.on("error", (error) => done(error, ""));
  response.on("close", () => {
    if (!response.complete) done(connectionClosed(), "");
  });
}

/** The agent closed the connection before its answer ended (node's own code for it: ECONNRESET). */
function connectionClosed(): Error {
  return Object.assign(new Error("the connection closed before the answer ended"), { code: "ECONNRESET" });
}
