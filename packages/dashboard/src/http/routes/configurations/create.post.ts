// POST /api/v1/configurations — a new configuration (no node yet: see interfaces.post.ts).
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ConfigurationSchema, CreateConfigurationBody } from "./schemas.js";

export function createConfigurationRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/configurations",
    {
      schema: {
        tags: ["configurations"],
        summary: "Create a configuration",
        body: CreateConfigurationBody,
        response: { 201: ConfigurationSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const created = await context.services.configurations.create(request.body, auditName(request.actor));
      return reply.code(201).send(created);
    },
  );
}
