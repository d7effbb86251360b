// One browser's SSO sign-in in flight: state, nonce, PKCE verifier, redirect URI and where to go
// afterwards, sealed (AES-256-GCM with the dashboard's secret key) into a short-lived HttpOnly cookie
// so the callback is bound to the browser that started it. Nothing of it is stored on the server.
import type { SecretBox } from "../secrets/secret-box.js";

/** How long a browser may spend at the provider. */
export const ATTEMPT_TTL_MS = 10 * 60 * 1000;

export interface LoginAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  /** A path of this app to open after signing in. */
  next: string;
  startedAt: number;
}

export function sealAttempt(secrets: Pick<SecretBox, "encrypt">, attempt: LoginAttempt): string {
  return secrets.encrypt(JSON.stringify(attempt));
}

/** The attempt in the cookie, or null when it is missing, altered, or older than ATTEMPT_TTL_MS. */
export function openAttempt(
  secrets: Pick<SecretBox, "decrypt">,
  sealed: string | undefined,
  now: number,
): LoginAttempt | null {
  if (!sealed) return null;
  let attempt: LoginAttempt;
  try {
    attempt = JSON.parse(secrets.decrypt(sealed)) as LoginAttempt;
  } catch {
    return null;
  }
  if (typeof attempt.startedAt !== "number" || now - attempt.startedAt > ATTEMPT_TTL_MS) return null;
  return attempt;
}

/** `next` when it is a path of this app (never another site: `//host` or a scheme), else "/". */
export function safeNextPath(next: unknown): string {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") && !next.includes("\\")
    ? next
    : "/";
}
