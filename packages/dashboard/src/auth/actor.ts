// Who is making a request, and what their role lets them do. The one definition of roles.
import type { ApiKeyScope } from "@wgfleet/core";

export type Role = "admin" | "viewer";
export const ROLES: readonly Role[] = ["admin", "viewer"];

/** `request.actor`: the authenticated user behind a request. */
export interface Actor {
  userId: string;
  username: string;
  role: Role;
  via: "session" | "apikey";
  /** The API key's name when `via` is "apikey" (the audit trail names it). */
  apiKeyName?: string;
  /** The API key's scope when `via` is "apikey": a `wgdashboard` key works only on that API. */
  apiKeyScope?: ApiKeyScope;
  /** Set until the user chooses their own password: every other route answers 403. */
  mustChangePassword: boolean;
  /**
   * Set for a session of an admin who must set up two-factor sign-in: every other route answers 403.
   * Never for an API key (keys are for scripts; two-factor sign-in is about people signing in).
   */
  mustEnrolTotp: boolean;
}

/** Who did it: a person over HTTP, or "cli" / "system". */
export type ActorRef = Actor | string;

const RANK: Record<Role, number> = { viewer: 0, admin: 1 };

export function roleSatisfies(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

/** Reads need a viewer, writes an admin, unless the route says otherwise. */
export function requiredRole(method: string, routeMinRole: Role | undefined): Role {
  if (routeMinRole) return routeMinRole;
  return isWriteMethod(method) ? "admin" : "viewer";
}

export function isWriteMethod(method: string): boolean {
  return method === "POST" || method === "PUT" || method === "PATCH" || method === "DELETE";
}

/** The audit log's name for an actor ("cli" and "system" for work nobody requested over HTTP). */
export function auditName(actor: ActorRef): string {
  return typeof actor === "string" ? actor : actor.username;
}
