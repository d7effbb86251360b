// Login sessions: a random cookie token (only its SHA-256 is stored), a CSRF token, an absolute
// expiry and an idle timeout. Never returns or logs a token except to the client that logged in.
import { type Clock, nowIso, systemClock } from "../clock.js";
import type { SessionSettings } from "../config/settings.js";
import type { Role } from "./actor.js";
import type { SessionRepository } from "./session.repository.js";
import { randomToken, sha256Hex } from "./tokens.js";

/** Sessions are touched at most this often, so a busy page does not write on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface NewSession {
  /** The cookie value: shown once, to the client that logged in. */
  token: string;
  csrfToken: string;
  expiresAt: string;
}

export interface ActiveSession {
  id: string;
  userId: string;
  username: string;
  role: Role;
  mustChangePassword: boolean;
  /** Must set up two-factor sign-in before anything else (the policy requires it of this admin). */
  mustEnrolTotp: boolean;
  csrfToken: string;
  expiresAt: string;
}

/** The session store the service needs (the composition root passes the repository). */
export type SessionStore = Pick<
  SessionRepository,
  "delete" | "deleteForUser" | "deleteStale" | "findWithUser" | "insert" | "touch"
>;

export class SessionService {
  constructor(
    private readonly sessions: SessionStore,
    private readonly settings: SessionSettings,
    private readonly clock: Clock = systemClock,
  ) {}

  async create(userId: string, client: { ip?: string; userAgent?: string } = {}): Promise<NewSession> {
    const token = randomToken();
    const csrfToken = randomToken();
    const now = this.clock.now();
    const expiresAt = nowIso(now + this.settings.ttlMs);
    await this.sessions.insert({
      id: sha256Hex(token),
      user_id: userId,
      csrf_token: csrfToken,
      ip: client.ip ?? null,
      user_agent: client.userAgent?.slice(0, 256) ?? null,
      created_at: nowIso(now),
      expires_at: expiresAt,
      last_seen_at: nowIso(now),
    });
    return { token, csrfToken, expiresAt };
  }

  /** The live session behind a cookie token, or null (unknown, expired, idle too long). */
  async resolve(token: string): Promise<ActiveSession | null> {
    const id = sha256Hex(token);
    const row = await this.sessions.findWithUser(id);
    if (!row) return null;
    const now = this.clock.now();
    const lastSeen = Date.parse(row.last_seen_at);
    if (Date.parse(row.expires_at) <= now || lastSeen + this.settings.idleMs <= now) {
      await this.sessions.delete(id);
      return null;
    }
    if (now - lastSeen >= TOUCH_INTERVAL_MS) await this.sessions.touch(id, nowIso(now));
    return {
      id,
      userId: row.user_id,
      username: row.username,
      role: row.role,
      mustChangePassword: row.must_change_password === 1,
      mustEnrolTotp: row.must_enrol_totp === true || row.must_enrol_totp === 1,
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
    };
  }

  async end(sessionId: string): Promise<void> {
    await this.sessions.delete(sessionId);
  }

  async endAllForUser(userId: string, exceptSessionId?: string): Promise<void> {
    await this.sessions.deleteForUser(userId, exceptSessionId);
  }

  async purgeStale(): Promise<number> {
    const now = this.clock.now();
    return this.sessions.deleteStale(nowIso(now), nowIso(now - this.settings.idleMs));
  }
}
