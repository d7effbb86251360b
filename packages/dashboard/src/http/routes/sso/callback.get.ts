// GET /api/v1/auth/oidc/callback — where the provider sends the browser back. The attempt cookie must
// hold the state, nonce and PKCE verifier this browser started with; the code is exchanged and the ID
// token checked (openid-client), then the claims decide who signs in (OidcLoginService). Success sets
// the ordinary session cookie and opens the page the person came for; any refusal leads to the
// sign-in page with its reason. The provider's tokens are never stored or logged.
import { NotFoundError } from "@wgfleet/core";
import { openAttempt, SsoRefusedError } from "../../../sso/index.js";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import { setSessionCookie } from "../../session-cookie.js";
import type { TypedApp } from "../../types.js";
import { takeAttemptCookie } from "./attempt-cookie.js";
import { refusalLocation } from "./refusal.js";
import { Redirect, SsoCallbackQuery } from "./schemas.js";

export function ssoCallbackRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/auth/oidc/callback",
    {
      // The request line carries the one-time code: no "incoming request" log line at info level.
      logLevel: "warn",
      config: { auth: "public" },
      schema: {
        tags: ["session"],
        summary: "The provider's redirect back (sets the session cookie)",
        security: [],
        querystring: SsoCallbackQuery,
        response: { 302: Redirect, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const sso = context.services.sso;
      if (!sso) throw new NotFoundError("single sign-on is not configured");
      const attempt = openAttempt(
        context.secrets,
        takeAttemptCookie(request, reply, context.config),
        Date.now(),
      );
      if (!attempt) return reply.redirect(refusalLocation("expired"), 302);
      if (request.query.error) {
        context.logger.warn({ error: request.query.error }, "OIDC provider refused the sign-in");
        return reply.redirect(refusalLocation("failed"), 302);
      }
      const callbackUrl = new URL(attempt.redirectUri);
      callbackUrl.search = request.url.split("?")[1] ?? "";
      let claims: Awaited<ReturnType<typeof sso.client.finish>>;
      try {
        claims = await sso.client.finish(callbackUrl, attempt);
      } catch (error) {
        context.logger.warn({ err: (error as Error).message }, "OIDC sign-in failed its checks");
        return reply.redirect(refusalLocation("failed"), 302);
      }
      try {
        const signedIn = await sso.login.signIn(claims, {
          ip: request.ip,
          userAgent: request.headers["user-agent"],
        });
        setSessionCookie(request, reply, context.config, signedIn.session.token);
        return reply.redirect(attempt.next, 302);
      } catch (error) {
        if (!(error instanceof SsoRefusedError)) throw error;
        context.logger.warn({ reason: error.reason, subject: error.subject }, "OIDC sign-in refused");
        return reply.redirect(refusalLocation(error.reason, error.subject), 302);
      }
    },
  );
}
