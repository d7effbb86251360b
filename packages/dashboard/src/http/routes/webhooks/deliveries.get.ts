// GET /api/v1/webhooks/:id/deliveries — the webhook's delivery log, newest first (admins).
import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { WebhookDeliveriesQuery, WebhookDeliverySchema } from "./schemas.js";

export function webhookDeliveriesRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/webhooks/:id/deliveries",
    {
      config: { minRole: "admin" },
      schema: {
        tags: ["webhooks"],
        summary: "List a webhook's deliveries",
        params: IdParams,
        querystring: WebhookDeliveriesQuery,
        response: {
          200: Type.Object({ items: Type.Array(WebhookDeliverySchema) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({
      items: await context.services.webhooks.deliveries(request.params.id, request.query),
    }),
  );
}
