// Rules of signing in through OpenID Connect. An identity is the provider's issuer plus subject; a
// user is found by it, never by email or name. With the claim rule, a new identity gets a user at its
// first sign-in (named after preferred_username or email, made unique) and the role its claim grants,
// and the role follows the claim at every sign-in; with existing users only, the identity must be
// linked beforehand and keeps the user's role. The session is the ordinary session cookie's; the
// provider is responsible for second factors, so TOTP is not asked.
import { randomUUID } from "node:crypto";
import { ConflictError, USERNAME_PATTERN } from "@wgfleet/core";
import type { AuditService } from "../audit/audit.service.js";
import type { Role } from "../auth/actor.js";
import type { NewSession, SessionService } from "../auth/session.service.js";
import { sha256Hex } from "../auth/tokens.js";
import { type Clock, nowIso, systemClock } from "../clock.js";
import type { OidcSettings } from "../config/sign-in-settings.js";
import { isUniqueViolation } from "../db/index.js";
import type { UserService } from "../users/user.service.js";
import type { IdentityRepository, IdentityRow } from "./identity.repository.js";
import type { Claims } from "./oidc-client.js";
import { roleFromClaims } from "./role-mapping.js";
import { SsoRefusedError } from "./sso-refused-error.js";

/** A password hash no password matches: SSO users sign in only through their provider. */
export const NO_PASSWORD = "!sso";
const NAME_ATTEMPTS = 5;
const AUDIT_ACTOR = "sso";

export interface SsoSignIn {
  userId: string;
  username: string;
  session: NewSession;
}

export interface OidcLoginDeps {
  settings: OidcSettings;
  identities: Pick<IdentityRepository, "find" | "insert" | "touch" | "countAdmins">;
  users: Pick<UserService, "get" | "update">;
  sessions: Pick<SessionService, "create">;
  audit: Pick<AuditService, "record">;
  clock?: Clock;
}

export class OidcLoginService {
  private readonly clock: Clock;

  constructor(private readonly deps: OidcLoginDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  get issuer(): string {
    return this.deps.settings.issuer;
  }

  /** The provider vouched for these claims: the user they belong to, signed in. */
  async signIn(claims: Claims, client: { ip: string; userAgent?: string }): Promise<SsoSignIn> {
    const { settings, identities } = this.deps;
    const linked = await identities.find(settings.issuer, claims.sub);
    const user =
      settings.provisioning === "existing"
        ? await this.existingUser(linked?.user_id, claims.sub)
        : await this.userByClaim(linked?.user_id, claims);
    await identities.touch(settings.issuer, claims.sub, nowIso(this.clock.now()));
    const session = await this.deps.sessions.create(user.id, client);
    await this.deps.audit.record(user.username, "session.login", user.id, { ip: client.ip, via: "sso" });
    return { userId: user.id, username: user.username, session };
  }

  /** Admins who have an identity at this provider (turning password sign-in off needs one). */
  adminsLinked(): Promise<number> {
    return this.deps.identities.countAdmins(this.issuer);
  }

  private async existingUser(
    userId: string | undefined,
    subject: string,
  ): Promise<{ id: string; username: string }> {
    if (!userId) {
      throw new SsoRefusedError(
        "not_linked",
        "this identity is not linked to a wgfleet user; an admin links it with `wgfleet user link-sso`",
        subject,
      );
    }
    return this.deps.users.get(userId);
  }

  private async userByClaim(
    userId: string | undefined,
    claims: Claims,
  ): Promise<{ id: string; username: string }> {
    const role = roleFromClaims(claims, this.deps.settings);
    if (!role) {
      throw new SsoRefusedError(
        "no_role",
        `the claim "${this.deps.settings.roleClaim}" grants no role in wgfleet`,
        claims.sub,
      );
    }
    if (!userId) return this.provision(claims, role);
    const user = await this.deps.users.get(userId);
    if (user.role === role) return user;
    try {
      return await this.deps.users.update(user.id, { role }, AUDIT_ACTOR);
    } catch (error) {
      if (error instanceof ConflictError) {
        throw new SsoRefusedError("last_admin", "the claim would demote the last admin", claims.sub);
      }
      throw error;
    }
  }

  /** A new user for a new identity, both in one transaction; a taken name gets a suffix. */
  private async provision(claims: Claims, role: Role): Promise<{ id: string; username: string }> {
    const now = nowIso(this.clock.now());
    for (const username of usernameCandidates(claims, this.deps.settings.issuer)) {
      const user = {
        id: randomUUID(),
        username,
        password_hash: NO_PASSWORD,
        role,
        must_change_password: 0 as const,
        // The provider is the second factor of a single sign-on: no TOTP of our own.
        totp_secret_enc: null,
        totp_pending_enc: null,
        totp_last_step: null,
        created_at: now,
        updated_at: now,
      };
      try {
        await this.deps.identities.insert(this.identityRow(user.id, claims.sub), user);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // Another sign-in of the same identity won the race: use its user.
        const linked = await this.deps.identities.find(this.issuer, claims.sub);
        if (linked) return this.deps.users.get(linked.user_id);
        continue;
      }
      await this.deps.audit.record(AUDIT_ACTOR, "user.create", user.id, { username, role, via: "sso" });
      return user;
    }
    throw new ConflictError("no free username for this identity", "username");
  }

  private identityRow(userId: string, subject: string): IdentityRow {
    return {
      issuer: this.issuer,
      subject,
      user_id: userId,
      created_at: nowIso(this.clock.now()),
      last_login_at: null,
    };
  }
}

const USERNAME = new RegExp(USERNAME_PATTERN);

/**
 * Names to try for a new SSO user: preferred_username, else email, else "sso-" and a digest of the
 * identity; then the same with -2, -3, …; last the digest (unique to the identity).
 */
export function usernameCandidates(claims: Claims, issuer: string): string[] {
  const digest = `sso-${sha256Hex(`${issuer}\n${claims.sub}`).slice(0, 12)}`;
  const wanted = [claims.preferred_username, claims.email]
    .filter((value): value is string => typeof value === "string")
    .map((value) =>
      value
        .replace(/[^A-Za-z0-9._@-]/g, "-")
        .replace(/^[^A-Za-z0-9]+/, "")
        .slice(0, 56),
    )
    .find((value) => USERNAME.test(value));
  if (!wanted) return [digest];
  const names = [wanted];
  for (let i = 2; i < NAME_ATTEMPTS; i++) names.push(`${wanted}-${i}`);
  names.push(digest);
  return names;
}
