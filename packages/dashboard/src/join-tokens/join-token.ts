// What a join token looks like: "wgj_" and 43 base64url characters (256 random bits), so it cannot be
// guessed and junk is refused without a query. Only its SHA-256 is stored.
import { randomToken, sha256Hex } from "../auth/tokens.js";

const JOIN_TOKEN_SHAPE = /^wgj_[A-Za-z0-9_-]{43}$/;

export function generateJoinToken(): string {
  return `wgj_${randomToken(32)}`;
}

export function looksLikeJoinToken(text: string): boolean {
  return JOIN_TOKEN_SHAPE.test(text);
}

export function joinTokenHash(token: string): string {
  return sha256Hex(token);
}
