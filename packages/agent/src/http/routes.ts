// The agent's routes, one line each, so the code for a URL is found at a glance. Handlers are thin:
// check the path parameters, call the service, return what it answers.
import { InterfaceNameSchema, ValidationError, validateKey } from "@wgfleet/core";
import type { SecretRotation } from "../config/secret-rotation.js";
import type { AgentService } from "../service/agent-service.js";
import { buildHealth, type HealthSource } from "../service/health.js";
import { AgentMetrics } from "../service/metrics.js";

/**
 * Body caps per route. Every route but two takes at most one interface or one peer (a peer with 256
 * allowed IPs is under 12 KB): 64 KiB. PUT …/state and POST …/peers/batch carry whole peer lists: a
 * peer with a preshared key, an endpoint and two addresses is about 235 bytes of JSON, so 10,000 peers
 * are about 2.4 MB and the 16 MiB cap holds about 70,000 of them.
 */
export const SMALL_BODY_LIMIT = 64 * 1024;
/** PUT …/state and POST …/peers/batch (see above). */
export const LARGE_BODY_LIMIT = 16 * 1024 * 1024;

export interface RouteInput {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The key id the request was signed with ("metrics-token" for the bearer token). */
  keyId: string;
  /** The JSON body (parsed on first use); undefined when there is none. */
  body(): unknown;
}

export type Reply = { kind: "json"; value: unknown } | { kind: "text"; value: string; contentType: string };

export interface Route {
  method: "GET" | "PUT" | "POST" | "DELETE";
  pattern: string;
  bodyLimit: number;
  handle(input: RouteInput): Promise<Reply>;
}

export function agentRoutes(service: AgentService, health: HealthSource, secrets: SecretRotation): Route[] {
  const json = (value: unknown): Reply => ({ kind: "json", value });
  const metrics = new AgentMetrics(health);
  const name = (i: RouteInput) => interfaceName(i.params.name as string);
  const key = (i: RouteInput) => validateKey(i.params.publicKey as string, "publicKey");
  return [
    route("GET", "/v1/health", async (i) => json(await buildHealth(health, sharedRead(i)))),
    route("GET", "/v1/interfaces", async () => json(await service.listInterfaces())),
    route("PUT", "/v1/interfaces/:name", async (i) =>
      json(await service.putInterface(name(i), i.body(), revision(i))),
    ),
    route("DELETE", "/v1/interfaces/:name", async (i) => json(await service.deleteInterface(name(i)))),
    route("DELETE", "/v1/stray-interfaces/:name", async (i) => {
      await service.removeStrayInterface(name(i));
      return json({ removed: true });
    }),
    route("GET", "/v1/interfaces/:name/stray-peers", async (i) => json(await service.strayPeers(name(i)))),
    route("GET", "/v1/stray-interfaces/:name/config", async (i) =>
      json(await service.strayInterfaceConfig(name(i))),
    ),
    route(
      "POST",
      "/v1/interfaces/:name/adopt",
      async (i) => json(await service.adoptInterface(name(i), i.body())),
      LARGE_BODY_LIMIT,
    ),
    route(
      "PUT",
      "/v1/interfaces/:name/state",
      async (i) => json(await service.putState(name(i), i.body())),
      LARGE_BODY_LIMIT,
    ),
    route("GET", "/v1/interfaces/:name/peers", async (i) =>
      json(await service.listPeers(name(i), sharedRead(i))),
    ),
    route(
      "POST",
      "/v1/interfaces/:name/peers/batch",
      async (i) => json(await service.batch(name(i), i.body(), revision(i))),
      LARGE_BODY_LIMIT,
    ),
    route("PUT", "/v1/interfaces/:name/peers/:publicKey", async (i) =>
      json(await service.upsertPeer(name(i), key(i), i.body(), revision(i))),
    ),
    route("DELETE", "/v1/interfaces/:name/peers/:publicKey", async (i) =>
      json(await service.removePeer(name(i), key(i), revision(i))),
    ),
    route("POST", "/v1/interfaces/:name/reconcile", async (i) =>
      json(await service.reconcile(name(i), i.body())),
    ),
    route("PUT", "/v1/secret", async (i) => json(await secrets.put(i.body(), i.keyId))),
    route("DELETE", "/v1/secret/previous", async (i) => json(await secrets.dropPrevious(i.keyId))),
    route("GET", "/metrics", async () => ({
      kind: "text",
      value: await metrics.render(),
      contentType: metrics.contentType,
    })),
  ];
}

function route(
  method: Route["method"],
  pattern: string,
  handle: Route["handle"],
  bodyLimit = SMALL_BODY_LIMIT,
): Route {
  return { method, pattern, bodyLimit, handle };
}

const INTERFACE_NAME = new RegExp(InterfaceNameSchema.pattern as string);

/** A Linux interface name: 1-15 of [A-Za-z0-9_=+.-], not "." or "..". */
export function interfaceName(text: string): string {
  if (!INTERFACE_NAME.test(text) || text === "." || text === "..") {
    throw new ValidationError(
      "name",
      "must be an interface name: 1-15 letters, digits or _=+.- (no spaces or newlines)",
    );
  }
  return text;
}

/** `?revision=N`: the desired-state revision the caller has reached (optional). */
export function revision(input: RouteInput): number | undefined {
  const text = input.query.get("revision");
  if (text === null) return undefined;
  if (!/^[0-9]{1,15}$/.test(text)) throw new ValidationError("revision", "must be a non-negative integer");
  return Number(text);
}

/**
 * `?shared=1` (health and peer listings): the caller polls and accepts a live read shared with the
 * requests of the same moment (at most 1 s old, never older than a change the agent acknowledged).
 * Without it every answer reads the interface now.
 */
export function sharedRead(input: RouteInput): boolean {
  const text = input.query.get("shared");
  if (text === null) return false;
  if (text !== "1") throw new ValidationError("shared", "must be 1 (or left out)");
  return true;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Finds the route for a method and raw (percent-encoded) path; parameters are decoded. */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch | null {
  const segments = pathname.split("/");
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const params = matchPattern(candidate.pattern, segments);
    if (params) return { route: candidate, params };
  }
  return null;
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | null {
  const parts = pattern.split("/");
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const segment = segments[i] as string;
    if (part.startsWith(":")) {
      if (segment === "") return null;
      params[part.slice(1)] = decodeSegment(segment, part.slice(1));
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}

function decodeSegment(segment: string, field: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ValidationError(field, "is not valid percent-encoding");
  }
}
