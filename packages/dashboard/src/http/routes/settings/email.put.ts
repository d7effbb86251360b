// PUT /api/v1/settings/email — replace the SMTP settings; an omitted password keeps the stored one.
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { EmailSettingsSchema, UpdateEmailSettingsBody } from "./schemas.js";

export function updateEmailSettingsRoute(app: TypedApp, context: AppContext): void {
  app.put(
    "/api/v1/settings/email",
    {
      schema: {
        tags: ["settings"],
        summary: "Change the e-mail (SMTP) settings",
        body: UpdateEmailSettingsBody,
        response: { 200: EmailSettingsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => context.services.emailSettings.update(request.body, request.actor),
  );
}
