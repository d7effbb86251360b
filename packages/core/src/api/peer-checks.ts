// Meaning checks of peer requests whose shape CreatePeerBodySchema / UpdatePeerBodySchema already
// checked: names safe in a config comment, real and non-zero keys, host addresses, real dates.
// What comes back is canonical, ready to store. The one place these rules live.
import { validatePeerName } from "../config/text-rules.js";
import { ValidationError } from "../errors.js";
import type { IpAddress, IpVersion } from "../ip/address.js";
import { parseCidr } from "../ip/cidr.js";
import { decodeKey, validateKey } from "../keys/base64-key.js";
import { checkAccessSchedule } from "../protocol/schedule-checks.js";
import type { AccessSchedule } from "../protocol/v1.js";
import { checkCidrList, checkDnsList } from "./client-settings-checks.js";
import { checkOptionalEmailAddress } from "./email-checks.js";
import { parseIsoTime } from "./iso-time.js";
import type { PeerQuotaDto } from "./lifecycle.js";
import type { CreatePeerBody, UpdatePeerBody } from "./peer.js";
import { checkPeerQuota } from "./quota-checks.js";

export interface CheckedPeerSettings {
  description?: string | null;
  /** null: no contact address. */
  contactEmail?: string | null;
  dns?: string[] | null;
  clientAllowedIps?: string[];
  mtu?: number | null;
  keepalive?: number | null;
  /** null removes the peer's own schedule (its configuration's default applies). */
  schedule?: AccessSchedule | null;
  expiresAt?: string | null;
  /** null removes the quota; defaults filled in. */
  quota?: PeerQuotaDto | null;
}

export interface CheckedCreatePeer extends CheckedPeerSettings {
  name: string;
  node: string;
  addresses?: IpAddress[];
  publicKey?: string;
  /** true: generate one; false: none; a key: use it. */
  presharedKey: boolean | string;
}

export interface CheckedUpdatePeer extends CheckedPeerSettings {
  name?: string;
  addresses?: IpAddress[];
}

export function checkCreatePeer(body: CreatePeerBody): CheckedCreatePeer {
  const checked: CheckedCreatePeer = {
    name: validatePeerName(body.name, "name"),
    node: body.node ?? "auto",
    presharedKey: checkPresharedKeyChoice(body.presharedKey),
    ...checkPeerSettings(body),
  };
  if (body.addresses !== undefined) checked.addresses = checkPeerAddresses(body.addresses);
  if (body.publicKey !== undefined) checked.publicKey = checkNonZeroKey(body.publicKey, "publicKey");
  return checked;
}

export function checkUpdatePeer(body: UpdatePeerBody): CheckedUpdatePeer {
  const checked: CheckedUpdatePeer = checkPeerSettings(body);
  if (body.name !== undefined) checked.name = validatePeerName(body.name, "name");
  if (body.addresses !== undefined) checked.addresses = checkPeerAddresses(body.addresses);
  return checked;
}

/** A WireGuard key that is not all zero bytes (WireGuard treats such a key as no key at all). */
export function checkNonZeroKey(text: string, field: string): string {
  const key = validateKey(text, field);
  if (decodeKey(key)?.every((byte) => byte === 0)) {
    throw new ValidationError(field, "must not be the all-zero key");
  }
  return key;
}

function checkPresharedKeyChoice(value: boolean | string | undefined): boolean | string {
  if (value === undefined) return true;
  if (typeof value === "boolean") return value;
  return checkNonZeroKey(value, "presharedKey");
}

/** Tunnel addresses: bare addresses or host routes (/32, /128), at most one per IP version. */
export function checkPeerAddresses(texts: readonly string[]): IpAddress[] {
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

function checkPeerSettings(body: CreatePeerBody | UpdatePeerBody): CheckedPeerSettings {
  const settings: CheckedPeerSettings = {};
  if (body.description !== undefined) settings.description = body.description?.trim() || null;
  if (body.contactEmail !== undefined)
    settings.contactEmail = checkOptionalEmailAddress(body.contactEmail, "contactEmail");
  if (body.dns !== undefined) settings.dns = body.dns === null ? null : checkDnsList(body.dns);
  if (body.clientAllowedIps !== undefined)
    settings.clientAllowedIps = checkCidrList(body.clientAllowedIps, "clientAllowedIps");
  if (body.mtu !== undefined) settings.mtu = body.mtu;
  if (body.keepalive !== undefined) settings.keepalive = body.keepalive;
  if (body.schedule !== undefined)
    settings.schedule = body.schedule === null ? null : checkAccessSchedule(body.schedule, "schedule");
  if (body.quota !== undefined) settings.quota = body.quota === null ? null : checkPeerQuota(body.quota);
  if (body.expiresAt !== undefined)
    settings.expiresAt = body.expiresAt === null ? null : parseIsoTime(body.expiresAt, "expiresAt");
  return settings;
}
