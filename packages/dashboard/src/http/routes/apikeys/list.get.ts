// GET /api/v1/apikeys — every key for an admin, your own for a viewer. Never the keys themselves.
import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ApiKeySchema } from "./schemas.js";

export function listApiKeysRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/apikeys",
    {
      schema: {
        tags: ["apikeys"],
        summary: "List API keys",
        response: { 200: Type.Object({ items: Type.Array(ApiKeySchema) }), ...errorResponses(401) },
      },
    },
    async (request) => ({ items: await context.services.apiKeys.list(request.actor) }),
  );
}
