// PATCH /api/v1/nodes/:id — edit a node: name, agent URL, secret (rotation: the new one is stored, the
// old one forgotten), client endpoint host, weight, soft cap, enabled.
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { NodeSchema, UpdateNodeBody } from "./schemas.js";

export function updateNodeRoute(app: TypedApp, context: AppContext): void {
  app.patch(
    "/api/v1/nodes/:id",
    {
      schema: {
        tags: ["nodes"],
        summary: "Edit a node",
        params: IdParams,
        body: UpdateNodeBody,
        response: { 200: NodeSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      context.services.nodeAdmin.update(request.params.id, request.body, auditName(request.actor)),
  );
}
