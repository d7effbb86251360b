// Logging in: rate limits first, then the password (argon2id, constant work for unknown names), then
// a new session. Failed attempts are audited by username, never with the password.
// TOTP (the login body's optional `totp`) is not implemented yet: the field is accepted and ignored.
import type { AuditService } from "../audit/audit.service.js";
import type { UserView } from "../users/user.mapper.js";
import type { UserService } from "../users/user.service.js";
import type { LoginRateLimiter } from "./login-rate-limiter.js";
import type { NewSession, SessionService } from "./session.service.js";

export interface LoginInput {
  username: string;
  password: string;
  /** The client's address, for per-address rate limiting. */
  ip: string;
  userAgent?: string;
}

export interface LoginResult {
  user: UserView;
  session: NewSession;
}

export class LoginService {
  constructor(
    private readonly users: UserService,
    private readonly sessions: SessionService,
    private readonly limiter: LoginRateLimiter,
    private readonly audit: AuditService,
  ) {}

  async login(input: LoginInput): Promise<LoginResult> {
    this.limiter.check(input.username, input.ip);
    let user: UserView;
    try {
      user = await this.users.verifyCredentials(input.username, input.password);
    } catch (error) {
      this.limiter.recordFailure(input.username, input.ip);
      await this.audit.record(input.username.slice(0, 64), "session.login_failed", undefined, {
        ip: input.ip,
      });
      throw error;
    }
    this.limiter.recordSuccess(input.username);
    const session = await this.sessions.create(user.id, { ip: input.ip, userAgent: input.userAgent });
    await this.audit.record(user.username, "session.login", user.id, { ip: input.ip });
    return { user, session };
  }
}
