// The `wg-dashboard-apikey` header, as WGDashboard checks it, with wgfleet API keys of the
// `wgdashboard` scope only: none, unknown, revoked or a native key → 401 in WGDashboard's envelope.
// The key itself is never logged or echoed.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../../context.js";

export const API_KEY_HEADER = "wg-dashboard-apikey";

export async function checkWgdKey(
  request: FastifyRequest,
  reply: FastifyReply,
  context: AppContext,
): Promise<void> {
  const header = request.headers[API_KEY_HEADER];
  if (typeof header !== "string" || header.length === 0) {
    return void reply.code(401).send({ status: false, message: "Unauthorized access.", data: null });
  }
  const actor = await context.services.apiKeys.authenticate(header);
  if (actor?.apiKeyScope !== "wgdashboard") {
    return void reply.code(401).send({ status: false, message: "API Key does not exist", data: null });
  }
  if (actor.mustChangePassword || (request.method !== "GET" && actor.role !== "admin")) {
    return void reply
      .code(403)
      .send({ status: false, message: "This API key's user may not do this", data: null });
  }
  request.actor = actor;
}
