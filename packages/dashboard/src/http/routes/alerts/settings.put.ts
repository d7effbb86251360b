// PUT /api/v1/alerts/settings — set the alert thresholds (admins; every field, audited). The next
// engine tick fires and resolves by them.
import { AlertSettingsSchema } from "@wgfleet/core";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function updateAlertSettingsRoute(app: TypedApp, context: AppContext): void {
  app.put(
    "/api/v1/alerts/settings",
    {
      schema: {
        tags: ["alerts"],
        summary: "Set the alert thresholds",
        body: AlertSettingsSchema,
        response: { 200: AlertSettingsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => context.services.alerts.updateSettings(request.actor, request.body),
  );
}
