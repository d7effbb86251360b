// POST /api/v1/peers/:id/disable — take the peer off its node, keeping its addresses.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { PeerSchema } from "./schemas.js";

export function disablePeerRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/peers/:id/disable",
    {
      schema: {
        tags: ["peers"],
        summary: "Disable a peer",
        params: IdParams,
        response: { 200: PeerSchema, ...errorResponses(401, 403, 404, 502, 503) },
      },
    },
    async (request) => context.services.peers.disable(request.params.id, auditName(request.actor)),
  );
}
