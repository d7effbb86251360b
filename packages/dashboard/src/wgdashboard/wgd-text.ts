// The text rules of WGDashboard's fields, checked before anything reaches wgfleet's services: only
// strings of the expected shape pass (WGDashboard puts some of them into shell commands and config
// files; wgfleet never does, but a caller that sends them is refused all the same, never "cleaned").
import { WgdRefusal } from "./envelope.js";

/** A string field, or undefined when absent; anything else is refused. */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new WgdRefusal(`${field}: expected a string`);
  return value;
}

export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined || value.length === 0) throw new WgdRefusal(`${field}: missing`);
  return value;
}

/** A non-negative integer field (WGDashboard's mtu, keepalive), or undefined when absent or 0. */
export function optionalCount(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === "" || value === 0) return undefined;
  const number = typeof value === "string" && /^\d{1,6}$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number) || number < 0) {
    throw new WgdRefusal(`${field}: expected a whole number`);
  }
  return number === 0 ? undefined : number;
}

export function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new WgdRefusal(`${field}: expected true or false`);
  return value;
}

const ADDRESS_ENTRY = /^[0-9A-Fa-f.:]{2,39}(\/\d{1,3})?$/;

/**
 * A comma list of addresses or networks ("10.0.0.2/32, fd::2/128"): each entry only hex digits, dots,
 * colons and a prefix. A newline, a space inside an entry or any shell text is refused, whatever
 * `allowed_ips_validation` says.
 */
export function addressList(texts: readonly unknown[], field: string): string[] {
  const entries: string[] = [];
  for (const text of texts) {
    if (typeof text !== "string") throw new WgdRefusal(`${field}: expected strings`);
    for (const part of text.split(",")) {
      const entry = part.replace(/^ +| +$/g, "");
      if (entry === "") continue;
      if (!ADDRESS_ENTRY.test(entry)) throw new WgdRefusal(`${field}: "${shown(entry)}" is not an address`);
      entries.push(entry);
    }
  }
  return entries;
}

/** WGDashboard's DNS field: a comma list; wgfleet's own checks decide what an entry may be. */
export function dnsList(text: string, field = "DNS"): string[] {
  return text
    .split(",")
    .map((entry) => entry.replace(/^ +| +$/g, ""))
    .filter((entry) => entry !== "")
    .map((entry) => {
      if (!/^[A-Za-z0-9.:-]{1,253}$/.test(entry)) {
        throw new WgdRefusal(`${field}: "${shown(entry)}" is not an address or host name`);
      }
      return entry;
    });
}

/**
 * A peer name: printable, one line, and no config-file syntax (`[`, `]`, `=`, `#`) — WGDashboard
 * writes names where a section header would be read back.
 */
export function peerName(text: string, field = "name"): string {
  const name = text.trim();
  if (name.length > 256) throw new WgdRefusal(`${field}: at most 256 characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f[\]=#{}]/.test(name)) {
    throw new WgdRefusal(`${field}: must not contain control characters, brackets, braces, "=" or "#"`);
  }
  return name;
}

/** An entry as it may be quoted back in a message: printable and short. */
function shown(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are replaced
  return text.replace(/[\u0000-\u001f\u007f]/g, "?").slice(0, 60);
}
