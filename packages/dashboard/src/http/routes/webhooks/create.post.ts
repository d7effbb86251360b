// POST /api/v1/webhooks — add a webhook. The answer holds the signing secret once (generated when the
// body brings none).
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { CreatedWebhookSchema, CreateWebhookBody } from "./schemas.js";

export function createWebhookRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/webhooks",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Add a webhook",
        body: CreateWebhookBody,
        response: { 201: CreatedWebhookSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await context.services.webhooks.create(request.body)),
  );
}
