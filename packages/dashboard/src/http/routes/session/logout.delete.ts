// DELETE /api/v1/session — log out: the session ends on the server and the cookie is cleared. Any role
// (a viewer may log out); a cookie-authenticated call needs the CSRF token like every write. An API
// key has no session to end: 400, pointing at the route that revokes keys.
import { ValidationError } from "@wgfleet/core";
import type { AppContext } from "../../context.js";
import { errorResponses, NoContent } from "../../schemas.js";
import { clearSessionCookie } from "../../session-cookie.js";
import type { TypedApp } from "../../types.js";

export function logoutRoute(app: TypedApp, context: AppContext): void {
  app.delete(
    "/api/v1/session",
    {
      config: { minRole: "viewer", beforePasswordChange: true },
      schema: {
        tags: ["session"],
        summary: "Log out",
        response: { 204: NoContent, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      if (request.actor.via === "apikey") {
        throw new ValidationError(
          "authorization",
          "an API key is not a session; revoke the key with DELETE /api/v1/apikeys/:id",
        );
      }
      if (request.authSession) {
        await context.services.sessions.end(request.authSession.id);
        await context.services.audit.record(request.actor.username, "session.logout", request.actor.userId);
      }
      clearSessionCookie(request, reply, context.config);
      return reply.code(204).send(null);
    },
  );
}
