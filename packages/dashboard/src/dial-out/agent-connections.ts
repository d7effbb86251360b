// The sockets of agents that dial out, held by this process: node id → its agent's WebSocket. Each
// node's transport is the ordinary signed RemoteTransport with an AgentHttp from here (httpFor): the
// same signed request, with the same timeout and answer cap, goes out as one request frame and its
// answer frame comes back. No socket here → the request goes through the replica that holds it
// (agent-relay.ts, PostgreSQL), or, with no relay or no holder, the call fails like a refused connection
// (AgentNotConnectedError: 503 node unavailable; retried like one). A socket that closes fails the
// requests waiting on it the same way.
// One socket per node: a newer one replaces the older. Holds no secret; never logs a frame.
import {
  type AgentHttp,
  type AgentHttpAnswer,
  type AgentHttpRequest,
  AgentHttpTimeoutError,
  answerTooLarge,
} from "@wgfleet/agent/client";
import {
  DIAL_OUT_MAX_FRAME_BYTES,
  type DialOutRequest,
  type DialOutResponse,
  parseDialOutFrame,
} from "@wgfleet/core";
import type { WebSocket } from "ws";
import type { AgentRelay } from "./agent-relay.js";

/** A request as it goes over a socket, without the socket's own id. */
export type RequestFrame = Omit<DialOutRequest, "type" | "id">;

/** Why a dial-out node cannot be called now: a connection failure, in words (it has no error code). */
export class AgentNotConnectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AgentNotConnectedError";
  }
}

interface Pending {
  resolve(answer: DialOutResponse): void;
  reject(error: Error): void;
}

export interface AgentConnection {
  readonly nodeId: string;
  readonly since: Date;
}

/** What happens when a node's socket comes and goes (recorded in the database, health checked). */
export interface ConnectionEvents {
  connected(nodeId: string, since: Date): void;
  disconnected(nodeId: string): void;
}

class Connection implements AgentConnection {
  readonly since = new Date();
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    readonly nodeId: string,
    readonly socket: WebSocket,
  ) {}

  request(frame: RequestFrame, signal: AbortSignal | null): Promise<DialOutResponse> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        reject(signal?.reason ?? new DOMException("aborted", "AbortError"));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      const settle = () => signal?.removeEventListener("abort", onAbort);
      this.pending.set(id, {
        resolve: (answer) => {
          settle();
          resolve(answer);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      this.socket.send(JSON.stringify({ type: "request", id, ...frame }), (error) => {
        if (error) this.fail(id, new AgentNotConnectedError(`sending to the agent failed: ${error.message}`));
      });
    });
  }

  /** An answer frame from the agent; anything else ends the connection. */
  received(text: string): void {
    const frame = parseDialOutFrame(text);
    if (frame?.type !== "response") {
      this.socket.close(1008, "not a response frame");
      return;
    }
    const waiting = this.pending.get(frame.id);
    this.pending.delete(frame.id);
    waiting?.resolve(frame);
  }

  /** Fails every request still waiting (the socket closed or was replaced). */
  failAll(reason: string): void {
    for (const id of [...this.pending.keys()]) this.fail(id, new AgentNotConnectedError(reason));
  }

  private fail(id: number, error: Error): void {
    const waiting = this.pending.get(id);
    this.pending.delete(id);
    waiting?.reject(error);
  }
}

export class AgentConnections {
  private readonly connections = new Map<string, Connection>();
  private events: ConnectionEvents | null = null;
  private relay: Pick<AgentRelay, "forward"> | null = null;

  /** Set once the services that record connections exist. */
  onChange(events: ConnectionEvents): void {
    this.events = events;
  }

  /** Set when other replicas may hold sockets (PostgreSQL): requests for them go through it. */
  relayThrough(relay: Pick<AgentRelay, "forward">): void {
    this.relay = relay;
  }

  /** Takes an authenticated agent's socket for its node; an older socket of the node is closed. */
  attach(nodeId: string, socket: WebSocket): AgentConnection {
    const previous = this.connections.get(nodeId);
    const connection = new Connection(nodeId, socket);
    this.connections.set(nodeId, connection);
    if (previous) {
      previous.failAll("the agent connected again");
      previous.socket.close(4000, "replaced by a newer connection");
    }
    socket.on("message", (data, isBinary) => {
      if (isBinary) socket.close(1003, "text frames only");
      else connection.received(data.toString());
    });
    socket.on("close", () => this.detach(connection));
    socket.on("error", () => socket.terminate());
    this.events?.connected(nodeId, connection.since);
    return connection;
  }

  /** The node's connection now, or null. */
  get(nodeId: string): AgentConnection | null {
    return this.connections.get(nodeId) ?? null;
  }

  /** Closes every socket (the dashboard stops); agents dial again. */
  closeAll(): void {
    for (const connection of this.connections.values()) connection.socket.close(1001, "dashboard stopping");
  }

  /** Drops the node's socket (the node was deleted or is no longer one that dials out). */
  drop(nodeId: string, reason: string): void {
    this.connections.get(nodeId)?.socket.close(4001, reason.slice(0, 100));
  }

  /** The AgentHttp that carries the node's signed requests over its socket (or through the relay). */
  httpFor(nodeId: string): AgentHttp {
    return async (request) => {
      const body = request.body ?? "";
      if (body.length > DIAL_OUT_MAX_FRAME_BYTES)
        throw new AgentNotConnectedError("the request is too large");
      const frame: RequestFrame = {
        method: request.method,
        url: `${request.url.pathname}${request.url.search}`,
        headers: request.headers,
        body,
      };
      // The relay and the socket's pending request both end on this signal; its reason is what they throw.
      const timeout = new AbortController();
      const timer = setTimeout(
        () => timeout.abort(new AgentHttpTimeoutError(request.timeoutMs)),
        request.timeoutMs,
      );
      try {
        const answer =
          this.relay && !this.connections.has(nodeId)
            ? await this.relay.forward(nodeId, frame, timeout.signal)
            : await this.send(nodeId, frame, timeout.signal);
        return cappedAnswer(answer, request);
      } finally {
        clearTimeout(timer);
      }
    };
  }

  /** Sends a request over the socket this process holds for the node (httpFor, the relay's holder side). */
  async send(nodeId: string, frame: RequestFrame, signal: AbortSignal | null): Promise<DialOutResponse> {
    const connection = this.connections.get(nodeId);
    if (!connection)
      throw new AgentNotConnectedError("the agent dials out and is not connected to this dashboard now");
    return connection.request(frame, signal);
  }

  private detach(connection: Connection): void {
    connection.failAll("the agent's connection closed");
    if (this.connections.get(connection.nodeId) !== connection) return;
    this.connections.delete(connection.nodeId);
    this.events?.disconnected(connection.nodeId);
  }
}

/** The agent's answer frame as an AgentHttp answer, refused when its body passes the request's cap. */
function cappedAnswer(
  answer: Pick<DialOutResponse, "status" | "body">,
  request: AgentHttpRequest,
): AgentHttpAnswer {
  const empty = answer.status === 204 || answer.status === 205 || answer.status === 304;
  const text = empty ? "" : answer.body;
  if (Buffer.byteLength(text) > request.maxAnswerBytes) throw answerTooLarge(request);
  return { status: answer.status, text };
}
