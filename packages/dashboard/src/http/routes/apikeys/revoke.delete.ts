// DELETE /api/v1/apikeys/:id — revoke a key: it stops working at once; the row stays for the record.
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ApiKeySchema } from "./schemas.js";

export function revokeApiKeyRoute(app: TypedApp, context: AppContext): void {
  app.delete(
    "/api/v1/apikeys/:id",
    {
      schema: {
        tags: ["apikeys"],
        summary: "Revoke an API key",
        params: IdParams,
        response: { 200: ApiKeySchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => context.services.apiKeys.revoke(request.params.id, request.actor),
  );
}
