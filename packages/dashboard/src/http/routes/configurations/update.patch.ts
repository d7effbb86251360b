// PATCH /api/v1/configurations/:name — change the defaults its clients get (no node is touched).
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ConfigurationNameParams, ConfigurationSchema, UpdateConfigurationBody } from "./schemas.js";

export function updateConfigurationRoute(app: TypedApp, context: AppContext): void {
  app.patch(
    "/api/v1/configurations/:name",
    {
      schema: {
        tags: ["configurations"],
        summary: "Change a configuration",
        params: ConfigurationNameParams,
        body: UpdateConfigurationBody,
        response: { 200: ConfigurationSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      context.services.configurations.update(request.params.name, request.body, auditName(request.actor)),
  );
}
