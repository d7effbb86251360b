// GET /api/v1/configurations — every configuration with its interfaces and peer counts.
import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ConfigurationSchema } from "./schemas.js";

export function listConfigurationsRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/configurations",
    {
      schema: {
        tags: ["configurations"],
        summary: "List configurations",
        response: {
          200: Type.Object({ items: Type.Array(ConfigurationSchema) }),
          ...errorResponses(401, 403),
        },
      },
    },
    async () => ({ items: await context.services.configurations.list() }),
  );
}
