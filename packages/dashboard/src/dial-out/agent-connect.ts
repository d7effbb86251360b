// `GET /api/v1/agent-connect` with `Upgrade: websocket`: where an agent that dials out connects. The
// upgrade request is signed like every agent request (core's scheme, GET, empty body) with the node's
// own secret: its key id names the node (a node added as one that dials out), the HMAC proves the
// agent holds the secret, the timestamp and nonce stop a replay. Anything else is refused with a plain
// HTTP status before a WebSocket exists (401 naming the failed check, 404 for another path, 426
// without the subprotocol). Then the socket belongs to AgentConnections. Never logs a header value.
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import {
  DIAL_OUT_MAX_FRAME_BYTES,
  DIAL_OUT_PATH,
  DIAL_OUT_SUBPROTOCOL,
  NonceCache,
  SIGNATURE_HEADERS,
  SignatureError,
  verifyRequest,
} from "@wgfleet/core";
import { WebSocketServer } from "ws";
import type { Logger } from "../logging/logger.js";
import type { AgentConnections } from "./agent-connections.js";

/** The secret of the dial-out node whose current secret has this key id, or null. */
export interface DialOutNodes {
  secretByKeyId(keyId: string): Promise<{ nodeId: string; name: string; secret: string } | null>;
}

export interface AgentConnectDeps {
  connections: AgentConnections;
  nodes: DialOutNodes;
  logger: Pick<Logger, "info" | "warn">;
}

/** How often the dashboard checks a socket for traffic; one with none since the last check is dropped. */
export const DIAL_OUT_IDLE_CHECK_MS = 45_000;

/** Serves agent connections on the dashboard's HTTP server; answers a stop function. */
export function serveAgentConnect(server: Server, deps: AgentConnectDeps): () => void {
  const nonces = new NonceCache();
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: DIAL_OUT_MAX_FRAME_BYTES,
    perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has(DIAL_OUT_SUBPROTOCOL) ? DIAL_OUT_SUBPROTOCOL : false),
  });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    void accept(request, socket, head);
  };
  const accept = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = await authenticate(request, deps.nodes, nonces);
    if ("status" in refusal) {
      if (refusal.status === 401)
        deps.logger.warn({ reason: refusal.message }, "an agent's connection was refused");
      return refuse(socket, refusal.status, refusal.message);
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      watchIdle(ws);
      deps.connections.attach(refusal.nodeId, ws);
      deps.logger.info({ node: refusal.nodeId, name: refusal.name }, "agent connected (it dials out)");
      ws.on("close", () =>
        deps.logger.info({ node: refusal.nodeId, name: refusal.name }, "agent connection closed"),
      );
    });
  };
  server.on("upgrade", onUpgrade);
  return () => {
    server.off("upgrade", onUpgrade);
    deps.connections.closeAll();
    sockets.close();
  };
}

type Outcome = { nodeId: string; name: string } | { status: number; message: string };

async function authenticate(
  request: IncomingMessage,
  nodes: DialOutNodes,
  nonces: NonceCache,
): Promise<Outcome> {
  const url = request.url ?? "/";
  if (new URL(url, "http://dashboard.invalid").pathname !== DIAL_OUT_PATH)
    return { status: 404, message: "no WebSocket here" };
  if (request.method !== "GET") return { status: 405, message: "GET only" };
  const offered = String(request.headers["sec-websocket-protocol"] ?? "").split(/\s*,\s*/);
  if (!offered.includes(DIAL_OUT_SUBPROTOCOL))
    return { status: 426, message: `the ${DIAL_OUT_SUBPROTOCOL} subprotocol is required` };
  const keyId = request.headers[SIGNATURE_HEADERS.keyId];
  if (typeof keyId !== "string") return { status: 401, message: "the request is not signed" };
  const node = await nodes.secretByKeyId(keyId).catch(() => null);
  if (!node) return { status: 401, message: "no node that dials out has this key id" };
  try {
    verifyRequest({
      method: "GET",
      pathWithQuery: url,
      body: "",
      headers: request.headers,
      secrets: new Map([[keyId, node.secret]]),
      nonces,
    });
  } catch (error) {
    if (error instanceof SignatureError) return { status: 401, message: error.message };
    throw error;
  }
  return { nodeId: node.nodeId, name: node.name };
}

function refuse(socket: Duplex, status: number, message: string): void {
  const reason = {
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    426: "Upgrade Required",
  };
  const text = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason[status as keyof typeof reason] ?? "Refused"}\r\n` +
      "content-type: text/plain; charset=utf-8\r\n" +
      `content-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
  );
}

/** The agent pings every 15 s: a socket that has carried nothing between two checks is gone. */
function watchIdle(ws: import("ws").WebSocket): void {
  let seen = true;
  const mark = () => {
    seen = true;
  };
  ws.on("ping", mark);
  ws.on("message", mark);
  const timer = setInterval(() => {
    if (!seen) ws.terminate();
    seen = false;
  }, DIAL_OUT_IDLE_CHECK_MS);
  timer.unref();
  ws.on("close", () => clearInterval(timer));
}
