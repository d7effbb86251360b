// GET /api/v1/settings/email — the SMTP settings (admins); the password never, only whether one is set.
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { EmailSettingsSchema } from "./schemas.js";

export function emailSettingsRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/settings/email",
    {
      config: { minRole: "admin" },
      schema: {
        tags: ["settings"],
        summary: "The e-mail (SMTP) settings",
        response: { 200: EmailSettingsSchema, ...errorResponses(401, 403) },
      },
    },
    async () => context.services.emailSettings.get(),
  );
}
