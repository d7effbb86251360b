// POST /api/v1/nodes/:id/drift/remove-strays — remove every stray peer (live on the node, in no
// configuration) from the node's managed interfaces; nothing missing is put back. Admin only.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { RemoveStraysSchema } from "./schemas.js";

export function removeStraysRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/nodes/:id/drift/remove-strays",
    {
      schema: {
        tags: ["nodes"],
        summary: "Remove a node's stray peers",
        params: IdParams,
        response: { 200: RemoveStraysSchema, ...errorResponses(401, 403, 404, 502, 503) },
      },
    },
    async (request) => context.services.drift.removeStrays(request.params.id, auditName(request.actor)),
  );
}
