// POST /api/v1/session — log in with a username and password (and, for a user with two-factor
// sign-in, `totp`): sets the session cookie and returns the CSRF token. A right password without the
// code answers 401 TOTP_REQUIRED and makes no session. Public; rate limited per username and address.
// 403 when password sign-in is turned off (--no-local-login: single sign-on only).
import { ForbiddenError } from "@wgfleet/core";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import { setSessionCookie } from "../../session-cookie.js";
import type { TypedApp } from "../../types.js";
import { LoginBody, SessionSchema } from "./schemas.js";

export function loginRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/session",
    {
      config: { auth: "public" },
      schema: {
        tags: ["session"],
        summary: "Log in",
        security: [],
        body: LoginBody,
        response: { 200: SessionSchema, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      if (context.config.signIn?.localLogin === false) {
        throw new ForbiddenError("password sign-in is turned off here; sign in with single sign-on");
      }
      const { user, session, mustEnrolTotp } = await context.services.login.login({
        username: request.body.username,
        password: request.body.password,
        ...(request.body.totp !== undefined ? { totp: request.body.totp } : {}),
        ip: request.ip,
        userAgent: request.headers["user-agent"],
      });
      setSessionCookie(request, reply, context.config, session.token);
      return {
        authenticated: true as const,
        user,
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt,
        via: "session" as const,
        mustEnrolTotp,
      };
    },
  );
}
