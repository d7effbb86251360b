// The text a request signature covers, and the HMAC over it. One function so that signer and verifier
// can never disagree on the format; it never sees anything but the request and the secret.
import { createHash, createHmac } from "node:crypto";

export interface SignedParts {
  method: string;
  pathWithQuery: string;
  timestamp: string;
  nonce: string;
  body: Uint8Array | string;
}

/** SHA-256 hex of the body's bytes (a string is taken as UTF-8). */
export function bodyDigest(body: Uint8Array | string): string {
  return createHash("sha256").update(body).digest("hex");
}

/** `METHOD \n PATH?QUERY \n TIMESTAMP \n NONCE \n SHA256-HEX(BODY)`, method upper-case. */
export function canonicalRequest(parts: SignedParts): string {
  return [
    parts.method.toUpperCase(),
    parts.pathWithQuery,
    parts.timestamp,
    parts.nonce,
    bodyDigest(parts.body),
  ].join("\n");
}

/** HMAC-SHA256 of the canonical request, as raw bytes. */
export function signatureBytes(parts: SignedParts, secret: string): Buffer {
  return createHmac("sha256", secret).update(canonicalRequest(parts)).digest();
}
