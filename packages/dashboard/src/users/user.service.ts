// Rules about users: who exists, their role, their password. Keeps one admin at all times, ends a
// user's sessions when their password changes, and writes an audit record for every change.
// Never returns a password hash (see the mapper) and never logs a password. Input shapes (username,
// password length) are core's schemas, checked by the route or the admin CLI before calling here.
// SQL lives in the repository; the service takes only the narrow parts of other services it calls.
import { randomUUID } from "node:crypto";
import { ConflictError, NotFoundError, UnauthorizedError, ValidationError } from "@wgfleet/core";
import type { AuditService } from "../audit/audit.service.js";
import { fieldChanges } from "../audit/audit-changes.js";
import { type Actor, type ActorRef, auditName, type Role } from "../auth/actor.js";
import { type PasswordHasher, randomPassword } from "../auth/password.js";
import type { SessionService } from "../auth/session.service.js";
import { nowIso } from "../clock.js";
import { isUniqueViolation } from "../db/index.js";
import type { InitialPasswordFile } from "./initial-password-file.js";
import { toUserView, type UserView } from "./user.mapper.js";
import type { UserPatch, UserRepository, UserRow } from "./user.repository.js";

export interface CreateUserInput {
  username: string;
  password: string;
  role: Role;
  /** Default true: a person given a password by someone else should choose their own. */
  mustChangePassword?: boolean;
}

export interface UpdateUserInput {
  username?: string;
  role?: Role;
  password?: string;
  mustChangePassword?: boolean;
}

export interface UserServiceDeps {
  users: Pick<
    UserRepository,
    | "count"
    | "countAdmins"
    | "deleteWithCredentials"
    | "findById"
    | "findByUsername"
    | "insert"
    | "list"
    | "update"
  >;
  audit: Pick<AuditService, "record" | "recordEvent">;
  sessions: Pick<SessionService, "endAllForUser">;
  hasher: Pick<PasswordHasher, "hash" | "verify" | "verifyNobody">;
  /** The first admin's generated-password file: removed when that password is changed. */
  initialPassword?: Pick<InitialPasswordFile, "discardIfHolds">;
  /**
   * Told of every change of a user (replicas/CacheInvalidation fits): copies of their API keys' actor
   * (apikeys/) are dropped, here and on the other replicas.
   */
  invalidation: { changed(kind: "credential", userId: string): Promise<void> };
}

export class UserService {
  private readonly users: UserServiceDeps["users"];
  private readonly audit: UserServiceDeps["audit"];
  private readonly sessions: UserServiceDeps["sessions"];
  private readonly hasher: UserServiceDeps["hasher"];

  constructor(private readonly deps: UserServiceDeps) {
    this.users = deps.users;
    this.audit = deps.audit;
    this.sessions = deps.sessions;
    this.hasher = deps.hasher;
  }

  async list(): Promise<UserView[]> {
    return (await this.users.list()).map(toUserView);
  }

  async get(id: string): Promise<UserView> {
    return toUserView(await this.require(id));
  }

  async findByUsername(username: string): Promise<UserView | null> {
    const row = await this.users.findByUsername(username);
    return row ? toUserView(row) : null;
  }

  async count(): Promise<number> {
    return this.users.count();
  }

  async create(input: CreateUserInput, actor: ActorRef): Promise<UserView> {
    const username = input.username;
    const now = nowIso();
    const row: UserRow = {
      id: randomUUID(),
      username,
      password_hash: await this.hasher.hash(input.password),
      role: input.role,
      must_change_password: (input.mustChangePassword ?? true) ? 1 : 0,
      totp_secret_enc: null,
      totp_pending_enc: null,
      totp_last_step: null,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.users.insert(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`user ${username} already exists`, "username");
      throw error;
    }
    await this.audit.recordEvent(auditName(actor), {
      action: "user.create",
      target: row.id,
      changes: fieldChanges(null, { username, role: row.role }),
    });
    return toUserView(row);
  }

  async update(id: string, input: UpdateUserInput, actor: ActorRef): Promise<UserView> {
    const current = await this.require(id);
    const patch: UserPatch = { updated_at: nowIso() };
    if (input.username !== undefined) patch.username = input.username;
    if (input.role !== undefined && input.role !== current.role) {
      if (current.role === "admin") await this.assertAnotherAdmin("role");
      patch.role = input.role;
    }
    if (input.password !== undefined) {
      patch.password_hash = await this.hasher.hash(input.password);
      patch.must_change_password = 1;
    }
    if (input.mustChangePassword !== undefined) patch.must_change_password = input.mustChangePassword ? 1 : 0;
    try {
      await this.users.update(id, patch);
      await this.changed(id);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError(`user ${input.username} already exists`, "username");
      throw error;
    }
    if (input.password !== undefined) await this.sessions.endAllForUser(id);
    const after = await this.require(id);
    await this.audit.recordEvent(auditName(actor), {
      action: "user.update",
      target: id,
      changes: {
        ...fieldChanges(auditedUser(current), auditedUser(after)),
        ...(input.password !== undefined ? { password: { changed: true } as const } : {}),
      },
    });
    return this.get(id);
  }

  async delete(id: string, actor: ActorRef): Promise<void> {
    const user = await this.require(id);
    if (typeof actor !== "string" && actor.userId === id) {
      throw new ConflictError("you cannot delete your own account", "id");
    }
    if (user.role === "admin") await this.assertAnotherAdmin("id");
    await this.users.deleteWithCredentials(id);
    await this.changed(id);
    await this.audit.recordEvent(auditName(actor), {
      action: "user.delete",
      target: id,
      changes: fieldChanges(auditedUser(user), null),
    });
  }

  /** A person changing their own password: the current one is required; other sessions end. */
  async changeOwnPassword(
    actor: Actor,
    input: { currentPassword: string; newPassword: string },
    keepSessionId?: string,
  ): Promise<UserView> {
    const user = await this.require(actor.userId);
    if (!(await this.hasher.verify(user.password_hash, input.currentPassword))) {
      throw new ValidationError("currentPassword", "does not match your current password");
    }
    if (input.newPassword === input.currentPassword) {
      throw new ValidationError("newPassword", "must differ from the current password");
    }
    await this.users.update(user.id, {
      password_hash: await this.hasher.hash(input.newPassword),
      must_change_password: 0,
      updated_at: nowIso(),
    });
    await this.changed(user.id);
    await this.sessions.endAllForUser(user.id, keepSessionId);
    this.deps.initialPassword?.discardIfHolds(input.currentPassword);
    await this.audit.recordEvent(actor.username, {
      action: "user.change_password",
      target: user.id,
      changes: { password: { changed: true } },
    });
    return this.get(user.id);
  }

  /**
   * The admin CLI's reset: sets the given password, or generates one (returned, to print once).
   * Either way the user must choose a new one at next login; their sessions end.
   */
  async resetPassword(
    username: string,
    password: string | null,
    actor: ActorRef,
  ): Promise<{ user: UserView; generatedPassword: string | null }> {
    const user = await this.users.findByUsername(username);
    if (!user) throw new NotFoundError(`user ${username}`);
    const chosen = password ?? randomPassword();
    const generatedPassword = password === null ? chosen : null;
    await this.users.update(user.id, {
      password_hash: await this.hasher.hash(chosen),
      must_change_password: 1,
      updated_at: nowIso(),
    });
    await this.changed(user.id);
    await this.sessions.endAllForUser(user.id);
    await this.audit.recordEvent(auditName(actor), {
      action: "user.reset_password",
      target: user.id,
      changes: { password: { changed: true } },
    });
    return { user: await this.get(user.id), generatedPassword };
  }

  /**
   * The user whose name and password these are, or UnauthorizedError. Takes the time of one argon2
   * verification whether or not the user exists.
   */
  async verifyCredentials(username: string, password: string): Promise<UserView> {
    const user = await this.users.findByUsername(username);
    const ok = user
      ? await this.hasher.verify(user.password_hash, password)
      : await this.hasher.verifyNobody(password);
    if (!user || !ok) throw new UnauthorizedError("invalid username or password");
    return toUserView(user);
  }

  /** Whether this is the user's password (turning two-factor sign-in off asks for it). */
  async passwordMatches(userId: string, password: string): Promise<boolean> {
    const user = await this.require(userId);
    return this.hasher.verify(user.password_hash, password);
  }

  /** Computes the dummy hash now, so the first login with an unknown name takes no longer than others. */
  async prepareLoginTiming(): Promise<void> {
    await this.hasher.verifyNobody("");
  }

  /** The user's row changed (committed): what is cached of it goes, here and on the other replicas. */
  private async changed(id: string): Promise<void> {
    await this.deps.invalidation.changed("credential", id);
  }

  private async require(id: string): Promise<UserRow> {
    const row = await this.users.findById(id);
    if (!row) throw new NotFoundError(`user ${id}`);
    return row;
  }

  private async assertAnotherAdmin(field: string): Promise<void> {
    if ((await this.users.countAdmins()) <= 1) {
      throw new ConflictError("the last admin cannot be removed or demoted", field);
    }
  }
}

/** What the audit trail compares of a user (never the password hash). */
function auditedUser(row: { username: string; role: string; must_change_password: number | boolean }) {
  return {
    username: row.username,
    role: row.role,
    mustChangePassword: Number(row.must_change_password) === 1,
  };
}
