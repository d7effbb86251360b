// GET /api/v1/nodes/:id — one node with status, peer count and pool usage.
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { NodeSchema } from "./schemas.js";

export function getNodeRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/nodes/:id",
    {
      schema: {
        tags: ["nodes"],
        summary: "Get a node",
        params: IdParams,
        response: { 200: NodeSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => context.services.nodes.get(request.params.id),
  );
}
