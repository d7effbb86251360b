// Verifies a signed agent request. Checks run in a fixed order — headers, key id, timestamp,
// signature, nonce — and a nonce is remembered only once the signature is good, so forged requests
// cannot fill the nonce cache. A server can run the header half before it reads the body
// (checkSignatureHeaders). Never puts the secret or the expected signature in an error.
import { timingSafeEqual } from "node:crypto";
import { bodyDigest, signatureBytesFromDigest } from "./canonical.js";
import {
  KEY_ID_PATTERN,
  NONCE_PATTERN,
  SIGNATURE_HEADERS,
  SIGNATURE_PATTERN,
  SIGNATURE_WINDOW_MS,
  TIMESTAMP_PATTERN,
} from "./headers.js";
import type { NonceCache } from "./nonce-cache.js";
import { SignatureError } from "./signature-error.js";

export type HeaderBag = Record<string, string | string[] | undefined>;

export interface VerifyRequestInput {
  method: string;
  /** As received on the request line (raw, not decoded or re-ordered). */
  pathWithQuery: string;
  /** The raw body bytes as received, not re-serialised JSON. */
  body: Uint8Array | string;
  headers: HeaderBag;
  /** key id -> secret; holds the current and, during a rotation, the previous key. */
  secrets: ReadonlyMap<string, string>;
  nonces: NonceCache;
  now?: number;
}

interface SignatureHeaders {
  keyId: string;
  timestamp: string;
  nonce: string;
  signature: string;
}

/** Throws SignatureError; returns the key id that matched. Constant-time comparison. */
export function verifyRequest(input: VerifyRequestInput): { keyId: string } {
  checkCacheWindow(input.nonces);
  const now = input.now ?? Date.now();
  const headers = readSignatureHeaders(input.headers);
  const secret = secretFor(input.secrets, headers.keyId);
  const timestamp = checkTimestamp(headers.timestamp, now);
  checkSignature(input, headers, secret, bodyDigest(input.body));
  checkNonce(input.nonces, headers.nonce, now, timestamp);
  return { keyId: headers.keyId };
}

export type HeaderCheckInput = Omit<VerifyRequestInput, "body">;

/** A request whose headers passed; the signature over the body is still to be checked. */
export interface PendingSignature {
  readonly keyId: string;
  /**
   * Checks the signature against the body's SHA-256 hex, then records the nonce (only now, so a forged
   * request never uses one up). Throws SignatureError (bad_signature, replayed_nonce).
   */
  finish(bodySha256: string): { keyId: string };
}

/**
 * The half of verifyRequest that needs no body: headers, key id, timestamp, and a nonce not already
 * used. Lets a server refuse (401 naming the check) before it reads a single body byte.
 */
export function checkSignatureHeaders(input: HeaderCheckInput): PendingSignature {
  checkCacheWindow(input.nonces);
  const now = input.now ?? Date.now();
  const headers = readSignatureHeaders(input.headers);
  const secret = secretFor(input.secrets, headers.keyId);
  const timestamp = checkTimestamp(headers.timestamp, now);
  if (input.nonces.wouldRefuse(headers.nonce, now, timestamp)) throwReplayed();
  return {
    keyId: headers.keyId,
    finish(bodySha256: string) {
      checkSignature(input, headers, secret, bodySha256);
      checkNonce(input.nonces, headers.nonce, input.now ?? Date.now(), timestamp);
      return { keyId: headers.keyId };
    },
  };
}

function checkCacheWindow(nonces: NonceCache): void {
  if (nonces.windowMs < SIGNATURE_WINDOW_MS) {
    throw new RangeError("the nonce cache must remember nonces at least as long as the signature window");
  }
}

function readSignatureHeaders(bag: HeaderBag): SignatureHeaders {
  const keyId = headerValue(bag, SIGNATURE_HEADERS.keyId);
  const timestamp = headerValue(bag, SIGNATURE_HEADERS.timestamp);
  const nonce = headerValue(bag, SIGNATURE_HEADERS.nonce);
  const signature = headerValue(bag, SIGNATURE_HEADERS.signature);
  const missing = Object.entries({ keyId, timestamp, nonce, signature })
    .filter(([, value]) => value === undefined)
    .map(([name]) => SIGNATURE_HEADERS[name as keyof typeof SIGNATURE_HEADERS]);
  if (missing.length > 0) throw new SignatureError("missing_headers", `missing header ${missing.join(", ")}`);
  const present = { keyId, timestamp, nonce, signature } as SignatureHeaders;
  if (!TIMESTAMP_PATTERN.test(present.timestamp)) {
    throw new SignatureError("missing_headers", `${SIGNATURE_HEADERS.timestamp} is not ms since the epoch`);
  }
  if (!NONCE_PATTERN.test(present.nonce)) {
    throw new SignatureError(
      "missing_headers",
      `${SIGNATURE_HEADERS.nonce} is not 32-128 lower-case hex digits`,
    );
  }
  return present;
}

/** One header, looked up case-insensitively; a repeated header counts as missing. */
function headerValue(bag: HeaderBag, name: string): string | undefined {
  let value = bag[name];
  if (value === undefined) {
    const key = Object.keys(bag).find((candidate) => candidate.toLowerCase() === name);
    value = key === undefined ? undefined : bag[key];
  }
  if (Array.isArray(value)) value = value.length === 1 ? value[0] : undefined;
  return value === undefined || value === "" ? undefined : value;
}

function secretFor(secrets: ReadonlyMap<string, string>, keyId: string): string {
  const secret = KEY_ID_PATTERN.test(keyId) ? secrets.get(keyId) : undefined;
  if (secret === undefined) {
    const shown = KEY_ID_PATTERN.test(keyId) ? ` "${keyId}"` : "";
    throw new SignatureError("unknown_key_id", `unknown key id${shown}`);
  }
  return secret;
}

function checkTimestamp(text: string, now: number): number {
  const timestamp = Number(text);
  if (timestamp < now - SIGNATURE_WINDOW_MS) {
    throw new SignatureError("stale_timestamp", `timestamp is ${Math.round((now - timestamp) / 1000)} s old`);
  }
  if (timestamp > now + SIGNATURE_WINDOW_MS) {
    throw new SignatureError(
      "future_timestamp",
      `timestamp is ${Math.round((timestamp - now) / 1000)} s in the future`,
    );
  }
  return timestamp;
}

function checkSignature(
  input: HeaderCheckInput,
  headers: SignatureHeaders,
  secret: string,
  bodySha256: string,
): void {
  const parts = {
    method: input.method,
    pathWithQuery: input.pathWithQuery,
    timestamp: headers.timestamp,
    nonce: headers.nonce,
    bodySha256,
  };
  const expected = signatureBytesFromDigest(parts, secret);
  const given = SIGNATURE_PATTERN.test(headers.signature) ? Buffer.from(headers.signature, "hex") : null;
  if (given === null || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SignatureError("bad_signature", "signature does not match the request");
  }
}

function checkNonce(nonces: NonceCache, nonce: string, now: number, timestamp: number): void {
  const admission = nonces.admit(nonce, now, timestamp);
  if (admission === "seen") throwReplayed();
  if (admission === "unverifiable") {
    throw new SignatureError(
      "replayed_nonce",
      "nonce cache is full; a request this old cannot be told apart from a replay",
    );
  }
}

function throwReplayed(): never {
  throw new SignatureError("replayed_nonce", "nonce was already used");
}
