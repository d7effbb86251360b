// POST /api/v1/peers/:id/move — the peer onto another node of its configuration (a node id or
// "auto"): a new address there, the same keys; the old node keeps it for `graceHours` (default 24).
// The answer carries the client's new config.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { MovedPeerSchema, MovePeerBody } from "./schemas.js";

export function movePeerRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/peers/:id/move",
    {
      schema: {
        tags: ["peers"],
        summary: "Move a peer to another node",
        params: IdParams,
        body: MovePeerBody,
        response: { 200: MovedPeerSchema, ...errorResponses(400, 401, 403, 404, 409, 502, 503) },
      },
    },
    async (request) =>
      context.services.peerMoves.movePeer(
        request.params.id,
        request.body.node,
        request.body.graceHours,
        auditName(request.actor),
      ),
  );
}
