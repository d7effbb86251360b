// POST /api/v1/peers/:id/enable — put the peer back on its node with the addresses it kept.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { PeerSchema } from "./schemas.js";

export function enablePeerRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/peers/:id/enable",
    {
      schema: {
        tags: ["peers"],
        summary: "Enable a peer",
        params: IdParams,
        response: { 200: PeerSchema, ...errorResponses(401, 403, 404, 502, 503) },
      },
    },
    async (request) => context.services.peers.enable(request.params.id, auditName(request.actor)),
  );
}
