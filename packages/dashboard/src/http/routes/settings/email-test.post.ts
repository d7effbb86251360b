// POST /api/v1/settings/email/test — send a test mail with the stored settings. The SMTP server's
// refusal (or why it could not be reached) comes back as 502 SMTP_ERROR, quoting its answer.
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { TestEmailBody, TestEmailResultSchema } from "./schemas.js";

export function testEmailRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/settings/email/test",
    {
      schema: {
        tags: ["settings"],
        summary: "Send a test mail",
        body: TestEmailBody,
        response: { 200: TestEmailResultSchema, ...errorResponses(400, 401, 403, 409, 502) },
      },
    },
    async (request) => context.services.emailSettings.sendTest(request.body.to, request.actor),
  );
}
