// What an admin may say about a node: the shape is core's CreateNodeBody/UpdateNodeBody schema (the
// route checks it; it is checked again here for callers outside HTTP), the meaning is checked here once:
// a name, an http(s) agent URL without credentials, a secret the agent would accept, the host clients
// connect to. Errors name the field; the secret never appears in one.
import {
  assertShape,
  type CreateNodeBody,
  CreateNodeBodySchema,
  isValidHostname,
  parseAddress,
  type UpdateNodeBody,
  UpdateNodeBodySchema,
  ValidationError,
} from "@wgfleet/core";

export interface NodeInput {
  name: string;
  /** null: the agent dials out (it connects to the dashboard; the dashboard has no URL for it). */
  agentUrl: string | null;
  secret: string;
  /** The host (name or address) clients connect to; each interface adds its own port. */
  endpoint: string;
  weight: number;
  maxPeers: number;
  enabled: boolean;
}

export type NodeChanges = Partial<Omit<NodeInput, "agentUrl">> & {
  agentUrl?: string;
  driftPolicy?: "repair" | "report";
  draining?: boolean;
};

/** The agent refuses shorter secrets (packages/agent: "a secret shorter than 16 characters"). */
export const MIN_SECRET_LENGTH = 16;
const NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,62}$/u;

export function validateName(value: string): string {
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
export function validateAgentUrl(value: string): string {
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

export function validateSecret(value: string): string {
  if (value.length < MIN_SECRET_LENGTH)
    throw new ValidationError(
      "secret",
      `must be at least ${MIN_SECRET_LENGTH} characters (the agent's minimum)`,
    );
  if (/[\r\n\0]/.test(value) || value.trim() !== value)
    throw new ValidationError(
      "secret",
      "must be one line without surrounding spaces (as in the agent's secret file)",
    );
  return value;
}

/** A host name or an IP address (IPv6 with or without brackets); no port. */
export function validateEndpointHost(value: string): string {
  if (value.trim() === "") throw new ValidationError("endpoint", "must be the host clients connect to");
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

/** `POST /api/v1/nodes`: everything checked, defaults applied. */
export function validateCreateNode(raw: CreateNodeBody, defaultMaxPeers: number): NodeInput {
  assertShape(CreateNodeBodySchema, raw);
  return {
    name: validateName(raw.name),
    agentUrl: agentUrlOrDialOut(raw),
    secret: validateSecret(raw.secret),
    endpoint: validateEndpointHost(raw.endpoint),
    weight: raw.weight ?? 100,
    maxPeers: raw.maxPeers ?? defaultMaxPeers,
    enabled: raw.enabled ?? true,
  };
}

/** The agent URL, or null for an agent that dials out; exactly one of the two must be asked for. */
function agentUrlOrDialOut(raw: CreateNodeBody): string | null {
  if (raw.dialOut === true) {
    if (raw.agentUrl !== undefined)
      throw new ValidationError(
        "agentUrl",
        "must be left out for a node whose agent dials out (dialOut: true)",
      );
    return null;
  }
  if (raw.agentUrl === undefined)
    throw new ValidationError("agentUrl", "is required (or dialOut: true for an agent that dials out)");
  return validateAgentUrl(raw.agentUrl);
}

/** `PATCH /api/v1/nodes/:id`: only the fields given. */
export function validateNodeChanges(raw: UpdateNodeBody): NodeChanges {
  assertShape(UpdateNodeBodySchema, raw);
  const changes: NodeChanges = {};
  if (raw.name !== undefined) changes.name = validateName(raw.name);
  if (raw.agentUrl !== undefined) changes.agentUrl = validateAgentUrl(raw.agentUrl);
  if (raw.secret !== undefined) changes.secret = validateSecret(raw.secret);
  if (raw.endpoint !== undefined) changes.endpoint = validateEndpointHost(raw.endpoint);
  if (raw.weight !== undefined) changes.weight = raw.weight;
  if (raw.maxPeers !== undefined) changes.maxPeers = raw.maxPeers;
  if (raw.enabled !== undefined) changes.enabled = raw.enabled;
  if (raw.driftPolicy !== undefined) changes.driftPolicy = raw.driftPolicy;
  if (raw.draining !== undefined) changes.draining = raw.draining;
  return changes;
}
