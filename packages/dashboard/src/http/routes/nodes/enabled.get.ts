// GET /api/nodes/enabled — the add-peer dialog's node selector reads it: enabled nodes and their load.
import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { EnabledNodeSchema } from "./schemas.js";

export function enabledNodesRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/nodes/enabled",
    {
      schema: {
        tags: ["nodes"],
        summary: "Enabled nodes (for the node dropdown)",
        response: { 200: Type.Array(EnabledNodeSchema), ...errorResponses(401, 403) },
      },
    },
    async () => context.services.nodes.enabled(),
  );
}
