// DELETE /api/v1/nodes/:id[?force=true] — stop managing a node. Refused (409) while it hosts peers,
// unless forced: then its peers and interfaces are deleted, their addresses freed, and the node is told
// to drop its interfaces if it answers.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams, NoContent } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { DeleteNodeQuery } from "./schemas.js";

export function deleteNodeRoute(app: TypedApp, context: AppContext): void {
  app.delete(
    "/api/v1/nodes/:id",
    {
      schema: {
        tags: ["nodes"],
        summary: "Delete a node",
        params: IdParams,
        querystring: DeleteNodeQuery,
        response: { 204: NoContent, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await context.services.nodeAdmin.delete(
        request.params.id,
        request.query.force === true,
        auditName(request.actor),
      );
      return reply.code(204).send(null);
    },
  );
}
