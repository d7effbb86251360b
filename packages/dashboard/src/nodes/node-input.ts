// What an admin may say about a node, checked for meaning (the route's schema checked the shape): an
// http(s) agent URL without credentials, a secret the agent would accept, the host clients connect to,
// weight and soft cap. Errors name the field; the secret never appears in one.
import { isValidHostname, parseAddress, ValidationError } from "@wgfleet/core";

export interface NodeInput {
  name: string;
  agentUrl: string;
  secret: string;
  /** The host (name or address) clients connect to; each interface adds its own port. */
  endpoint: string;
  weight: number;
  maxPeers: number;
  enabled: boolean;
}

export type NodeChanges = Partial<NodeInput>;

/** The agent refuses shorter secrets (packages/agent: "a secret shorter than 16 characters"). */
export const MIN_SECRET_LENGTH = 16;
const MAX_SECRET_LENGTH = 1024;
const NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,62}$/u;

export function validateName(value: unknown): string {
  if (typeof value !== "string") throw new ValidationError("name", "must be a string");
  const name = value.trim();
  if (!NAME_PATTERN.test(name)) {
    throw new ValidationError(
      "name",
      "must be 1-63 letters, digits, spaces or ._- (starting with a letter or digit)",
    );
  }
  return name;
}

/** "http://198.18.0.2:7443" or "https://node1.example:7443/prefix"; stored without a trailing slash. */
export function validateAgentUrl(value: unknown): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new ValidationError("agentUrl", "must be a URL");
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ValidationError("agentUrl", "must be a URL like https://node1.example.com:7443");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ValidationError("agentUrl", "must start with http:// or https://");
  if (url.username || url.password)
    throw new ValidationError("agentUrl", "must not contain a user name or password");
  if (url.search || url.hash) throw new ValidationError("agentUrl", "must not have a query or fragment");
  if (!url.hostname) throw new ValidationError("agentUrl", "must name a host");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

export function validateSecret(value: unknown): string {
  if (typeof value !== "string") throw new ValidationError("secret", "must be a string");
  if (value.length < MIN_SECRET_LENGTH)
    throw new ValidationError(
      "secret",
      `must be at least ${MIN_SECRET_LENGTH} characters (the agent's minimum)`,
    );
  if (value.length > MAX_SECRET_LENGTH)
    throw new ValidationError("secret", `must be at most ${MAX_SECRET_LENGTH} characters`);
  if (/[\r\n\0]/.test(value) || value.trim() !== value)
    throw new ValidationError(
      "secret",
      "must be one line without surrounding spaces (as in the agent's secret file)",
    );
  return value;
}

/** A host name or an IP address (IPv6 with or without brackets); no port. */
export function validateEndpointHost(value: unknown): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new ValidationError("endpoint", "must be the host clients connect to");
  const text = value.trim();
  const unbracketed = /^\[(.*)\]$/.exec(text)?.[1] ?? text;
  if (unbracketed.includes(":")) {
    try {
      return parseAddress(unbracketed, "endpoint").version === 6 ? unbracketed : text;
    } catch {
      throw new ValidationError(
        "endpoint",
        "must be a host name or an IP address without a port (each interface has its own listen port)",
      );
    }
  }
  try {
    parseAddress(text, "endpoint");
    return text;
  } catch {
    if (isValidHostname(text)) return text.toLowerCase();
  }
  throw new ValidationError("endpoint", "must be a host name or an IP address");
}

export function validateWeight(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 1_000_000)
    throw new ValidationError("weight", "must be a whole number from 1 to 1000000");
  return value;
}

export function validateMaxPeers(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 1_000_000)
    throw new ValidationError("maxPeers", "must be a whole number from 1 to 1000000");
  return value;
}

function validateEnabled(value: unknown): boolean {
  if (typeof value !== "boolean") throw new ValidationError("enabled", "must be true or false");
  return value;
}

/** `POST /api/v1/nodes`: everything checked, defaults applied. */
export function validateCreateNode(raw: Record<string, unknown>, defaultMaxPeers: number): NodeInput {
  return {
    name: validateName(raw.name),
    agentUrl: validateAgentUrl(raw.agentUrl),
    secret: validateSecret(raw.secret),
    endpoint: validateEndpointHost(raw.endpoint),
    weight: raw.weight === undefined ? 100 : validateWeight(raw.weight),
    maxPeers:
      raw.maxPeers === undefined || raw.maxPeers === null ? defaultMaxPeers : validateMaxPeers(raw.maxPeers),
    enabled: raw.enabled === undefined ? true : validateEnabled(raw.enabled),
  };
}

/** `PATCH /api/v1/nodes/:id`: only the fields given. */
export function validateNodeChanges(raw: Record<string, unknown>): NodeChanges {
  const changes: NodeChanges = {};
  if (raw.name !== undefined) changes.name = validateName(raw.name);
  if (raw.agentUrl !== undefined) changes.agentUrl = validateAgentUrl(raw.agentUrl);
  if (raw.secret !== undefined) changes.secret = validateSecret(raw.secret);
  if (raw.endpoint !== undefined) changes.endpoint = validateEndpointHost(raw.endpoint);
  if (raw.weight !== undefined) changes.weight = validateWeight(raw.weight);
  if (raw.maxPeers !== undefined) changes.maxPeers = validateMaxPeers(raw.maxPeers);
  if (raw.enabled !== undefined) changes.enabled = validateEnabled(raw.enabled);
  return changes;
}
