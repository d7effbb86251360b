// POST /api/v1/webhooks/:id/test — queue a signed `webhook.test` delivery and try it now; the answer is
// the delivery as that try left it (delivered, or pending with the receiver's status or error).
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { WebhookDeliverySchema } from "./schemas.js";

export function testWebhookRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/webhooks/:id/test",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Send a test delivery",
        params: IdParams,
        response: { 200: WebhookDeliverySchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => context.services.webhooks.test(request.params.id),
  );
}
