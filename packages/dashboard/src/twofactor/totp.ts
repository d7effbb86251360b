// The TOTP arithmetic (RFC 6238: HMAC-SHA-1, 6 digits, 30 s steps), done by the otpauth library. Pure:
// no I/O and no logging; a secret goes in and out as base32 and never into an error message.
import { Secret, TOTP } from "otpauth";

const ISSUER = "wgfleet";
/** 160 bits, the size RFC 4226 recommends for HMAC-SHA-1. */
const SECRET_BYTES = 20;
/** Codes of the step before and after now are accepted too (clock drift between phone and server). */
const DRIFT_STEPS = 1;

export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The `otpauth://totp/wgfleet:<name>?secret=...` URI an authenticator app reads from a QR code. */
export function otpauthUri(secretBase32: string, username: string): string {
  return totpOf(secretBase32, username).toString();
}

/** The step (Unix time / 30 s) whose code `code` is, within the drift allowed; null when none. */
export function stepOfCode(secretBase32: string, code: string, nowMs: number): number | null {
  const totp = totpOf(secretBase32);
  const delta = totp.validate({ token: code, timestamp: nowMs, window: DRIFT_STEPS });
  return delta === null ? null : totp.counter({ timestamp: nowMs }) + delta;
}

/** The code of the step `nowMs` falls in (what the app shows; tests and the enrolment test use it). */
export function totpCodeAt(secretBase32: string, nowMs: number): string {
  return totpOf(secretBase32).generate({ timestamp: nowMs });
}

export function isTotpCode(text: string): boolean {
  return /^[0-9]{6}$/.test(text);
}

function totpOf(secretBase32: string, username = ""): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label: username,
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secretBase32),
  });
}
