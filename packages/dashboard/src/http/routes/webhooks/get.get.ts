// GET /api/v1/webhooks/:id — one webhook (admins). Never its secret, only the hint.
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { WebhookSchema } from "./schemas.js";

export function getWebhookRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/webhooks/:id",
    {
      config: { minRole: "admin" },
      schema: {
        tags: ["webhooks"],
        summary: "Get a webhook",
        params: IdParams,
        response: { 200: WebhookSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => context.services.webhooks.get(request.params.id),
  );
}
