// POST /api/v1/apikeys — create a key (admins; for themselves or another user). The answer holds the
// key once.
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { CreateApiKeyBody, CreatedApiKeySchema } from "./schemas.js";

export function createApiKeyRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/apikeys",
    {
      schema: {
        tags: ["apikeys"],
        summary: "Create an API key",
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKeySchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const created = await context.services.apiKeys.create(
        {
          userId: request.body.userId ?? request.actor.userId,
          name: request.body.name,
          ...(request.body.scope ? { scope: request.body.scope } : {}),
        },
        request.actor,
      );
      return reply.code(201).send(created);
    },
  );
}
