// PATCH /api/v1/webhooks/:id — change a webhook: the fields given; a new secret replaces the old one.
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { UpdateWebhookBody, WebhookSchema } from "./schemas.js";

export function updateWebhookRoute(app: TypedApp, context: AppContext): void {
  app.patch(
    "/api/v1/webhooks/:id",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Edit a webhook",
        params: IdParams,
        body: UpdateWebhookBody,
        response: { 200: WebhookSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => context.services.webhooks.update(request.params.id, request.body),
  );
}
