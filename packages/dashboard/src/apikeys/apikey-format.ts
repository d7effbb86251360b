// What an API key looks like: "wgf_" and 43 base64url characters (256 random bits). The prefix makes
// a leaked key easy to recognise (secret scanners) and the shape lets us refuse junk without a query.
import { randomToken } from "../auth/tokens.js";

export const API_KEY_PREFIX = "wgf_";
const API_KEY_SHAPE = /^wgf_[A-Za-z0-9_-]{43}$/;
/** Characters of the key kept for display: "wgf_" and 8 more. */
export const DISPLAY_PREFIX_LENGTH = 12;

export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomToken(32)}`;
}

export function looksLikeApiKey(text: string): boolean {
  return API_KEY_SHAPE.test(text);
}

export function displayPrefix(key: string): string {
  return key.slice(0, DISPLAY_PREFIX_LENGTH);
}
