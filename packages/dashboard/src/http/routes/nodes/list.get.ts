// GET /api/v1/nodes — every node, the local one first, with status, peer count and pool usage.
import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { NodeSchema } from "./schemas.js";

export function listNodesRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/nodes",
    {
      schema: {
        tags: ["nodes"],
        summary: "List nodes",
        response: { 200: Type.Object({ items: Type.Array(NodeSchema) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await context.services.nodes.list() }),
  );
}
