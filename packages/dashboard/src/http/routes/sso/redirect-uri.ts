// The redirect URI the provider sends browsers back to: the configured public URL's, else the one of
// the request's own protocol and host (X-Forwarded-Proto/-Host count only with --trust-proxy, which
// Fastify's request.protocol and request.host honour). The provider must list it among the client's
// redirect URIs, so a forged Host header leads nowhere.
import type { FastifyRequest } from "fastify";
import type { AppConfig } from "../../context.js";

export const CALLBACK_PATH = "/api/v1/auth/oidc/callback";

export function redirectUri(request: FastifyRequest, config: AppConfig): string {
  const base = config.signIn?.publicUrl ?? `${request.protocol}://${request.host}`;
  return `${base}${CALLBACK_PATH}`;
}
