// Validators for each kind of wg-quick value: CIDRs, DNS entries, endpoints, numbers, table and fwmark,
// unknown keys. Used alike by the parser (text from a file) and the renderer (values from code), so
// what one accepts the other writes back unchanged. They return the value as it will be written.
import { ValidationError } from "../errors.js";
import { isValidHostname, parseAddress, parseCidr, parseEndpoint } from "../ip/index.js";
import { checkConfigText, LIMITS, quote, validateConfigValue } from "./text-rules.js";
import { INTERFACE_KEYS, PEER_KEYS } from "./types.js";

/** An Address or AllowedIPs entry: an IPv4/IPv6 CIDR or a bare address, kept as written (trimmed). */
export function validateCidrEntry(text: string, field = "cidr"): string {
  const entry = checkConfigText(field, text, LIMITS.cidr);
  if (entry === "") throw new ValidationError(field, "an empty entry is not a CIDR");
  parseCidr(entry, field);
  return entry;
}

/**
 * A DNS entry as wg-quick reads it: an IP address (a resolver) or a DNS search domain. Anything else
 * ("{{ dns }}", spaces, shell metacharacters) is rejected, never evaluated.
 */
export function validateDnsEntry(text: string, field = "dns"): string {
  const entry = checkConfigText(field, text, LIMITS.dnsEntry);
  if (entry === "") throw new ValidationError(field, "an empty entry is not a DNS server or search domain");
  // wg-quick takes anything of digits and dots, or with a colon, for a resolver address.
  if (/^[0-9.]+$/.test(entry) || entry.includes(":")) {
    parseAddress(entry, field);
    return entry;
  }
  if (!isValidHostname(entry)) {
    throw new ValidationError(
      field,
      `${quote(entry)} is neither an IP address nor a DNS search domain (letters, digits, "-" and "." only)`,
    );
  }
  return entry;
}

/** "host:port" or "[ipv6]:port", kept as written (trimmed). */
export function validateEndpointValue(text: string, field = "endpoint"): string {
  const endpoint = checkConfigText(field, text, LIMITS.endpoint);
  parseEndpoint(endpoint, field);
  return endpoint;
}

/** wg-quick's Table: "off", "auto", a routing table number or a name from rt_tables. */
export function validateTable(text: string, field = "table"): string {
  const table = checkConfigText(field, text, LIMITS.value);
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(table)) {
    throw new ValidationError(field, `${quote(table)} is not "off", "auto", a table number or a table name`);
  }
  return table;
}

/** wg(8)'s FwMark: "off", or a 32-bit number in decimal or 0x-hex; kept as written. */
export function validateFwMark(text: string, field = "fwMark"): string {
  const mark = checkConfigText(field, text, LIMITS.value);
  const isNumber = /^(?:0x[0-9a-f]{1,8}|[0-9]{1,10})$/i.test(mark) && Number(mark) <= 0xffffffff;
  if (!isNumber && mark.toLowerCase() !== "off") {
    throw new ValidationError(
      field,
      `${quote(mark)} is not "off" or a number 0-4294967295 (decimal or 0x-hex)`,
    );
  }
  return mark;
}

export function validateListenPort(value: number, field = "listenPort"): number {
  return checkIntegerRange(value, field, 0, 65535);
}

export function validateMtu(value: number, field = "mtu"): number {
  return checkIntegerRange(value, field, 576, 65535);
}

/** 0 (or "off" in a file) turns keepalives off. */
export function validatePersistentKeepalive(value: number, field = "persistentKeepalive"): number {
  return checkIntegerRange(value, field, 0, 65535);
}

function checkIntegerRange(value: number, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** The number in a file's "ListenPort = 51820"; range checks are the caller's. */
export function parseDecimal(text: string, field: string): number {
  if (!/^[0-9]{1,10}$/.test(text)) throw new ValidationError(field, `${quote(text)} is not a whole number`);
  return Number(text);
}

/** An unknown key kept in `extra`: a plain word that no known key of its section spells. */
export function validateExtraEntry(
  entry: unknown,
  section: "interface" | "peer",
  field: string,
): [key: string, value: string] {
  if (!Array.isArray(entry) || entry.length !== 2) {
    throw new ValidationError(field, "each entry must be a [key, value] pair");
  }
  const [key, value] = entry as [unknown, unknown];
  return [validateExtraKey(key, section, field), validateConfigValue(field, value as string)];
}

export function validateExtraKey(key: unknown, section: "interface" | "peer", field: string): string {
  if (typeof key !== "string" || !/^[A-Za-z][A-Za-z0-9_]*$/.test(key) || key.length > LIMITS.extraKey) {
    const shown = typeof key === "string" ? quote(key) : "the key";
    throw new ValidationError(
      field,
      `${shown} is not a valid key: a letter, then letters, digits or "_", at most ${LIMITS.extraKey}`,
    );
  }
  const known: readonly string[] = section === "interface" ? INTERFACE_KEYS : PEER_KEYS;
  if (known.includes(key.toLowerCase())) {
    throw new ValidationError(field, `${quote(key)} is a known key; set its own field instead of "extra"`);
  }
  return key;
}
