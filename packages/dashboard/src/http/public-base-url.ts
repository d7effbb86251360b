// The dashboard's address as browsers reach it, for the links it hands out (share links, the single
// sign-on redirect URI): the configured public URL (--public-url / WGFLEET_PUBLIC_URL) when there is
// one, else the scheme and host of the request that asked, which honour X-Forwarded-Proto / -Host only
// when --trust-proxy is on.
import type { FastifyRequest } from "fastify";
import type { AppConfig } from "./context.js";

export function publicBaseUrl(config: Pick<AppConfig, "publicUrl">, request: FastifyRequest): string {
  return config.publicUrl ?? `${request.protocol}://${request.host}`;
}
