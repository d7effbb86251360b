// The dashboard's address as the people it shares links with reach it: the configured public URL
// (--public-url / WGFLEET_PUBLIC_URL) when there is one, else the scheme and host of the request that
// asked, which honour X-Forwarded-Proto / -Host only when --trust-proxy is on.
import type { FastifyRequest } from "fastify";
import type { AppContext } from "../../context.js";

export function publicBaseUrl(context: AppContext, request: FastifyRequest): string {
  return context.config.publicUrl ?? `${request.protocol}://${request.host}`;
}
