// GET /api/v1/webhooks — every webhook (admins: a URL may hold a receiver's token). Never a secret.
import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { WebhookSchema } from "./schemas.js";

export function listWebhooksRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/webhooks",
    {
      config: { minRole: "admin" },
      schema: {
        tags: ["webhooks"],
        summary: "List webhooks",
        response: { 200: Type.Object({ items: Type.Array(WebhookSchema) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await context.services.webhooks.list() }),
  );
}
