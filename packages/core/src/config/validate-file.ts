// Validates a whole WgQuickFile value and returns the normalised copy that render.ts writes: the
// gate between data from code (API input, the database) and a config file.
import { ValidationError } from "../errors.js";
import { validateKey } from "../keys/index.js";
import {
  validateCidrEntry,
  validateDnsEntry,
  validateEndpointValue,
  validateExtraEntry,
  validateFwMark,
  validateListenPort,
  validateMtu,
  validatePersistentKeepalive,
  validateTable,
} from "./entries.js";
import { LIMITS, validateConfigValue, validatePeerName } from "./text-rules.js";
import type { WgQuickFile, WgQuickInterface, WgQuickPeer } from "./types.js";

export function validateWgQuickFile(file: WgQuickFile): WgQuickFile {
  if (!isRecord(file)) throw new ValidationError("file", "must be an object");
  const iface = validateInterface(file.interface, "interface");
  const peers = listOf(file.peers, "peers").map((peer, i) => validatePeer(peer, `peers[${i}]`));
  checkDistinctPublicKeys(peers);
  return { interface: iface, peers };
}

export function validateInterface(value: WgQuickInterface, field: string): WgQuickInterface {
  if (!isRecord(value)) throw new ValidationError(field, "must be an object");
  const at = (name: string) => `${field}.${name}`;
  const hooks = (name: "preUp" | "postUp" | "preDown" | "postDown") =>
    listOf(value[name], at(name)).map((line) => validateConfigValue(at(name), line, LIMITS.hook));
  return {
    ...optional("name", value.name, (v) => validatePeerName(v, at("name"))),
    ...optional("privateKey", value.privateKey, (v) => validateKey(v, at("privateKey"))),
    ...optional("listenPort", value.listenPort, (v) => validateListenPort(v, at("listenPort"))),
    addresses: listOf(value.addresses, at("addresses")).map((a) => validateCidrEntry(a, at("addresses"))),
    dns: listOf(value.dns, at("dns")).map((d) => validateDnsEntry(d, at("dns"))),
    ...optional("mtu", value.mtu, (v) => validateMtu(v, at("mtu"))),
    ...optional("table", value.table, (v) => validateTable(v, at("table"))),
    ...optional("fwMark", value.fwMark, (v) => validateFwMark(v, at("fwMark"))),
    ...optional("saveConfig", value.saveConfig, (v) => validateBoolean(v, at("saveConfig"))),
    preUp: hooks("preUp"),
    postUp: hooks("postUp"),
    preDown: hooks("preDown"),
    postDown: hooks("postDown"),
    extra: listOf(value.extra, at("extra")).map((e) => validateExtraEntry(e, "interface", at("extra"))),
  };
}

export function validatePeer(value: WgQuickPeer, field: string): WgQuickPeer {
  if (!isRecord(value)) throw new ValidationError(field, "must be an object");
  const at = (name: string) => `${field}.${name}`;
  if (value.publicKey === undefined) throw new ValidationError(at("publicKey"), "is required");
  return {
    ...optional("name", value.name, (v) => validatePeerName(v, at("name"))),
    publicKey: validateKey(value.publicKey, at("publicKey")),
    ...optional("presharedKey", value.presharedKey, (v) => validateKey(v, at("presharedKey"))),
    allowedIps: listOf(value.allowedIps, at("allowedIps")).map((c) => validateCidrEntry(c, at("allowedIps"))),
    ...optional("endpoint", value.endpoint, (v) => validateEndpointValue(v, at("endpoint"))),
    ...optional("persistentKeepalive", value.persistentKeepalive, (v) =>
      validatePersistentKeepalive(v, at("persistentKeepalive")),
    ),
    extra: listOf(value.extra, at("extra")).map((e) => validateExtraEntry(e, "peer", at("extra"))),
  };
}

/** wg(8) merges two [Peer] sections with one key into one peer: refuse the ambiguity. */
export function checkDistinctPublicKeys(peers: readonly WgQuickPeer[]): void {
  const seen = new Map<string, number>();
  peers.forEach((peer, i) => {
    const first = seen.get(peer.publicKey);
    if (first !== undefined) {
      throw new ValidationError(`peers[${i}].publicKey`, `is the same public key as peers[${first}]`);
    }
    seen.set(peer.publicKey, i);
  });
}

export function listOf<T>(value: readonly T[] | undefined, field: string): readonly T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ValidationError(field, "must be a list");
  return value;
}

function validateBoolean(value: boolean, field: string): boolean {
  if (typeof value !== "boolean") throw new ValidationError(field, "must be true or false");
  return value;
}

/** `{ [key]: check(value) }` when the value is set, `{}` otherwise: absent fields stay absent. */
function optional<K extends string, T, R>(
  key: K,
  value: T | undefined,
  check: (v: T) => R,
): { [P in K]?: R } {
  if (value === undefined) return {};
  return { [key]: check(value) } as { [P in K]?: R };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
