// The role a provider's claims grant: admin when the role claim carries an admin value, else viewer
// when it carries a viewer value (or the viewer values include `*`), else none — the person is refused.
// The claim may be one string or an array of strings (groups); other shapes grant nothing.
import type { Role } from "../auth/actor.js";
import type { OidcSettings } from "../config/sign-in-settings.js";

export type RoleRule = Pick<OidcSettings, "roleClaim" | "adminValues" | "viewerValues">;

export function roleFromClaims(claims: Readonly<Record<string, unknown>>, rule: RoleRule): Role | null {
  const values = claimValues(claims[rule.roleClaim]);
  if (rule.adminValues.some((value) => values.includes(value))) return "admin";
  if (rule.viewerValues.includes("*") || rule.viewerValues.some((value) => values.includes(value))) {
    return "viewer";
  }
  return null;
}

function claimValues(claim: unknown): string[] {
  if (typeof claim === "string") return [claim];
  if (Array.isArray(claim)) return claim.filter((value): value is string => typeof value === "string");
  return [];
}
