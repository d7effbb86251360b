// DELETE /api/v1/nodes/:id/stray-interfaces/:name — delete a WireGuard interface the node runs but
// wgfleet does not manage (listed as `strayInterfaces` in the node's health). Admin only.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, NoContent } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { StrayInterfaceParams } from "./schemas.js";

export function deleteStrayInterfaceRoute(app: TypedApp, context: AppContext): void {
  app.delete(
    "/api/v1/nodes/:id/stray-interfaces/:name",
    {
      schema: {
        tags: ["nodes"],
        summary: "Delete a stray interface (live on the node, not managed by wgfleet)",
        params: StrayInterfaceParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404, 409, 502, 503) },
      },
    },
    async (request, reply) => {
      await context.services.nodeReconcile.removeStrayInterface(
        request.params.id,
        request.params.name,
        auditName(request.actor),
      );
      return reply.code(204).send(null);
    },
  );
}
