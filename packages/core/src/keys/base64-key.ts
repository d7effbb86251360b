// WireGuard keys as text: base64 of exactly 32 bytes. The one gate every key passes before it is
// stored, sent to a node or written to a file. Never echo the key in an error: it may be a secret.
import { ValidationError } from "../errors.js";

export const KEY_BYTES = 32;
/** 43 base64 characters carry 258 bits; the last one must be followed by a single "=". */
const KEY_PATTERN = /^[A-Za-z0-9+/]{43}=$/;

/** The 32 raw bytes of a key, or null when the text is not base64 of exactly 32 bytes. */
export function decodeKey(text: unknown): Uint8Array | null {
  if (typeof text !== "string" || !KEY_PATTERN.test(text)) return null;
  const bytes = Buffer.from(text, "base64");
  return bytes.length === KEY_BYTES ? new Uint8Array(bytes) : null;
}

export function encodeKey(bytes: Uint8Array): string {
  if (bytes.length !== KEY_BYTES) throw new RangeError(`a WireGuard key has ${KEY_BYTES} bytes`);
  return Buffer.from(bytes).toString("base64");
}

export function isValidKey(text: unknown): text is string {
  return decodeKey(text) !== null;
}

/**
 * Accepts only base64 of exactly 32 bytes (44 characters ending in "="), no surrounding whitespace,
 * and returns the canonical form (unused trailing bits cleared, as `wg` requires).
 */
export function validateKey(text: string, field = "key"): string {
  const bytes = decodeKey(text);
  if (bytes === null) throw new ValidationError(field, describeKeyProblem(text));
  return encodeKey(bytes);
}

function describeKeyProblem(text: unknown): string {
  const expected = 'must be a WireGuard key: base64 of exactly 32 bytes (44 characters ending in "=")';
  if (typeof text !== "string") return `${expected}, not a ${text === null ? "null" : typeof text}`;
  if (text.length === 0) return `${expected}; it is empty`;
  if (text.trim() !== text) return `${expected}; it has surrounding whitespace`;
  if (text.length !== 44) return `${expected}; it has ${text.length} characters`;
  return `${expected}; it contains characters outside the base64 alphabet or misplaced padding`;
}
