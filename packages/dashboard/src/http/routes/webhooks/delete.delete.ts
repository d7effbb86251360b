// DELETE /api/v1/webhooks/:id — remove a webhook with its queued deliveries and delivery log.
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams, NoContent } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function deleteWebhookRoute(app: TypedApp, context: AppContext): void {
  app.delete(
    "/api/v1/webhooks/:id",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Delete a webhook",
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await context.services.webhooks.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );
}
