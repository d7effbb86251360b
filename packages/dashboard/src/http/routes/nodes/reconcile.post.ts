// POST /api/v1/nodes/:id/reconcile — bring the node in line with the database now: every interface's
// full desired state pushed, drift repaired, stray peers (live, but never asked for) removed.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { NodeReconcileSchema } from "./schemas.js";

export function reconcileNodeRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/nodes/:id/reconcile",
    {
      schema: {
        tags: ["nodes"],
        summary: "Push the desired state to a node and remove its stray peers",
        params: IdParams,
        response: { 200: NodeReconcileSchema, ...errorResponses(401, 403, 404, 502, 503) },
      },
    },
    async (request) => context.services.nodeReconcile.reconcile(request.params.id, auditName(request.actor)),
  );
}
