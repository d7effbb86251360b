// GET /api/v1/nodes/:id/pools — per pool on the node: size, allocated, available, utilization.
import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { PoolUsageSchema } from "./schemas.js";

export function nodePoolsRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/nodes/:id/pools",
    {
      schema: {
        tags: ["nodes"],
        summary: "A node's address pools",
        params: IdParams,
        response: {
          200: Type.Object({ items: Type.Array(PoolUsageSchema) }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request) => ({ items: await context.services.nodes.pools(request.params.id) }),
  );
}
