// GET /api/v1/alerts — firing alerts first (newest first), then recently resolved ones; `state` filters.
import { AlertListDtoSchema, AlertListQuerySchema } from "@wgfleet/core";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function listAlertsRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/alerts",
    {
      schema: {
        tags: ["alerts"],
        summary: "List alerts",
        querystring: AlertListQuerySchema,
        response: { 200: AlertListDtoSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => context.services.alerts.list(request.query),
  );
}
