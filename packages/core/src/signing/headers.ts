// The header names and formats of a signed agent request. Formats are strict so that nothing an
// attacker writes into a header can reach a log line or the canonical text in an unexpected shape.

export const SIGNATURE_HEADERS = {
  keyId: "x-wgfleet-key-id",
  timestamp: "x-wgfleet-timestamp",
  nonce: "x-wgfleet-nonce",
  signature: "x-wgfleet-signature",
} as const;

/** A request is accepted when its timestamp is at most this far from the verifier's clock, either way. */
export const SIGNATURE_WINDOW_MS = 60_000;

/** Key ids are short printable names ("k1", "2025-06"), safe to echo in an error message. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
/** Milliseconds since the epoch as decimal text. */
export const TIMESTAMP_PATTERN = /^[0-9]{1,16}$/;
/** At least 128 random bits in lower-case hex. */
export const NONCE_PATTERN = /^[0-9a-f]{32,128}$/;
/** HMAC-SHA256 in hex. */
export const SIGNATURE_PATTERN = /^[0-9a-fA-F]{64}$/;
