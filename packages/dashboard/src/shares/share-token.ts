// What a share token looks like: 43 base64url characters (256 random bits), so it cannot be guessed
// and junk can be refused without a query. Only its SHA-256 is stored.
import { randomToken, sha256Hex } from "../auth/tokens.js";

const SHARE_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function generateShareToken(): string {
  return randomToken(32);
}

export function looksLikeShareToken(text: string): boolean {
  return SHARE_TOKEN_SHAPE.test(text);
}

export function shareTokenHash(token: string): string {
  return sha256Hex(token);
}
