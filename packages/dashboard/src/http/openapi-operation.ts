// What the OpenAPI document says about each operation beyond its schemas: a stable operationId and a
// description that always says who may call it. Derived from the route itself, so a new route is
// documented the same way without anyone remembering to (a route may still set its own operationId).
import { type Role, requiredRole } from "../auth/actor.js";
import type { RouteAuth } from "./augment.js";

/** Who may call a route, in the words docs/api-reference.md and the in-app reference show. */
export function accessOf(method: string, auth: RouteAuth, minRole: Role | undefined): string {
  if (auth === "public") return "public (no login)";
  if (auth === "metrics") return "the metrics token, when one is configured";
  if (auth === "optional") return "anyone (signed-in callers get their own answer)";
  if (auth === "wgdashboard") return "a WGDashboard-compatible API key";
  return `${requiredRole(method, minRole)} role`;
}

/**
 * `GET /api/v1/configurations/:name/peers` → `getConfigurationsByNamePeers`. The version prefix is
 * left out; the unversioned routes kept for the seed's clients (`/api/nodes/enabled`) end in `Legacy`
 * so they never collide with their /api/v1 twin.
 */
export function operationIdFor(method: string, url: string): string {
  const versioned = url.startsWith("/api/v1/");
  const legacy = !versioned && url.startsWith("/api/");
  const rest = url.replace(/^\/api\/v1\//, "/").replace(/^\/api\//, "/");
  const words = rest
    .split("/")
    .filter((segment) => segment !== "")
    .flatMap((segment) =>
      segment.startsWith(":") ? ["by", ...splitWords(segment.slice(1))] : splitWords(segment),
    );
  return [method.toLowerCase(), ...words.map(capitalise), ...(legacy ? ["Legacy"] : [])].join("");
}

/** The route's own description (if any) followed by who may call it. */
export function descriptionFor(own: string | undefined, access: string): string {
  return [own, `Access: ${access}.`].filter((part) => part !== undefined && part !== "").join("\n\n");
}

function splitWords(text: string): string[] {
  return text.split(/[^A-Za-z0-9]+/).filter((word) => word !== "");
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
