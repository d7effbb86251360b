// One-time recovery codes: 10 random codes of 10 characters (50 bits each, Crockford's base32 without
// look-alike letters), shown once as "xxxxx-xxxxx"; only a SHA-256 keyed by the user id is stored, so
// equal codes of two users do not match and a leaked table gives nothing to type. Login throttling
// bounds guessing (50 bits against at most a few dozen tries per address per 15 minutes).
import { createHash, randomInt } from "node:crypto";
import { RECOVERY_CODE_COUNT } from "@wgfleet/core";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const CODE_LENGTH = 10;

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
}

function newRecoveryCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** The code as stored: lower case, without the dash or spaces a person may type; null when it cannot be one. */
export function normalizeRecoveryCode(text: string): string | null {
  const code = text.toLowerCase().replace(/[\s-]/g, "");
  if (code.length !== CODE_LENGTH) return null;
  for (const char of code) if (!ALPHABET.includes(char)) return null;
  return code;
}

/** The hashes to store for codes newRecoveryCodes made. */
export function recoveryCodeHashes(userId: string, codes: readonly string[]): string[] {
  return codes.map((code) => hashRecoveryCode(userId, code.replace("-", "")));
}

export function hashRecoveryCode(userId: string, normalizedCode: string): string {
  return createHash("sha256").update(`${userId}\n${normalizedCode}`).digest("hex");
}
