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

/** The signed parts without the body, whose SHA-256 hex stands in for it (a body hashed as it streams). */
export type DigestedParts = Omit<SignedParts, "body"> & { bodySha256: string };

/** `METHOD \n PATH?QUERY \n TIMESTAMP \n NONCE \n SHA256-HEX(BODY)`, method upper-case. */
export function canonicalRequest(parts: SignedParts): string {
  const { body, ...rest } = parts;
  return canonicalFromDigest({ ...rest, bodySha256: bodyDigest(body) });
}

export function canonicalFromDigest(parts: DigestedParts): string {
  return [
    parts.method.toUpperCase(),
    parts.pathWithQuery,
    parts.timestamp,
    parts.nonce,
    parts.bodySha256,
  ].join("\n");
}

/** HMAC-SHA256 of the canonical request, as raw bytes. */
export function signatureBytes(parts: SignedParts, secret: string): Buffer {
  return createHmac("sha256", secret).update(canonicalRequest(parts)).digest();
}

/** The same HMAC when only the body's SHA-256 hex is known. */
export function signatureBytesFromDigest(parts: DigestedParts, secret: string): Buffer {
  return createHmac("sha256", secret).update(canonicalFromDigest(parts)).digest();
}
