// GET /api/v1/session — who is logged in, and the CSRF token of the cookie's session (a reloaded page
// gets it back here).
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { SessionSchema } from "./schemas.js";

export function currentSessionRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/session",
    {
      config: { beforePasswordChange: true },
      schema: {
        tags: ["session"],
        summary: "The current session",
        response: { 200: SessionSchema, ...errorResponses(401) },
      },
    },
    async (request) => {
      const session = request.authSession;
      return {
        user: await context.services.users.get(request.actor.userId),
        csrfToken: session?.csrfToken ?? null,
        expiresAt: session?.expiresAt ?? null,
        via: request.actor.via,
      };
    },
  );
}
