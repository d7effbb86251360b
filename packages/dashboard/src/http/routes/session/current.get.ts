// GET /api/v1/session — who is logged in, and the CSRF token of the cookie's session (a reloaded page
// gets it back here). The web app's first request: without a valid session it answers 200
// `{authenticated: false}`, so a first visit logs no error (every other route keeps its 401).
import type { AppContext } from "../../context.js";
import type { TypedApp } from "../../types.js";
import { CurrentSessionSchema } from "./schemas.js";

export function currentSessionRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/session",
    {
      config: { auth: "optional", beforePasswordChange: true },
      schema: {
        tags: ["session"],
        summary: "The current session",
        response: { 200: CurrentSessionSchema },
      },
    },
    async (request) => {
      // Null when the hook found no valid credentials ("optional" route).
      if ((request.actor as typeof request.actor | null) === null) return { authenticated: false as const };
      const session = request.authSession;
      return {
        authenticated: true as const,
        user: await context.services.users.get(request.actor.userId),
        csrfToken: session?.csrfToken ?? null,
        expiresAt: session?.expiresAt ?? null,
        via: request.actor.via,
        mustEnrolTotp: request.actor.mustEnrolTotp,
      };
    },
  );
}
