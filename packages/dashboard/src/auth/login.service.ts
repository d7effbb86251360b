// Logging in: the address's rate limits first, then the username's slow-down, then the password
// (argon2id, constant work for unknown names), then the second factor of a user who has one, then a
// new session. A wrong code counts as a failed login for the throttle like a wrong password, so once
// an address is throttled it learns nothing more about the password; a right password without a code
// creates no session (and clears no counts) but answers TOTP_REQUIRED so the client asks for one.
// Failed attempts are audited by username, never with the password or the code.
import { TotpInvalidError, TotpRequiredError, type UserDto } from "@wgfleet/core";
import type { AuditService } from "../audit/audit.service.js";
import type { LoginThrottle } from "./login-throttle.js";
import type { NewSession, SessionService } from "./session.service.js";

/** What logging in needs of users (the user service provides it). */
export interface CredentialCheck {
  /** The user whose name and password these are; throws UnauthorizedError otherwise. */
  verifyCredentials(username: string, password: string): Promise<UserDto>;
}

/** What logging in needs of two-factor sign-in (the two-factor service provides it). */
export interface SecondFactorCheck {
  /** Returns when the user has no second factor or `code` is good; throws TOTP_REQUIRED / TOTP_INVALID. */
  verifyAtLogin(userId: string, code: string | undefined): Promise<void>;
  /** The policy requires a second factor this user has not set up yet. */
  mustEnrol(userId: string): Promise<boolean>;
}

export interface LoginInput {
  username: string;
  password: string;
  /** The authenticator app's code or a recovery code, for users with two-factor sign-in. */
  totp?: string;
  /** The client's address, for per-address rate limiting. */
  ip: string;
  userAgent?: string;
}

export interface LoginResult {
  user: UserDto;
  session: NewSession;
  /** Signed in, but must set up two-factor sign-in before anything else. */
  mustEnrolTotp: boolean;
}

export type Sleep = (ms: number) => Promise<void>;

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class LoginService {
  constructor(
    private readonly users: CredentialCheck,
    private readonly sessions: Pick<SessionService, "create">,
    private readonly secondFactor: SecondFactorCheck,
    private readonly limiter: LoginThrottle,
    private readonly audit: Pick<AuditService, "recordEvent">,
    private readonly sleep: Sleep = realSleep,
  ) {}

  async login(input: LoginInput): Promise<LoginResult> {
    await this.limiter.check(input.username, input.ip);
    const delay = await this.limiter.delayMs(input.username);
    if (delay > 0) await this.sleep(delay);
    let user: UserDto;
    try {
      user = await this.users.verifyCredentials(input.username, input.password);
      await this.secondFactor.verifyAtLogin(user.id, input.totp);
    } catch (error) {
      // A missing code is no failed attempt: the client asks for it and sends both again.
      if (error instanceof TotpRequiredError) throw error;
      await this.limiter.recordFailure(input.username, input.ip);
      // Kept although the request fails: refused logins are what an audit is read for.
      await this.audit.recordEvent(input.username.slice(0, 64), {
        action: "session.login_failed",
        details: {
          ip: input.ip,
          ...(error instanceof TotpInvalidError ? { reason: "second factor" } : {}),
        },
        refused: true,
      });
      throw error;
    }
    await this.limiter.recordSuccess(input.username, input.ip);
    const session = await this.sessions.create(user.id, { ip: input.ip, userAgent: input.userAgent });
    await this.audit.recordEvent(user.username, {
      action: "session.login",
      target: user.id,
      details: { ip: input.ip },
    });
    return { user, session, mustEnrolTotp: await this.secondFactor.mustEnrol(user.id) };
  }
}
