// Authentication and authorisation for every route, in one onRequest hook (it runs before the body is
// read, so an anonymous caller learns nothing from validation). Per route `config.auth` says who may
// call it ("user" by default); writes need admin and reads viewer unless `config.minRole` says
// otherwise; cookie-authenticated writes must carry the session's CSRF token; a user who must change
// their password reaches only the routes marked `config.beforePasswordChange` (403
// PASSWORD_CHANGE_REQUIRED elsewhere, for sessions and API keys alike); a session of an admin who must
// set up two-factor sign-in reaches only those and the routes marked `config.beforeTotpEnrolment`
// (403 TOTP_ENROLMENT_REQUIRED elsewhere; API keys are not affected).
import {
  ForbiddenError,
  NotFoundError,
  PasswordChangeRequiredError,
  TotpEnrolmentRequiredError,
  UnauthorizedError,
} from "@wgfleet/core";
import type { FastifyRequest } from "fastify";
import { type Actor, isWriteMethod, requiredRole, roleSatisfies } from "../auth/actor.js";
import { bearerToken } from "../auth/authenticator.js";
import { safeEqual } from "../auth/tokens.js";
import type { AppContext } from "./context.js";
import { CSRF_HEADER, sessionTokenOf } from "./session-cookie.js";
import type { TypedApp } from "./types.js";

export function registerAuth(app: TypedApp, context: AppContext): void {
  app.decorateRequest("actor", null as unknown as Actor);
  app.decorateRequest("authSession", null);
  app.addHook("onRequest", async (request) => {
    const config = request.routeOptions.config ?? {};
    const auth = publicWildcardOnApi(request) ? "user" : (config.auth ?? "user");
    if (auth === "public") return;
    if (auth === "metrics") return checkMetricsToken(request, context.config.metricsToken);
    // The WGDashboard-compatible API authenticates its own header, in its own envelope (wgdashboard/).
    if (auth === "wgdashboard") return;
    if (!(await authenticate(request, context))) {
      if (auth === "optional") return;
      throw new UnauthorizedError();
    }
    if (request.actor.apiKeyScope === "wgdashboard") {
      throw new ForbiddenError("this API key works only on the WGDashboard-compatible API");
    }
    checkCsrf(request);
    if (request.actor.mustChangePassword && config.beforePasswordChange !== true) {
      throw new PasswordChangeRequiredError();
    }
    const beforeEnrolment = config.beforePasswordChange === true || config.beforeTotpEnrolment === true;
    if (request.actor.mustEnrolTotp && !beforeEnrolment) throw new TotpEnrolmentRequiredError();
    const needed = requiredRole(request.method, config.minRole);
    if (!roleSatisfies(request.actor.role, needed)) {
      throw new ForbiddenError(`this needs the ${needed} role`);
    }
  });
}

/**
 * A public catch-all outside /api (the web app's `GET /*`) also matches unknown /api/ paths; those stay
 * authenticated, so an anonymous caller cannot tell a missing API route (404) from an existing one (401).
 */
function publicWildcardOnApi(request: FastifyRequest): boolean {
  const routeUrl = request.routeOptions.url ?? "";
  return !routeUrl.startsWith("/api/") && isApiPath(request.url);
}

function isApiPath(url: string): boolean {
  const path = url.split("?")[0] ?? "";
  return path === "/api" || path.startsWith("/api/");
}

/** Sets the request's actor and session from valid credentials; false when there are none. */
async function authenticate(request: FastifyRequest, context: AppContext): Promise<boolean> {
  const result = await context.services.authenticator.authenticate({
    authorization: request.headers.authorization,
    sessionToken: sessionTokenOf(request),
  });
  if (!result) return false;
  request.actor = result.actor;
  request.authSession = result.session;
  return true;
}

/** A write made with the session cookie must echo the session's CSRF token in a header. */
function checkCsrf(request: FastifyRequest): void {
  const session = request.authSession;
  if (!session || !isWriteMethod(request.method)) return;
  const header = request.headers[CSRF_HEADER];
  if (typeof header !== "string" || !safeEqual(header, session.csrfToken)) {
    throw new ForbiddenError(`missing or wrong ${CSRF_HEADER} header`);
  }
}

/** Without a configured token the main port has no /metrics at all (see --metrics-listen). */
function checkMetricsToken(request: FastifyRequest, token: string | null): void {
  if (token === null) throw new NotFoundError(`route GET ${request.url.split("?")[0]}`);
  const presented = bearerToken(request.headers.authorization ?? "");
  if (presented === null || !safeEqual(presented, token))
    throw new UnauthorizedError("metrics token required");
}
