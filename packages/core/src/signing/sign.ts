// Signs an outgoing agent request: the headers a client adds. Never logs or returns the secret.
import { randomBytes } from "node:crypto";
import { ValidationError } from "../errors.js";
import { signatureBytes } from "./canonical.js";
import { KEY_ID_PATTERN, NONCE_PATTERN, SIGNATURE_HEADERS } from "./headers.js";

export interface SignRequestInput {
  method: string;
  /** Exactly as it goes on the request line: percent-encoded path, then "?" and the query if any. */
  pathWithQuery: string;
  /** The exact bytes sent (a string is sent as UTF-8); "" for no body. */
  body: Uint8Array | string;
  keyId: string;
  secret: string;
  /** ms since the epoch; defaults to Date.now(). */
  now?: number;
  /** 128-bit random hex by default. */
  nonce?: string;
}

/** A fresh 128-bit nonce in lower-case hex. */
export function generateNonce(): string {
  return randomBytes(16).toString("hex");
}

/** The four signature headers (lower-case names) for this request. */
export function signRequest(input: SignRequestInput): Record<string, string> {
  checkSignable(input);
  const timestamp = String(Math.trunc(input.now ?? Date.now()));
  const nonce = input.nonce ?? generateNonce();
  const parts = {
    method: input.method,
    pathWithQuery: input.pathWithQuery,
    timestamp,
    nonce,
    body: input.body,
  };
  return {
    [SIGNATURE_HEADERS.keyId]: input.keyId,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: signatureBytes(parts, input.secret).toString("hex"),
  };
}

function checkSignable(input: SignRequestInput): void {
  if (!/^[A-Za-z]{1,16}$/.test(input.method)) throw new ValidationError("method", "not an HTTP method");
  if (!input.pathWithQuery.startsWith("/") || /[\s\0]/.test(input.pathWithQuery)) {
    throw new ValidationError("pathWithQuery", "must start with / and contain no whitespace or NUL");
  }
  if (!KEY_ID_PATTERN.test(input.keyId))
    throw new ValidationError("keyId", "must match [A-Za-z0-9._:-]{1,64}");
  if (input.secret.length === 0) throw new ValidationError("secret", "must not be empty");
  if (input.nonce !== undefined && !NONCE_PATTERN.test(input.nonce)) {
    throw new ValidationError("nonce", "must be 32 to 128 lower-case hex digits");
  }
}
