// The signed HTTP client for the agent protocol v1: every request is signed with the node's key id and
// shared secret (core's scheme). The secret is used for signing only; it never goes into an error,
// a URL or a log line. An agent's answer is untrusted: it is read up to a size cap (larger answers are
// cut off, not buffered), redirects are never followed (the signature headers must not travel to another
// origin), health is checked against the protocol schema with unknown fields dropped, and the agent's
// own texts are cleaned (cleanAgentText) before anything keeps them. Requests go through an AgentHttp
// (agent-http.ts): the client's own, or the keep-alive pool shared by clients given none.
import { Value } from "@sinclair/typebox/value";
import {
  cleanAgentText,
  type ErrorBody,
  type Health,
  HealthSchema,
  type InterfaceSpec,
  type InterfaceState,
  keyIdForSecret,
  type PeerBatch,
  type PeerSpec,
  type PeerStatus,
  signRequest,
} from "@wgfleet/core";
import {
  AgentAnswerError,
  type AgentHttp,
  type AgentHttpAnswer,
  AgentHttpTimeoutError,
} from "./agent-http.js";
import { sharedAgentHttp } from "./keep-alive-http.js";

/** Core's key id scheme (first 8 hex digits of SHA-256(secret)), re-exported for existing importers. */
export { keyIdForSecret };

export interface AgentClientOptions {
  /** "http://198.18.0.2:7443" or "https://node1.example:7443"; a path prefix is kept. */
  baseUrl: string;
  keyId: string;
  secret: string;
  /** Per request; default 30 s (a batch of many peers takes a moment). */
  timeoutMs?: number;
  /** What carries the requests; by default a keep-alive pool shared by the clients given none. */
  http?: AgentHttp;
  /** ms since the epoch used for the signature timestamp; Date.now by default. */
  clock?: () => number;
}

/** What an explicit reconcile did (the driver's DriftReport). */
export interface ReconcileReport {
  interfaceRestored: boolean;
  restored: number;
  stray: string[];
  strayRemoved: number;
  /** Desired peers that were not live before the check (absent from an older agent). */
  missing?: string[];
}

/** What a poller may accept: a live read the agent shares with the requests of the same moment. */
export interface SharedReadOption {
  shared?: boolean;
}

function sharedQuery(options: SharedReadOption): string {
  return options.shared ? "?shared=1" : "";
}

/** A live interface read whole for adoption: private key and preshared keys included. */
export type StrayInterfaceConfig = Omit<InterfaceState, "revision">;

/** An agent's non-2xx answer: status and the agent's ErrorBody (null when the body was not one). */
export class AgentRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
    what: string,
  ) {
    super(`agent answered ${status} to ${what}: ${body?.error.message ?? "no error body"}`);
    this.name = "AgentRequestError";
  }
}

/** The agent could not be reached: connection refused, DNS, TLS, or the timeout passed. */
export class AgentUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AgentUnreachableError";
  }
}

/** The agent's health answer does not fit this protocol version: an older or newer agent. */
export class AgentProtocolMismatchError extends AgentAnswerError {
  constructor() {
    super("the agent's health answer is not protocol v1 (an older or newer agent?)");
    this.name = "AgentProtocolMismatchError";
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MiB = 1024 * 1024;
/** Most answers are small; this is the cap unless a call names a larger one. */
export const DEFAULT_MAX_ANSWER_BYTES = 1 * MiB;
/** A peer list: ~500 bytes per peer, so room for 60,000 peers on one interface. */
export const PEER_LIST_MAX_ANSWER_BYTES = 32 * MiB;
/** Prometheus text and interface lists of a large node. */
export const LARGE_TEXT_MAX_ANSWER_BYTES = 8 * MiB;

export class AgentClient {
  private readonly baseUrl: URL;
  private readonly http: AgentHttp;
  private readonly timeoutMs: number;
  private readonly clock: () => number;

  constructor(private readonly options: AgentClientOptions) {
    this.baseUrl = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
    this.http = options.http ?? sharedAgentHttp();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.clock = options.clock ?? Date.now;
  }

  /**
   * The agent's health, checked against the protocol schema; fields it does not know are dropped.
   * `shared`: for a poller — the agent may answer from a read of the peers shared with the requests of
   * the same moment (`?shared=1`; an older agent ignores it and reads anew).
   */
  async health(options: SharedReadOption = {}): Promise<Health> {
    const path = `v1/health${sharedQuery(options)}`;
    const answer = Value.Clean(HealthSchema, await this.json<unknown>("GET", path));
    if (!Value.Check(HealthSchema, answer)) {
      throw new AgentProtocolMismatchError();
    }
    return cleanHealthTexts(answer);
  }

  async putInterface(spec: InterfaceSpec, revision?: number): Promise<void> {
    await this.send("PUT", `v1/interfaces/${enc(spec.name)}`, spec, revision);
  }

  async deleteInterface(name: string): Promise<void> {
    await this.send("DELETE", `v1/interfaces/${enc(name)}`);
  }

  /** Deletes a live interface the agent does not manage (a stray); the agent refuses its own. */
  async deleteStrayInterface(name: string): Promise<void> {
    await this.send("DELETE", `v1/stray-interfaces/${enc(name)}`);
  }

  async putState(name: string, state: InterfaceState): Promise<void> {
    await this.send("PUT", `v1/interfaces/${enc(name)}/state`, state);
  }

  async upsertPeer(name: string, peer: PeerSpec, revision?: number): Promise<void> {
    await this.send("PUT", `v1/interfaces/${enc(name)}/peers/${enc(peer.publicKey)}`, peer, revision);
  }

  async removePeer(name: string, publicKey: string, revision?: number): Promise<void> {
    await this.send("DELETE", `v1/interfaces/${enc(name)}/peers/${enc(publicKey)}`, undefined, revision);
  }

  async batch(name: string, batch: PeerBatch, revision?: number): Promise<void> {
    await this.send("POST", `v1/interfaces/${enc(name)}/peers/batch`, batch, revision);
  }

  /** Desired peers with their live stats; `shared` as for health(). */
  listPeers(name: string, options: SharedReadOption = {}): Promise<PeerStatus[]> {
    return this.json<PeerStatus[]>(
      "GET",
      `v1/interfaces/${enc(name)}/peers${sharedQuery(options)}`,
      undefined,
      PEER_LIST_MAX_ANSWER_BYTES,
    );
  }

  listInterfaces(): Promise<unknown[]> {
    return this.json<unknown[]>("GET", "v1/interfaces", undefined, LARGE_TEXT_MAX_ANSWER_BYTES);
  }

  /**
   * Repairs drift now; with removeStray, also removes live peers the desired state does not have;
   * with `restore: false` nothing missing is put back (only strays removed, when asked).
   */
  reconcile(
    name: string,
    options: { removeStray?: boolean; restore?: boolean } = {},
  ): Promise<ReconcileReport> {
    return this.json<ReconcileReport>("POST", `v1/interfaces/${enc(name)}/reconcile`, {
      removeStray: options.removeStray ?? false,
      ...(options.restore === false ? { restore: false } : {}),
    });
  }

  /** Live peers of a managed interface that are not desired, preshared keys included. */
  strayPeers(name: string): Promise<PeerSpec[]> {
    return this.json<PeerSpec[]>(
      "GET",
      `v1/interfaces/${enc(name)}/stray-peers`,
      undefined,
      LARGE_TEXT_MAX_ANSWER_BYTES,
    );
  }

  /** A live interface the agent does not manage, whole (keys included), to adopt it. */
  strayInterfaceConfig(name: string): Promise<StrayInterfaceConfig> {
    return this.json<StrayInterfaceConfig>(
      "GET",
      `v1/stray-interfaces/${enc(name)}/config`,
      undefined,
      LARGE_TEXT_MAX_ANSWER_BYTES,
    );
  }

  /** Hands the agent a live interface it does not manage yet, with this desired state, by a diff. */
  async adoptInterface(name: string, state: InterfaceState): Promise<void> {
    await this.send("POST", `v1/interfaces/${enc(name)}/adopt`, state);
  }

  /**
   * Hands the agent a new shared secret (signed with the current one): it becomes current and the
   * signing secret stays accepted until dropPreviousSecret. Answers the key ids the agent accepts now.
   */
  async putSecret(secret: string): Promise<string[]> {
    return (await this.json<{ keyIds: string[] }>("PUT", "v1/secret", { secret })).keyIds;
  }

  /** Ends a rotation: the agent accepts only its current secret (this call must be signed with it). */
  async dropPreviousSecret(): Promise<string[]> {
    return (await this.json<{ keyIds: string[] }>("DELETE", "v1/secret/previous")).keyIds;
  }

  /** Prometheus text of GET /metrics, signed. */
  async metrics(): Promise<string> {
    return (await this.sendText("GET", "metrics", undefined, undefined, LARGE_TEXT_MAX_ANSWER_BYTES)).text;
  }

  /** Any signed call with a JSON body; answers the status and body text of a 2xx, throws otherwise. */
  send(
    method: string,
    relativePath: string,
    body?: unknown,
    revision?: number,
    maxAnswerBytes = DEFAULT_MAX_ANSWER_BYTES,
  ): Promise<{ status: number; text: string }> {
    return this.sendText(
      method,
      relativePath,
      body === undefined ? undefined : JSON.stringify(body),
      revision,
      maxAnswerBytes,
    );
  }

  /** Any signed call with the body text as given (undefined: no body). */
  async sendText(
    method: string,
    relativePath: string,
    payloadText?: string,
    revision?: number,
    maxAnswerBytes = DEFAULT_MAX_ANSWER_BYTES,
  ): Promise<{ status: number; text: string }> {
    const url = new URL(relativePath, this.baseUrl);
    if (revision !== undefined) url.searchParams.set("revision", String(revision));
    const headers: Record<string, string> = signRequest({
      method,
      pathWithQuery: `${url.pathname}${url.search}`,
      body: payloadText ?? "",
      keyId: this.options.keyId,
      secret: this.options.secret,
      now: this.clock(),
    });
    if (payloadText !== undefined) headers["content-type"] = "application/json";
    const what = `${method} ${url.pathname}`;
    let answer: AgentHttpAnswer;
    try {
      answer = await this.http({
        method,
        url,
        headers,
        body: payloadText,
        timeoutMs: this.timeoutMs,
        maxAnswerBytes,
      });
    } catch (error) {
      if (error instanceof AgentAnswerError) throw error;
      throw new AgentUnreachableError(`agent ${this.origin} unreachable (${what}): ${describe(error)}`, {
        cause: error,
      });
    }
    const { status, text } = answer;
    if (status >= 300 && status < 400) {
      throw new AgentAnswerError(
        `agent ${this.origin} answered ${status} (a redirect) to ${what}; redirects are not followed`,
      );
    }
    if (status < 200 || status >= 300) throw new AgentRequestError(status, parseErrorBody(text), what);
    return { status, text };
  }

  /** How messages name the agent: its origin, or `dial-out://NODE` for one that dials out. */
  private get origin(): string {
    const { origin, protocol, host } = this.baseUrl;
    return origin === "null" ? `${protocol}//${host}` : origin;
  }

  private async json<T>(
    method: string,
    relativePath: string,
    body?: unknown,
    maxAnswerBytes = DEFAULT_MAX_ANSWER_BYTES,
  ): Promise<T> {
    const { text } = await this.send(method, relativePath, body, undefined, maxAnswerBytes);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new AgentAnswerError(`the agent's answer to ${method} /${relativePath} is not JSON`);
    }
  }
}

/** The free texts of a health answer, cleaned (they reach the node's page and its status reason). */
function cleanHealthTexts(health: Health): Health {
  return {
    ...health,
    version: cleanAgentText(health.version, 64),
    hostname: cleanAgentText(health.hostname, 253),
    interfaces: health.interfaces.map((iface) => ({
      ...iface,
      lastApplyError: iface.lastApplyError === null ? null : cleanAgentText(iface.lastApplyError),
    })),
  };
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/** The agent's error body with its texts cleaned, or null when the answer was not one. */
function parseErrorBody(text: string): ErrorBody | null {
  try {
    const parsed = JSON.parse(text) as Partial<ErrorBody>;
    if (parsed && typeof parsed.error?.code === "string" && typeof parsed.error.message === "string") {
      const { code, message, field } = parsed.error;
      return {
        error: {
          code: cleanAgentText(code, 64),
          message: cleanAgentText(message),
          ...(typeof field === "string" ? { field: cleanAgentText(field, 200) } : {}),
        },
      } as ErrorBody;
    }
  } catch {
    // not JSON: a proxy's page or an empty body
  }
  return null;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof AgentHttpTimeoutError) return "timed out";
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
