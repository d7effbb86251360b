// What went wrong in a call to an agent, in words an operator can act on, and as the API's error codes:
// the agent could not be reached (refused, timed out, DNS, TLS) → NodeUnavailableError (503); the
// agent answered with an error → NodeCallError (502) carrying the agent's own message. Messages never
// hold the secret, a signature or a key (base64 keys are scrubbed from what the agent said).

import { AgentHttpTimeoutError, AgentRequestError, AgentUnreachableError } from "@wgfleet/agent/client";
import { NodeCallError, NodeUnavailableError, type SignatureFailure, type WgFleetError } from "@wgfleet/core";
import { scrubKeys } from "./scrub-keys.js";

/** Why an agent could not be reached, as a word for `/test` and a phrase for messages. */
export type UnreachableKind = "timeout" | "refused" | "dns" | "tls" | "network";

export interface UnreachableReason {
  kind: UnreachableKind;
  message: string;
}

/** The agent answered, with an error status: the change may be refused for good, or its revision is stale. */
export class NodeAgentError extends NodeCallError {
  constructor(
    message: string,
    /** The agent's HTTP status. */
    readonly agentStatus: number,
    /** What the agent's 401 named, when it refused the signature. */
    readonly signatureFailure: SignatureFailure | null = null,
  ) {
    super(message);
  }
}

const SIGNATURE_FAILURES: readonly SignatureFailure[] = [
  "missing_headers",
  "bad_signature",
  "stale_timestamp",
  "future_timestamp",
  "replayed_nonce",
  "unknown_key_id",
];

const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_(GET|VERIFY)_|HOSTNAME_MISMATCH)/;

/**
 * The error chain of a failed agent call (AgentUnreachableError's cause): AgentHttpTimeoutError, node's
 * socket or TLS error with its `code` (ECONNREFUSED, ENOTFOUND, ERR_TLS_..., ...), or the dial-out
 * carrier's AgentNotConnectedError (no code: a network failure, in its own words).
 */
export function describeUnreachable(error: unknown, timeoutMs: number): UnreachableReason {
  const chain: Array<Error & { code?: unknown }> = [];
  let current: unknown = error;
  while (current instanceof Error && chain.length < 6) {
    chain.push(current as Error & { code?: unknown });
    current = (current as { cause?: unknown }).cause;
  }
  if (chain.some((e) => e instanceof AgentHttpTimeoutError)) {
    return { kind: "timeout", message: `no answer within ${formatSeconds(timeoutMs)}` };
  }
  const coded = chain.find((e) => typeof e.code === "string");
  const code = typeof coded?.code === "string" ? coded.code : "";
  const detail = scrubKeys(coded?.message ?? chain.at(-1)?.message ?? String(error));
  if (TLS_CODE.test(code) || /certificate|ssl|tls/i.test(detail)) {
    return { kind: "tls", message: `TLS failed: ${detail}${code ? ` (${code})` : ""}` };
  }
  if (code === "ECONNREFUSED") return { kind: "refused", message: "connection refused" };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return { kind: "dns", message: "host name not found" };
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH")
    return { kind: "network", message: "host unreachable" };
  if (code === "ECONNRESET" || code === "EPIPE")
    return { kind: "network", message: "connection closed by the other side" };
  return { kind: "network", message: detail || "network error" };
}

/** Which signature check the agent's 401 names ("request signature rejected (bad_signature): ..."). */
export function signatureFailureOf(error: AgentRequestError): SignatureFailure | null {
  if (error.status !== 401) return null;
  const text = error.body?.error.message ?? "";
  return SIGNATURE_FAILURES.find((failure) => text.includes(`(${failure})`)) ?? null;
}

/** What to do about a refused signature. */
export function signatureAdvice(failure: SignatureFailure | null): string {
  switch (failure) {
    case "bad_signature":
    case "unknown_key_id":
      return "the node's secret in the dashboard does not match the agent's secret file";
    case "stale_timestamp":
    case "future_timestamp":
      return "the clocks of the dashboard and the node differ by more than 60 s (run NTP on both)";
    case "replayed_nonce":
      return "the agent saw this request before (a proxy retried it?)";
    case "missing_headers":
      return "the signature headers did not reach the agent (a proxy in between drops them?)";
    default:
      return "the agent refused the request's signature";
  }
}

/** Any failure of a call to node `label` as the API's error (never throws itself). */
export function toNodeError(error: unknown, label: string, timeoutMs: number): WgFleetError {
  if (error instanceof NodeCallError || error instanceof NodeUnavailableError) return error;
  if (error instanceof AgentUnreachableError) {
    const reason = describeUnreachable(error.cause ?? error, timeoutMs);
    return new NodeUnavailableError(`node ${label} is unreachable: ${reason.message}`, "node");
  }
  if (error instanceof AgentRequestError) {
    const failure = signatureFailureOf(error);
    if (error.status === 401) {
      return new NodeAgentError(
        `node ${label} refused the dashboard's signature (${failure ?? "unauthorized"}): ${signatureAdvice(failure)}`,
        401,
        failure,
      );
    }
    if (error.body === null && (error.status === 502 || error.status === 503 || error.status === 504)) {
      return new NodeUnavailableError(
        `node ${label} is unreachable: a proxy answered ${error.status} for the agent`,
        "node",
      );
    }
    const said = error.body
      ? scrubKeys(error.body.error.message)
      : "no error body (is this a wgfleet agent?)";
    return new NodeAgentError(`node ${label}: the agent answered ${error.status}: ${said}`, error.status);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new NodeCallError(`node ${label}: ${scrubKeys(message)}`);
}

/** A connection that failed before any answer (not a timeout: the budget is spent then). */
export function isRetryableFailure(error: unknown, timeoutMs: number): boolean {
  if (!(error instanceof AgentUnreachableError)) return false;
  const kind = describeUnreachable(error.cause ?? error, timeoutMs).kind;
  return kind === "refused" || kind === "network";
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
