// Agents that dial out: an agent behind NAT or a firewall keeps one WebSocket to the dashboard, and the
// dashboard sends it the very requests it would send over HTTP — signed the same way, answered by the
// same routes. These are the frames on that socket (JSON text, one per message) and how each side checks
// what it receives. The upgrade request itself is signed like any agent request (GET, empty body).

/** Where an agent dials in, under the dashboard's URL (its path prefix, if any, goes first). */
export const DIAL_OUT_PATH = "/api/v1/agent-connect";

/** The WebSocket subprotocol both sides insist on, so that nothing else is mistaken for an agent link. */
export const DIAL_OUT_SUBPROTOCOL = "wgfleet-agent.v1";

/** Largest frame either side accepts: the agent's largest body (16 MiB) plus the envelope around it. */
export const DIAL_OUT_MAX_FRAME_BYTES = 17 * 1024 * 1024 + 64 * 1024;

/** A request from the dashboard: what an HTTP request to the agent would carry, signature headers included. */
export interface DialOutRequest {
  type: "request";
  /** Unique among the requests in flight on this socket; the answer carries it back. */
  id: number;
  method: string;
  /** Path and query, exactly as signed ("/v1/interfaces/wg0/peers/…?revision=7"). */
  url: string;
  headers: Record<string, string>;
  /** The body text (UTF-8, as signed); "" for none. */
  body: string;
}

/** The agent's answer to one request. */
export interface DialOutResponse {
  type: "response";
  id: number;
  status: number;
  contentType: string;
  body: string;
}

export type DialOutFrame = DialOutRequest | DialOutResponse;

/** Parses one frame; null when it is not a frame of this protocol (the receiver then closes the socket). */
export function parseDialOutFrame(text: string): DialOutFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const frame = value as Record<string, unknown>;
  if (!Number.isSafeInteger(frame.id) || (frame.id as number) < 0) return null;
  if (frame.type === "request") return isRequest(frame) ? (frame as unknown as DialOutRequest) : null;
  if (frame.type === "response") return isResponse(frame) ? (frame as unknown as DialOutResponse) : null;
  return null;
}

function isRequest(frame: Record<string, unknown>): boolean {
  return (
    typeof frame.method === "string" &&
    /^[A-Z]{1,10}$/.test(frame.method) &&
    typeof frame.url === "string" &&
    frame.url.startsWith("/") &&
    typeof frame.body === "string" &&
    isStringRecord(frame.headers)
  );
}

function isResponse(frame: Record<string, unknown>): boolean {
  return (
    Number.isInteger(frame.status) &&
    (frame.status as number) >= 100 &&
    (frame.status as number) <= 599 &&
    typeof frame.contentType === "string" &&
    typeof frame.body === "string"
  );
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((entry) => typeof entry === "string");
}
