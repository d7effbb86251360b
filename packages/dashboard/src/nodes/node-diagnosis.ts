// `POST /api/v1/nodes/:id/test`: one unsigned call (GET /livez: is the URL an agent, does TLS work?)
// and one signed call (GET /v1/health: is the secret right, is the clock close, does the agent speak
// protocol v1 in a version this dashboard understands?), and a verdict that names the first thing
// wrong and what to do. Never changes anything; never puts the secret into the answer.

import {
  AgentAnswerError,
  AgentClient,
  type AgentHttp,
  AgentProtocolMismatchError,
  AgentRequestError,
  AgentUnreachableError,
  sharedAgentHttp,
} from "@wgfleet/agent/client";
import { type Health, PROTOCOL_VERSION } from "@wgfleet/core";
import { describeUnreachable, signatureAdvice, signatureFailureOf } from "../transport/agent-errors.js";

export type DiagnosisProblem =
  | "unreachable"
  | "tls"
  | "not_an_agent"
  | "bad_secret"
  | "clock_skew"
  | "version"
  | "protocol"
  | "agent_error"
  | "capability";

export type CheckResult = "ok" | "failed" | "not checked";

export interface NodeDiagnosis {
  ok: boolean;
  /** The first thing wrong, or null. */
  problem: DiagnosisProblem | null;
  message: string;
  url: CheckResult;
  secret: CheckResult;
  clock: CheckResult;
  version: CheckResult;
  /** The signature check the agent named when it refused the request. */
  signatureFailure: string | null;
  latencyMs: number | null;
  /** Agent clock minus the dashboard's, ms. */
  clockSkewMs: number | null;
  agentVersion: string | null;
  dashboardVersion: string;
  protocol: string | null;
  hostname: string | null;
}

export interface DiagnosisTarget {
  agentUrl: string;
  keyId: string;
  secret: string;
  /** The agent dials out: there is no URL to check unsigned, only its socket (options.http). */
  dialOut?: boolean;
}

export interface DiagnosisOptions {
  timeoutMs: number;
  maxClockSkewMs: number;
  dashboardVersion: string;
  /** What carries the requests (a dial-out node's socket); the shared keep-alive pool by default. */
  http?: AgentHttp;
}

export async function diagnoseAgent(
  target: DiagnosisTarget,
  options: DiagnosisOptions,
): Promise<NodeDiagnosis> {
  const result = blankDiagnosis(options.dashboardVersion);
  const live = target.dialOut ? null : await checkLivez(target.agentUrl, options);
  if (live) return { ...result, ...live, url: "failed" };
  result.url = "ok";
  const client = new AgentClient({
    baseUrl: target.agentUrl,
    keyId: target.keyId,
    secret: target.secret,
    timeoutMs: options.timeoutMs,
    ...(options.http ? { http: options.http } : {}),
  });
  const started = Date.now();
  let health: Health;
  try {
    health = await client.health();
  } catch (error) {
    if (error instanceof AgentProtocolMismatchError) {
      return {
        ...result,
        secret: "ok",
        problem: "protocol",
        version: "failed",
        message: `the agent's health answer is not protocol ${PROTOCOL_VERSION}: upgrade the agent to the dashboard's version`,
      };
    }
    return { ...result, ...refusal(error, target.agentUrl, options.timeoutMs) };
  }
  const finished = Date.now();
  result.secret = "ok";
  result.latencyMs = finished - started;
  result.agentVersion = health.version;
  result.protocol = health.protocol;
  result.hostname = health.hostname;
  result.clockSkewMs = Math.round(health.time - (started + finished) / 2);
  const incompatible = versionProblem(health.version, options.dashboardVersion);
  result.version = incompatible ? "failed" : "ok";
  const skew = result.clockSkewMs;
  result.clock = Math.abs(skew) > options.maxClockSkewMs ? "failed" : "ok";
  if (incompatible) return { ...result, problem: "version", message: incompatible };
  if (result.clock === "failed") {
    return {
      ...result,
      problem: "clock_skew",
      message: `the agent's clock is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? "ahead of" : "behind"} the dashboard's; signed requests fail beyond 60 s: run NTP (chrony, systemd-timesyncd) on both`,
    };
  }
  // An agent that may not manage WireGuard answers, but cannot serve.
  if (health.capability?.ok === false) {
    return {
      ...result,
      problem: "capability",
      message: `the agent cannot manage WireGuard: ${health.capability.reason ?? "no reason given"} (run it as root or with CAP_NET_ADMIN, with wireguard-go or the kernel module)`,
    };
  }
  return {
    ...result,
    ok: true,
    message: `agent ${health.version} on ${health.hostname} answered in ${result.latencyMs} ms; URL, secret and clock are right`,
  };
}

/** A diagnosis with nothing checked yet. */
export function blankDiagnosis(dashboardVersion: string): NodeDiagnosis {
  return {
    ok: false,
    problem: null,
    message: "",
    url: "not checked",
    secret: "not checked",
    clock: "not checked",
    version: "not checked",
    signatureFailure: null,
    latencyMs: null,
    clockSkewMs: null,
    agentVersion: null,
    dashboardVersion,
    protocol: null,
    hostname: null,
  };
}

const LIVEZ_MAX_ANSWER_BYTES = 1024;

/** GET /livez (unsigned, never following a redirect): null when an agent answers "ok", else what is wrong. */
async function checkLivez(
  agentUrl: string,
  options: DiagnosisOptions,
): Promise<Pick<NodeDiagnosis, "problem" | "message"> | null> {
  const url = new URL("livez", agentUrl.endsWith("/") ? agentUrl : `${agentUrl}/`);
  let said: string;
  try {
    const { status, text } = await (options.http ?? sharedAgentHttp())({
      method: "GET",
      url,
      headers: {},
      timeoutMs: options.timeoutMs,
      maxAnswerBytes: LIVEZ_MAX_ANSWER_BYTES,
    });
    if (status >= 200 && status < 300 && text.trim() === "ok") return null;
    said = `answered ${status}`;
  } catch (error) {
    // "ok" is all an agent says here; anything longer is not an agent.
    if (!(error instanceof AgentAnswerError)) return unreachable(error, agentUrl, options.timeoutMs);
    said = `answered more than ${LIVEZ_MAX_ANSWER_BYTES} bytes`;
  }
  return {
    problem: "not_an_agent",
    message: `${url.origin} answers, but not as a wgfleet agent (GET ${url.pathname} ${said}): check the agent URL's host, port and path`,
  };
}

function unreachable(
  error: unknown,
  agentUrl: string,
  timeoutMs: number,
): Pick<NodeDiagnosis, "problem" | "message"> {
  const reason = describeUnreachable(error, timeoutMs);
  if (!/^https?:/.test(agentUrl)) {
    return {
      problem: "unreachable",
      message: `the agent dials out and cannot be called now: ${reason.message}; is it running with --dashboard set to this dashboard's URL, and can it reach it?`,
    };
  }
  const https = agentUrl.startsWith("https:");
  if (reason.kind === "tls") {
    const hint = /wrong version number|packet length/i.test(reason.message)
      ? "the agent serves plain HTTP: use http://, or start it with --tls-cert and --tls-key"
      : "the agent's certificate is not trusted for this host name: give the dashboard its CA (NODE_EXTRA_CA_CERTS) or a certificate for the name in the URL";
    return { problem: "tls", message: `${reason.message}; ${hint}` };
  }
  const hints: Record<string, string> = {
    refused: "is the agent running, and listening on that address and port?",
    timeout: "is a firewall dropping the packets, or the agent hanging?",
    dns: "check the host name in the agent URL",
    network: https
      ? "check the address and the route to it"
      : "check the address; if the agent serves HTTPS, use https://",
  };
  return {
    problem: "unreachable",
    message:
      `the agent at ${new URL(agentUrl).origin} is unreachable: ${reason.message}; ${hints[reason.kind] ?? ""}`.trim(),
  };
}

/** A failed signed health call, as a verdict. */
function refusal(error: unknown, agentUrl: string, timeoutMs: number): Partial<NodeDiagnosis> {
  if (error instanceof AgentUnreachableError)
    return { ...unreachable(error.cause ?? error, agentUrl, timeoutMs), url: "failed" };
  if (!(error instanceof AgentRequestError)) {
    return {
      problem: "agent_error",
      message: `the agent's answer could not be read: ${(error as Error).message}`,
    };
  }
  const failure = signatureFailureOf(error);
  if (error.status === 401) {
    const clock = failure === "stale_timestamp" || failure === "future_timestamp";
    return {
      problem: clock ? "clock_skew" : "bad_secret",
      secret: clock ? "not checked" : "failed",
      clock: clock ? "failed" : "not checked",
      signatureFailure: failure,
      message: `the agent refused the signature (${failure ?? "unauthorized"}): ${signatureAdvice(failure)}`,
    };
  }
  if (error.status === 404) {
    return {
      problem: "version",
      version: "failed",
      message: `the agent has no /v1/health (404): it speaks another protocol than ${PROTOCOL_VERSION}; install the agent of the dashboard's version`,
    };
  }
  return {
    problem: "agent_error",
    message: `the agent answered ${error.status}: ${error.body?.error.message ?? "no error body"}`,
  };
}

/**
 * The protocol (checked before) decides what the two can say to each other; the release's major
 * version must match too. Null when compatible, else why not.
 */
export function versionProblem(agentVersion: string, dashboardVersion: string): string | null {
  const agent = parseVersion(agentVersion);
  const dashboard = parseVersion(dashboardVersion);
  if (!agent || !dashboard || agent.major === dashboard.major) return null;
  return `agent ${agentVersion} does not match dashboard ${dashboardVersion}: install the agent of the dashboard's release`;
}

function parseVersion(text: string): { major: number } | null {
  const match = /^v?(\d+)\./.exec(text.trim());
  return match ? { major: Number(match[1]) } : null;
}
