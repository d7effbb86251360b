// POST /api/v1/nodes/:id/confirm-agent — adopt the agent that now answers at the node's URL (another
// instance id than the node is bound to): re-bound, changes allowed again, full desired state pushed.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { NodeSchema } from "./schemas.js";

export function confirmNodeAgentRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/nodes/:id/confirm-agent",
    {
      schema: {
        tags: ["nodes"],
        summary: "Adopt the agent that now answers at a node's URL",
        params: IdParams,
        response: { 200: NodeSchema, ...errorResponses(401, 403, 404, 409, 502, 503) },
      },
    },
    async (request) => context.services.nodeAgents.confirm(request.params.id, auditName(request.actor)),
  );
}
