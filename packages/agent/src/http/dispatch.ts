// One signed request to the agent, whichever way it arrived (its HTTP(S) server, or the socket an agent
// that dials out keeps to the dashboard): route and signature headers (key id, timestamp, nonce) are
// checked before a single body byte is read; the body is then hashed within the route's cap; the
// signature is checked; only then is JSON parsed and the route run. Errors map to core's ErrorBody (400
// naming the field, 401 naming the failed check, 409, 413, 5xx). Logs method, path, status and time per
// request — never a body, header value or secret.
import { type ErrorBody, NotFoundError, WgFleetError } from "@wgfleet/core";
import type { AgentLogger } from "../logging/logger.js";
import type { Authenticator } from "./auth.js";
import { BodyTooLargeError, parseJsonBody, type ReceivedBody } from "./body.js";
import type { LargeBodyGate } from "./body-gate.js";
import { matchRoute, type Reply, type Route, SMALL_BODY_LIMIT } from "./routes.js";

export interface DispatchContext {
  routes: Route[];
  auth: Authenticator;
  logger: AgentLogger;
  /**
   * The request line's logger, without the redaction pass: its paths match field names, and the line's
   * fields are fixed and not secret (method, path, status, ms, key id, error code and message), so the
   * pass — about 14 µs a line warm — could never redact anything there. Secrets are still scrubbed
   * from every line by the logger's stream.
   */
  requestLog: AgentLogger;
  gate: LargeBodyGate;
}

/** A request as both carriers hand it over. */
export interface IncomingAgentRequest {
  method: string;
  /** Path and query as received (what the signature covers). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The length the request declares, when it declares one. */
  declaredLength: number | null;
  /** Reads (and hashes) the body, refusing it past `limit` bytes. Called once signature headers passed. */
  readBody(limit: number): Promise<ReceivedBody>;
}

export interface AgentAnswer {
  status: number;
  reply: Reply;
  /** false when the request was refused before its body was read (HTTP then closes the connection). */
  bodyRead: boolean;
}

export async function dispatchRequest(
  context: DispatchContext,
  request: IncomingAgentRequest,
): Promise<AgentAnswer> {
  const started = performance.now();
  const { method } = request;
  const url = new URL(request.url, "http://agent.invalid");
  let keyId: string | null = null;
  let status = 500;
  let failure: { code: string; message: string } | null = null;
  let bodyRead = false;
  let release: (() => void) | null = null;
  try {
    const match = safeMatch(context.routes, method, url.pathname);
    const limit = match.route?.route.bodyLimit ?? SMALL_BODY_LIMIT;
    const authorization = request.headers.authorization;
    const viaToken =
      method === "GET" &&
      url.pathname === "/metrics" &&
      context.auth.hasMetricsToken(typeof authorization === "string" ? authorization : undefined);
    const pending = viaToken
      ? null
      : context.auth.checkHeaders({ method, url: request.url, headers: request.headers });
    if (request.declaredLength !== null && request.declaredLength > limit) throw new BodyTooLargeError(limit);
    const small = request.declaredLength !== null && request.declaredLength <= SMALL_BODY_LIMIT;
    if (limit > SMALL_BODY_LIMIT && !small) release = context.gate.enter();
    const body = await request.readBody(limit);
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
    return { status, reply, bodyRead };
  } catch (error) {
    const answer = errorAnswer(error);
    status = answer.status;
    failure = { code: answer.body.error.code, message: answer.body.error.message };
    if (status >= 500 && status !== 503) context.logger.error({ err: error }, "request failed");
    return { status, reply: { kind: "json", value: answer.body }, bodyRead };
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
    if (method === "GET" && status < 400) context.requestLog.debug(fields, "request");
    else context.requestLog.info(fields, "request");
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

/** The text and content type an answer goes out with, on either carrier. */
export function replyText(reply: Reply): { text: string; contentType: string } {
  return reply.kind === "json"
    ? { text: JSON.stringify(reply.value), contentType: "application/json; charset=utf-8" }
    : { text: reply.value, contentType: reply.contentType };
}
