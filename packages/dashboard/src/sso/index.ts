// Single sign-on through an OpenID Connect provider: the client that talks to it and the rules of
// who gets in with which role.
import type { AuditService } from "../audit/audit.service.js";
import type { SessionService } from "../auth/session.service.js";
import type { Clock } from "../clock.js";
import type { OidcSettings } from "../config/sign-in-settings.js";
import type { Db } from "../db/index.js";
import type { UserService } from "../users/user.service.js";
import { IdentityRepository } from "./identity.repository.js";
import { OidcClient } from "./oidc-client.js";
import { OidcLoginService } from "./oidc-login.service.js";

export * from "./identity.repository.js";
export * from "./identity-links.js";
export * from "./login-attempt.js";
export * from "./oidc-client.js";
export * from "./oidc-login.service.js";
export * from "./sso-refused-error.js";

export interface SingleSignOn {
  settings: OidcSettings;
  client: OidcClient;
  login: OidcLoginService;
}

export function createSingleSignOn(deps: {
  settings: OidcSettings;
  db: Db;
  users: UserService;
  sessions: SessionService;
  audit: AuditService;
  clock: Clock;
}): SingleSignOn {
  const { settings } = deps;
  return {
    settings,
    client: new OidcClient(settings),
    login: new OidcLoginService({
      settings,
      identities: new IdentityRepository(deps.db),
      users: deps.users,
      sessions: deps.sessions,
      audit: deps.audit,
      clock: deps.clock,
    }),
  };
}
