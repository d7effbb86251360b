// What every WGDashboard route declares: its auth (the scope's own key check), hidden from OpenAPI.
import type { FastifyRequest } from "fastify";
import { WgdRefusal } from "../../../wgdashboard/envelope.js";

export const WGD_ROUTE = {
  config: { auth: "wgdashboard" as const },
  schema: { hide: true },
};

/** The JSON body as an object; anything else is refused in WGDashboard's words. */
export function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new WgdRefusal("Expected a JSON object");
  return body as Record<string, unknown>;
}

/** `{peers: [publicKey, …]}`; WGDashboard answers an empty list with a refusal. */
export function peerKeysOf(body: Record<string, unknown>): string[] {
  const peers = body.peers;
  if (!Array.isArray(peers) || peers.some((key) => typeof key !== "string")) {
    throw new WgdRefusal("peers: expected a list of public keys");
  }
  if (peers.length === 0) throw new WgdRefusal("Please specify one or more peers");
  return peers as string[];
}

/** The actor's name for the services (the audit trail also names the API key). */
export function actorName(request: FastifyRequest): string {
  return request.actor.username;
}
