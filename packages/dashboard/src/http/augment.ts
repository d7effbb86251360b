// The one place the dashboard extends Fastify's types: `request.actor`, `request.authSession`, and the
// per-route auth options (`config: { minRole, auth }`). Imported once by app.ts.
import type { Actor, Role } from "../auth/actor.js";
import type { ActiveSession } from "../auth/session.service.js";

/**
 * How a route is authenticated:
 * - "user" (default): a session cookie or an API key; 401 without one.
 * - "public": nobody needs to log in (login itself, /healthz).
 * - "optional": like "user" when credentials are valid; without them the handler still runs, with
 *   `actor` null (the session probe, which answers "not signed in" instead of 401).
 * - "metrics": the metrics bearer token; 404 when none is configured (metrics then live only on
 *   `--metrics-listen`).
 * - "wgdashboard": the WGDashboard-compatible API's `wg-dashboard-apikey` header, checked by that
 *   API's own hook (wgdashboard/), with keys of the `wgdashboard` scope only.
 */
export type RouteAuth = "user" | "optional" | "public" | "metrics" | "wgdashboard";

declare module "fastify" {
  interface FastifyRequest {
    /**
     * Who is asking. Set by the auth hook on every "user" route before the handler runs; null only on
     * "public" and "metrics" routes, and on an "optional" one called without valid credentials.
     */
    actor: Actor;
    /** The session behind a cookie-authenticated request; null for API keys and public routes. */
    authSession: ActiveSession | null;
  }

  interface FastifyContextConfig {
    /** Demand this role even for a read (writes need admin unless this says "viewer"). */
    minRole?: Role;
    auth?: RouteAuth;
    /** Reachable by a user who must still change their password (login, logout, who am I, the change). */
    beforePasswordChange?: boolean;
    /** Reachable by an admin who must still set up two-factor sign-in (the set-up itself, the session). */
    beforeTotpEnrolment?: boolean;
  }
}
