// GET /api/v1/configurations/:name — one configuration with its interfaces and peer counts.
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ConfigurationNameParams, ConfigurationSchema } from "./schemas.js";

export function getConfigurationRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/configurations/:name",
    {
      schema: {
        tags: ["configurations"],
        summary: "Get a configuration",
        params: ConfigurationNameParams,
        response: { 200: ConfigurationSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => context.services.configurations.get(request.params.name),
  );
}
