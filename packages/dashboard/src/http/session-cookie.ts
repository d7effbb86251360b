// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure
// when configured or when the request came over https. Its value is the session token itself.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppConfig } from "./context.js";

export const SESSION_COOKIE = "wgfleet_session";
export const CSRF_HEADER = "x-csrf-token";

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  config: AppConfig,
  token: string,
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "strict",
    secure: config.cookieSecure || request.protocol === "https",
    maxAge: Math.floor(config.session.ttlMs / 1000),
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply, config: AppConfig): void {
  reply.clearCookie(SESSION_COOKIE, {
    path: "/",
    httpOnly: true,
    sameSite: "strict",
    secure: config.cookieSecure || request.protocol === "https",
  });
}

export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const value = request.cookies[SESSION_COOKIE];
  return value && value.length > 0 ? value : undefined;
}
