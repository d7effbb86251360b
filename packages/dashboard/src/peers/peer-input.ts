// What the API accepts for a peer, checked field by field: every failure is a ValidationError naming
// the field, and values come back canonical. The route schema checks shapes too; this file never
// relies on it.
import {
  type IpAddress,
  type IpVersion,
  parseCidr,
  ValidationError,
  validateKey,
  validatePeerName,
} from "@wgfleet/core";
import {
  rejectUnknownFields,
  requireObject,
  requireStringArray,
  validateCidrList,
  validateDnsList,
  validateKeepalive,
  validateMtu,
} from "../configurations/client-settings.js";

export interface PeerSettingsInput {
  dns?: string[] | null;
  clientAllowedIps?: string[];
  mtu?: number | null;
  keepalive?: number | null;
  expiresAt?: string | null;
}

export interface CreatePeerInput extends PeerSettingsInput {
  name: string;
  node: string;
  addresses?: IpAddress[];
  publicKey?: string;
  /** true: generate one; false: none; a key: use it. */
  presharedKey: boolean | string;
}

export interface UpdatePeerInput extends PeerSettingsInput {
  name?: string;
  addresses?: IpAddress[];
}

const CREATE_FIELDS = [
  "name",
  "node",
  "addresses",
  "publicKey",
  "presharedKey",
  "dns",
  "clientAllowedIps",
  "mtu",
  "keepalive",
  "expiresAt",
] as const;
const UPDATE_FIELDS = [
  "name",
  "addresses",
  "dns",
  "clientAllowedIps",
  "mtu",
  "keepalive",
  "expiresAt",
] as const;
const MAX_NODE_LENGTH = 100;

export function validateCreatePeer(raw: unknown): CreatePeerInput {
  const input = requireObject(raw);
  rejectUnknownFields(input, CREATE_FIELDS);
  if (input.name === undefined) throw new ValidationError("name", "is required");
  const result: CreatePeerInput = {
    name: validateName(input.name),
    node: validateNodeChoice(input.node),
    presharedKey: validatePresharedKeyChoice(input.presharedKey),
    ...validateSettings(input),
  };
  if (input.addresses !== undefined) result.addresses = validateAddresses(input.addresses);
  if (input.publicKey !== undefined) {
    if (typeof input.publicKey !== "string")
      throw new ValidationError("publicKey", "must be a base64 WireGuard key");
    result.publicKey = validateKey(input.publicKey, "publicKey");
  }
  return result;
}

export function validateUpdatePeer(raw: unknown): UpdatePeerInput {
  const input = requireObject(raw);
  rejectUnknownFields(input, UPDATE_FIELDS);
  const result: UpdatePeerInput = validateSettings(input);
  if (input.name !== undefined) result.name = validateName(input.name);
  if (input.addresses !== undefined) result.addresses = validateAddresses(input.addresses);
  return result;
}

function validateName(value: unknown): string {
  if (typeof value !== "string") throw new ValidationError("name", "must be a string");
  if (value.trim() === "") throw new ValidationError("name", "must not be empty");
  return validatePeerName(value, "name");
}

function validateNodeChoice(value: unknown): string {
  if (value === undefined) return "auto";
  if (typeof value !== "string" || value === "" || value.length > MAX_NODE_LENGTH) {
    throw new ValidationError("node", 'must be "auto", "local" or a node id');
  }
  return value;
}

function validatePresharedKeyChoice(value: unknown): boolean | string {
  if (value === undefined) return true;
  if (typeof value === "boolean") return value;
  if (typeof value === "string") return validateKey(value, "presharedKey");
  throw new ValidationError("presharedKey", "must be true, false or a base64 key");
}

/** Tunnel addresses: bare addresses or host routes (/32, /128), at most one per IP version. */
export function validateAddresses(value: unknown): IpAddress[] {
  const texts = requireStringArray(value, "addresses", 2);
  const seen = new Set<IpVersion>();
  return texts.map((text) => {
    const cidr = parseCidr(text.trim(), "addresses");
    const bits = cidr.address.version === 4 ? 32 : 128;
    if (cidr.prefix !== bits)
      throw new ValidationError("addresses", `${text} must be a single address (/${bits})`);
    if (seen.has(cidr.address.version)) {
      throw new ValidationError("addresses", `at most one IPv${cidr.address.version} address`);
    }
    seen.add(cidr.address.version);
    return cidr.address;
  });
}

function validateSettings(input: Record<string, unknown>): PeerSettingsInput {
  const settings: PeerSettingsInput = {};
  if (input.dns !== undefined) settings.dns = input.dns === null ? null : validateDnsList(input.dns);
  if (input.clientAllowedIps !== undefined) {
    const list = validateCidrList(input.clientAllowedIps, "clientAllowedIps");
    if (list.length === 0) throw new ValidationError("clientAllowedIps", "must not be empty");
    settings.clientAllowedIps = list;
  }
  if (input.mtu !== undefined) settings.mtu = validateMtu(input.mtu);
  if (input.keepalive !== undefined) settings.keepalive = validateKeepalive(input.keepalive);
  if (input.expiresAt !== undefined) settings.expiresAt = validateExpiry(input.expiresAt);
  return settings;
}

function validateExpiry(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string" || value.length > 40 || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new ValidationError("expiresAt", "must be an ISO-8601 date or null");
  }
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new ValidationError("expiresAt", "must be an ISO-8601 date or null");
  return new Date(time).toISOString();
}
