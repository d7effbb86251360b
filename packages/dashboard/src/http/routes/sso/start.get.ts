// GET /api/v1/auth/oidc/start — begins single sign-on: seals a fresh state, nonce and PKCE verifier
// into the attempt cookie and redirects the browser to the provider. A provider that cannot be
// reached sends the browser back to the sign-in page with the reason.
import { NotFoundError } from "@wgfleet/core";
import { safeNextPath, sealAttempt } from "../../../sso/index.js";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { setAttemptCookie } from "./attempt-cookie.js";
import { redirectUri } from "./redirect-uri.js";
import { refusalLocation } from "./refusal.js";
import { Redirect, SsoStartQuery } from "./schemas.js";

export function ssoStartRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/auth/oidc/start",
    {
      config: { auth: "public" },
      schema: {
        tags: ["session"],
        summary: "Sign in with single sign-on (redirects to the provider)",
        security: [],
        querystring: SsoStartQuery,
        response: { 302: Redirect, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const sso = context.services.sso;
      if (!sso) throw new NotFoundError("single sign-on is not configured");
      const callback = redirectUri(request, context.config);
      let authorization: Awaited<ReturnType<typeof sso.client.authorizationRequest>>;
      try {
        authorization = await sso.client.authorizationRequest(callback);
      } catch (error) {
        context.logger.warn(
          { issuer: sso.settings.issuer, err: (error as Error).message },
          "OIDC provider unreachable",
        );
        return reply.redirect(refusalLocation("failed"), 302);
      }
      const { url, ...checks } = authorization;
      const sealed = sealAttempt(context.secrets, {
        ...checks,
        redirectUri: callback,
        next: safeNextPath(request.query.next),
        startedAt: Date.now(),
      });
      setAttemptCookie(request, reply, context.config, sealed);
      return reply.redirect(url.href, 302);
    },
  );
}
