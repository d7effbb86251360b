// Validation of the settings handed to clients (DNS, AllowedIPs, MTU, keepalive), shared by
// configurations and peers. Every failure is a ValidationError naming the API field; values come back
// canonical, ready to store. Never trusts the route schema to have checked types.
import {
  formatCidr,
  hasControlCharacters,
  parseCidr,
  ValidationError,
  validateDnsEntry,
} from "@wgfleet/core";

export const MAX_LIST_ENTRIES = 64;
export const MAX_DNS_ENTRIES = 16;
export const MIN_MTU = 1280;
export const MAX_MTU = 9000;
export const MAX_KEEPALIVE = 65535;
export const MAX_DESCRIPTION_LENGTH = 1000;

/** Linux interface names: 1–15 characters, no slash or whitespace; the configuration name is the default one. */
export const INTERFACE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_=+.-]{0,14}$/;

export function requireStringArray(value: unknown, field: string, maxItems: number): string[] {
  if (!Array.isArray(value)) throw new ValidationError(field, "must be an array of strings");
  if (value.length > maxItems) throw new ValidationError(field, `at most ${maxItems} entries`);
  value.forEach((entry, i) => {
    if (typeof entry !== "string") throw new ValidationError(`${field}[${i}]`, "must be a string");
    if (entry.length > 256) throw new ValidationError(`${field}[${i}]`, "is too long");
  });
  return value as string[];
}

export function validateDnsList(value: unknown, field = "dns"): string[] {
  const entries = requireStringArray(value, field, MAX_DNS_ENTRIES);
  return entries.map((entry, i) => validateDnsEntry(entry.trim(), `${field}[${i}]`));
}

export function validateCidrList(value: unknown, field: string): string[] {
  const entries = requireStringArray(value, field, MAX_LIST_ENTRIES);
  const canonical = entries.map((entry, i) => formatCidr(parseCidr(entry.trim(), `${field}[${i}]`)));
  return [...new Set(canonical)];
}

export function validateMtu(value: unknown, field = "mtu"): number | null {
  if (value === null) return null;
  if (!Number.isInteger(value) || (value as number) < MIN_MTU || (value as number) > MAX_MTU) {
    throw new ValidationError(field, `must be an integer from ${MIN_MTU} to ${MAX_MTU}`);
  }
  return value as number;
}

export function validateKeepalive(value: unknown, field = "keepalive"): number | null {
  if (value === null) return null;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_KEEPALIVE) {
    throw new ValidationError(field, `must be an integer from 0 to ${MAX_KEEPALIVE}`);
  }
  return value as number;
}

export function validateInterfaceName(value: unknown, field: string): string {
  if (typeof value !== "string" || !INTERFACE_NAME_PATTERN.test(value)) {
    throw new ValidationError(
      field,
      "must be 1-15 characters of letters, digits and _=+.- starting with a letter or digit",
    );
  }
  return value;
}

export function validateDescription(value: unknown, field = "description"): string {
  if (typeof value !== "string") throw new ValidationError(field, "must be a string");
  if (value.length > MAX_DESCRIPTION_LENGTH) {
    throw new ValidationError(field, `at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
  if (hasControlCharacters(value)) throw new ValidationError(field, "must not contain control characters");
  return value;
}

/** Rejects keys the API does not know, naming the first one (the route schema does too). */
export function rejectUnknownFields(input: object, allowed: readonly string[]): void {
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) throw new ValidationError(key, "unknown field");
  }
}

export function requireObject(value: unknown, field = "body"): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError(field, "must be a JSON object");
  }
  return value as Record<string, unknown>;
}
