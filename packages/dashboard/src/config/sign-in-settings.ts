// How people sign in: username + password ("local login"), OpenID Connect single sign-on, or both.
// Resolved once from flags and environment (flags win). The client secret is read from a file or the
// environment and held as a value, never logged. Local login can be turned off only together with a
// complete OIDC configuration; the server checks at start that the provider answers (see server.ts).
import { ValidationError } from "@wgfleet/core";

/**
 * Who may sign in with SSO. `claim`: anyone whose role claim carries an admin or viewer value; the
 * account is created at the first sign-in and its role follows the claim at every sign-in.
 * `existing`: only identities already linked to a wgfleet user (`wgfleet user link-sso`), with that
 * user's role.
 */
export type OidcProvisioning = "claim" | "existing";

export interface OidcSettings {
  /** The issuer URL; its `/.well-known/openid-configuration` is read at the first use. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes asked for; always includes `openid`. */
  scopes: string;
  provisioning: OidcProvisioning;
  /** The claim whose value(s) decide the role (a string or an array of strings, e.g. `groups`). */
  roleClaim: string;
  /** Claim values that make an admin. */
  adminValues: string[];
  /** Claim values that make a viewer; `*` lets any identity of the provider in as a viewer. */
  viewerValues: string[];
  /** The button's text on the sign-in page. */
  label: string;
}

export interface SignInSettings {
  localLogin: boolean;
  oidc: OidcSettings | null;
}

export const LOCAL_LOGIN_ONLY: SignInSettings = { localLogin: true, oidc: null };

/** The flags `serve` accepts for signing in (as parsed; all optional). */
export interface SignInFlags {
  noLocalLogin?: boolean;
  oidcIssuer?: string;
  oidcClientId?: string;
  /** The secret's value, read from --oidc-client-secret-file by the caller. */
  oidcClientSecret?: string;
  oidcScopes?: string;
  oidcRoleClaim?: string;
  oidcAdminValues?: string;
  oidcViewerValues?: string;
  oidcExistingUsersOnly?: boolean;
  oidcLabel?: string;
}

type Env = Readonly<Record<string, string | undefined>>;
type ReadSecretFile = (path: string, flag: string) => string;

export function resolveSignInSettings(
  flags: SignInFlags,
  env: Env,
  readSecretFile: ReadSecretFile,
): SignInSettings {
  const localLogin = !(flags.noLocalLogin ?? isTrue(env.WGFLEET_NO_LOCAL_LOGIN));
  const oidc = resolveOidc(flags, env, readSecretFile);
  if (!localLogin && !oidc) {
    throw new ValidationError(
      "--no-local-login",
      "turning password sign-in off needs single sign-on: give --oidc-issuer and --oidc-client-id too",
    );
  }
  return { localLogin, oidc };
}

function resolveOidc(flags: SignInFlags, env: Env, readSecretFile: ReadSecretFile): OidcSettings | null {
  const issuer = flags.oidcIssuer ?? nonEmpty(env.WGFLEET_OIDC_ISSUER);
  if (!issuer) return null;
  const clientId = flags.oidcClientId ?? nonEmpty(env.WGFLEET_OIDC_CLIENT_ID);
  if (!clientId) throw new ValidationError("--oidc-client-id", "required with --oidc-issuer");
  // WGFLEET_OIDC_CLIENT_SECRET_FILE has been read into WGFLEET_OIDC_CLIENT_SECRET (secret-files.ts).
  const secretFile = nonEmpty(env.WGFLEET_OIDC_CLIENT_SECRET_FILE);
  const clientSecret =
    flags.oidcClientSecret ??
    (secretFile ? readSecretFile(secretFile, "WGFLEET_OIDC_CLIENT_SECRET_FILE").trim() : null) ??
    nonEmpty(env.WGFLEET_OIDC_CLIENT_SECRET);
  if (!clientSecret) {
    throw new ValidationError(
      "--oidc-client-secret-file",
      "required with --oidc-issuer (or WGFLEET_OIDC_CLIENT_SECRET_FILE / WGFLEET_OIDC_CLIENT_SECRET)",
    );
  }
  const provisioning: OidcProvisioning =
    (flags.oidcExistingUsersOnly ?? isTrue(env.WGFLEET_OIDC_EXISTING_USERS_ONLY)) ? "existing" : "claim";
  const adminValues = list(flags.oidcAdminValues ?? env.WGFLEET_OIDC_ADMIN_VALUES);
  const viewerValues = list(flags.oidcViewerValues ?? env.WGFLEET_OIDC_VIEWER_VALUES);
  if (provisioning === "claim" && adminValues.length === 0 && viewerValues.length === 0) {
    throw new ValidationError(
      "--oidc-admin-values",
      "give the role claim's values for admins and/or viewers (--oidc-viewer-values '*' admits everyone as a viewer), or --oidc-existing-users-only",
    );
  }
  const scopes = new Set([
    "openid",
    ...list(flags.oidcScopes ?? env.WGFLEET_OIDC_SCOPES ?? "profile email", /[\s,]+/),
  ]);
  return {
    issuer: httpUrl(issuer, "--oidc-issuer").replace(/\/$/, ""),
    clientId,
    clientSecret,
    scopes: [...scopes].join(" "),
    provisioning,
    roleClaim: flags.oidcRoleClaim ?? nonEmpty(env.WGFLEET_OIDC_ROLE_CLAIM) ?? "groups",
    adminValues,
    viewerValues,
    label: flags.oidcLabel ?? nonEmpty(env.WGFLEET_OIDC_LABEL) ?? "Single sign-on",
  };
}

/** An http(s) URL (the OIDC client itself accepts plain http only from a loopback issuer). */
function httpUrl(text: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValidationError(flag, `expected a URL, got "${text}"`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ValidationError(flag, `expected an http(s) URL, got "${text}"`);
  }
  return text;
}

function list(text: string | undefined, separator: RegExp = /,/): string[] {
  return (text ?? "")
    .split(separator)
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
}

function nonEmpty(value: string | undefined): string | null {
  return value && value.length > 0 ? value : null;
}

function isTrue(value: string | undefined): boolean {
  return value === "1" || value?.toLowerCase() === "true" || value?.toLowerCase() === "yes";
}
