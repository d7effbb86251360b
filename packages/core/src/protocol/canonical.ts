// Canonical forms of protocol values, so that two spellings of one configuration compare and hash
// equal. Shared by validation (strict: throws), the digest and the state diffs (lenient: text that does
// not parse is compared as written — they run on validated data and must not throw on stored data).
import { formatCidr, formatEndpoint, networkOf, parseCidr, parseEndpoint } from "../ip/index.js";
import type { InterfaceSpec, PeerAccess, PeerSpec } from "./v1.js";

/**
 * A peer's allowed IP as WireGuard stores it: canonical text with host bits cleared
 * ("198.51.100.7/24" is routed as "198.51.100.0/24"; a bare address is a /32 or /128).
 */
export function canonicalAllowedIp(text: string, field = "allowedIps"): string {
  return formatCidr(networkOf(parseCidr(text, field)));
}

/** An interface address keeps its host bits: "198.51.100.1/24" is the gateway with the pool's prefix. */
export function canonicalInterfaceAddress(text: string, field = "addresses"): string {
  return formatCidr(parseCidr(text, field));
}

/** "host:port" with an IP host in canonical form ("[2001:db8::1]:51820"). */
export function canonicalEndpoint(text: string, field = "endpoint"): string {
  return formatEndpoint(parseEndpoint(text, field));
}

/** The same canonical form, or the text as written when it does not parse. */
export function lenient(canonical: (text: string) => string): (text: string) => string {
  return (text) => {
    try {
      return canonical(text);
    } catch {
      return text;
    }
  };
}

/** A set of CIDRs as sorted, de-duplicated canonical text. */
export function canonicalSet(texts: readonly string[], canonical: (text: string) => string): string[] {
  return [...new Set(texts.map(lenient(canonical)))].sort();
}

/** Keepalive in seconds with "off" as 0: absent, null and 0 all mean off. */
export function keepaliveSeconds(value: number | null | undefined): number {
  return value ?? 0;
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

export interface PeerForm {
  publicKey: string;
  presharedKey: string | null;
  allowedIps: string[];
  persistentKeepalive: number;
  endpoint: string | null;
  /** Absent when the peer has no access rules, so digests of states without rules did not change. */
  access?: PeerAccess;
}

/** Every field present, CIDRs a sorted canonical set, keepalive 0 for off, endpoint canonical. */
export function peerForm(peer: PeerSpec): PeerForm {
  return {
    publicKey: peer.publicKey,
    presharedKey: peer.presharedKey ?? null,
    allowedIps: canonicalSet(peer.allowedIps, canonicalAllowedIp),
    persistentKeepalive: keepaliveSeconds(peer.persistentKeepalive),
    endpoint: peer.endpoint === undefined ? null : lenient(canonicalEndpoint)(peer.endpoint),
    ...(peer.access === undefined ? {} : { access: accessForm(peer.access) }),
  };
}

/** Access rules with days sorted (canonicalJson sorts the keys); an empty object when none apply. */
export function accessForm(access: PeerAccess): PeerAccess {
  const form: PeerAccess = { ...access };
  if (access.schedule) {
    form.schedule = {
      timeZone: access.schedule.timeZone,
      windows: access.schedule.windows.map((w) => ({ ...w, days: [...w.days].sort((a, b) => a - b) })),
    };
  }
  return form;
}

/** Every field present, addresses a sorted canonical set, empty hook phases dropped (hook order kept). */
export function interfaceForm(spec: InterfaceSpec): Record<string, unknown> {
  const hooks = Object.fromEntries(
    Object.entries(spec.hooks ?? {}).filter(([, lines]) => lines !== undefined && lines.length > 0),
  );
  return {
    name: spec.name,
    privateKey: spec.privateKey,
    listenPort: spec.listenPort,
    addresses: canonicalSet(spec.addresses, canonicalInterfaceAddress),
    mtu: spec.mtu ?? null,
    hooks,
  };
}

/** JSON with object keys sorted at every level; undefined members are left out. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => compareText(a, b))
      .map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`);
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Code-unit order, the same as Array.prototype.sort's default. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
