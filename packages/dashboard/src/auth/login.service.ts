// Logging in: the address's rate limits first, then the username's slow-down, then the password
// (argon2id, constant work for unknown names), then a new session. Failed attempts are audited by
// username, never with the password. TOTP (the login body's optional `totp`) is not implemented yet:
// the field is accepted and ignored.
import type { UserDto } from "@wgfleet/core";
import type { AuditService } from "../audit/audit.service.js";
import type { LoginRateLimiter } from "./login-rate-limiter.js";
import type { NewSession, SessionService } from "./session.service.js";

/** What logging in needs of users (the user service provides it). */
export interface CredentialCheck {
  /** The user whose name and password these are; throws UnauthorizedError otherwise. */
  verifyCredentials(username: string, password: string): Promise<UserDto>;
}

export interface LoginInput {
  username: string;
  password: string;
  /** The client's address, for per-address rate limiting. */
  ip: string;
  userAgent?: string;
}

export interface LoginResult {
  user: UserDto;
  session: NewSession;
}

export type Sleep = (ms: number) => Promise<void>;

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class LoginService {
  constructor(
    private readonly users: CredentialCheck,
    private readonly sessions: Pick<SessionService, "create">,
    private readonly limiter: LoginRateLimiter,
    private readonly audit: Pick<AuditService, "recordEvent">,
    private readonly sleep: Sleep = realSleep,
  ) {}

  async login(input: LoginInput): Promise<LoginResult> {
    this.limiter.check(input.username, input.ip);
    const delay = this.limiter.delayMs(input.username);
    if (delay > 0) await this.sleep(delay);
    let user: UserDto;
    try {
      user = await this.users.verifyCredentials(input.username, input.password);
    } catch (error) {
      this.limiter.recordFailure(input.username, input.ip);
      // Kept although the request fails: refused logins are what an audit is read for.
      await this.audit.recordEvent(input.username.slice(0, 64), {
        action: "session.login_failed",
        details: { ip: input.ip },
        refused: true,
      });
      throw error;
    }
    this.limiter.recordSuccess(input.username, input.ip);
    const session = await this.sessions.create(user.id, { ip: input.ip, userAgent: input.userAgent });
    await this.audit.recordEvent(user.username, {
      action: "session.login",
      target: user.id,
      details: { ip: input.ip },
    });
    return { user, session };
  }
}
