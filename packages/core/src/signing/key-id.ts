// The key id of an agent secret: the first 8 hex digits of SHA-256(secret), so the agent and the
// dashboard derive the same id from the secret alone. One definition for both sides; the id reveals
// nothing usable about the secret, which is never returned or logged.
import { createHash } from "node:crypto";

/** First 8 hex digits of the secret's SHA-256 (the secret taken as UTF-8). */
export function keyIdForSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex").slice(0, 8);
}
