// GET /api/v1/nodes/:id/drift — what the dashboard wants on the node against what it runs: revisions,
// stray peers and interfaces, missing peers (each with since when), the last repair and the policy.
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { NodeDriftSchema } from "./schemas.js";

export function nodeDriftRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/nodes/:id/drift",
    {
      schema: {
        tags: ["nodes"],
        summary: "A node's drift: revisions, stray and missing peers, stray interfaces, policy",
        params: IdParams,
        response: { 200: NodeDriftSchema, ...errorResponses(401, 403, 404, 502, 503) },
      },
    },
    async (request) => context.services.drift.get(request.params.id),
  );
}
