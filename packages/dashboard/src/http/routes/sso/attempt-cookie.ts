// The cookie that carries one browser's sign-in attempt (sealed: see sso/login-attempt.ts) from the
// start route to the callback. SameSite=Lax, not Strict: the provider sends the browser back with a
// top-level navigation from its own site, and the cookie must come along. Only the two SSO routes see it.
import type { FastifyReply, FastifyRequest } from "fastify";
import { ATTEMPT_TTL_MS } from "../../../sso/index.js";
import type { AppConfig } from "../../context.js";

const ATTEMPT_COOKIE = "wgfleet_oidc";
const ATTEMPT_PATH = "/api/v1/auth/oidc";

function options(request: FastifyRequest, config: AppConfig) {
  return {
    path: ATTEMPT_PATH,
    httpOnly: true,
    sameSite: "lax" as const,
    secure: config.cookieSecure || request.protocol === "https",
  };
}

export function setAttemptCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  config: AppConfig,
  sealed: string,
) {
  reply.setCookie(ATTEMPT_COOKIE, sealed, { ...options(request, config), maxAge: ATTEMPT_TTL_MS / 1000 });
}

/** The attempt's sealed text, and the cookie cleared: an attempt is used once. */
export function takeAttemptCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  config: AppConfig,
): string | undefined {
  const value = request.cookies[ATTEMPT_COOKIE];
  if (value !== undefined) reply.clearCookie(ATTEMPT_COOKIE, options(request, config));
  return value && value.length > 0 ? value : undefined;
}
