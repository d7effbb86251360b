// GET /api/v1/alerts/settings — the thresholds the alert engine uses.
import { AlertSettingsSchema } from "@wgfleet/core";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function alertSettingsRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/alerts/settings",
    {
      schema: {
        tags: ["alerts"],
        summary: "The alert thresholds",
        response: { 200: AlertSettingsSchema, ...errorResponses(401, 403) },
      },
    },
    async () => context.services.alerts.settings(),
  );
}
