// The redirect URI the provider sends browsers back to, under the dashboard's public base URL. The
// provider must list it among the client's redirect URIs, so a forged Host header leads nowhere.
import type { FastifyRequest } from "fastify";
import type { AppConfig } from "../../context.js";
import { publicBaseUrl } from "../../public-base-url.js";

export const CALLBACK_PATH = "/api/v1/auth/oidc/callback";

export function redirectUri(request: FastifyRequest, config: AppConfig): string {
  return `${publicBaseUrl(config, request)}${CALLBACK_PATH}`;
}
