// Turns a request's credentials into an actor: an API key in `Authorization: Bearer`, or the session
// cookie. Knows nothing of HTTP beyond those two strings; the HTTP hook decides what a failure means.
import type { Actor } from "./actor.js";
import type { ActiveSession, SessionService } from "./session.service.js";

/** What the authenticator needs of API keys (the API-key service provides it). */
export interface ApiKeyAuthentication {
  /** The key owner's actor, or null for an unknown, expired or revoked key. */
  authenticate(key: string): Promise<Actor | null>;
}

export interface Credentials {
  /** The raw Authorization header. */
  authorization?: string;
  /** The session cookie's value. */
  sessionToken?: string;
}

export interface Authenticated {
  actor: Actor;
  /** The session, when the cookie authenticated the request (its CSRF token guards writes). */
  session: ActiveSession | null;
}

export class Authenticator {
  constructor(
    private readonly sessions: Pick<SessionService, "resolve">,
    private readonly apiKeys: ApiKeyAuthentication,
  ) {}

  /** null: no credentials, or credentials that do not hold (unknown, expired, revoked). */
  async authenticate(credentials: Credentials): Promise<Authenticated | null> {
    if (credentials.authorization !== undefined) {
      const key = bearerToken(credentials.authorization);
      const actor = key ? await this.apiKeys.authenticate(key) : null;
      return actor ? { actor, session: null } : null;
    }
    if (credentials.sessionToken) {
      const session = await this.sessions.resolve(credentials.sessionToken);
      if (!session) return null;
      const actor: Actor = {
        userId: session.userId,
        username: session.username,
        role: session.role,
        via: "session",
        mustChangePassword: session.mustChangePassword,
        mustEnrolTotp: session.mustEnrolTotp,
      };
      return { actor, session };
    }
    return null;
  }
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
