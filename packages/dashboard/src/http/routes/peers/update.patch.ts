// PATCH /api/v1/peers/:id — change a peer; new addresses go to its node, client settings do not.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { PeerSchema, UpdatePeerBody } from "./schemas.js";

export function updatePeerRoute(app: TypedApp, context: AppContext): void {
  app.patch(
    "/api/v1/peers/:id",
    {
      schema: {
        tags: ["peers"],
        summary: "Change a peer",
        params: IdParams,
        body: UpdatePeerBody,
        response: { 200: PeerSchema, ...errorResponses(400, 401, 403, 404, 409, 502, 503) },
      },
    },
    async (request) =>
      context.services.peers.update(request.params.id, request.body, auditName(request.actor)),
  );
}
