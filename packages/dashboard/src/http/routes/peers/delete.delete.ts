// DELETE /api/v1/peers/:id — off its node, then out of the database; its addresses are free again.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams, NoContent } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function deletePeerRoute(app: TypedApp, context: AppContext): void {
  app.delete(
    "/api/v1/peers/:id",
    {
      schema: {
        tags: ["peers"],
        summary: "Delete a peer",
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(401, 403, 404, 502, 503) },
      },
    },
    async (request, reply) => {
      await context.services.peers.delete(request.params.id, auditName(request.actor));
      return reply.code(204).send(null);
    },
  );
}
