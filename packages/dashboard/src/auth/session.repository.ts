// SQL for the sessions table. Rows are keyed by the SHA-256 of the cookie token; no rules here.
import type { Selectable, SqlBool } from "kysely";
import type { Db } from "../db/index.js";
import { REQUIRE_TOTP_FOR_ADMINS_META_KEY, type SessionTable, type UserTable } from "../db/schema.js";

export type SessionRow = Selectable<SessionTable>;
export type SessionWithUser = SessionRow &
  Pick<Selectable<UserTable>, "username" | "role" | "must_change_password"> & {
    /** An admin without two-factor sign-in while the policy requires it (true/false or 1/0 by engine). */
    must_enrol_totp: SqlBool;
  };

export class SessionRepository {
  constructor(private readonly db: Db) {}

  async insert(row: SessionRow): Promise<void> {
    await this.db.insertInto("sessions").values(row).execute();
  }

  async findWithUser(id: string): Promise<SessionWithUser | undefined> {
    return this.db
      .selectFrom("sessions")
      .innerJoin("users", "users.id", "sessions.user_id")
      .selectAll("sessions")
      .select(["users.username", "users.role", "users.must_change_password"])
      .select((eb) =>
        eb
          .and([
            eb("users.role", "=", "admin"),
            eb("users.totp_secret_enc", "is", null),
            eb.exists(
              eb
                .selectFrom("meta")
                .select("meta.key")
                .where("meta.key", "=", REQUIRE_TOTP_FOR_ADMINS_META_KEY)
                .where("meta.value", "=", "true"),
            ),
          ])
          .as("must_enrol_totp"),
      )
      .where("sessions.id", "=", id)
      .executeTakeFirst();
  }

  async touch(id: string, lastSeenAt: string): Promise<void> {
    await this.db.updateTable("sessions").set({ last_seen_at: lastSeenAt }).where("id", "=", id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom("sessions").where("id", "=", id).execute();
  }

  /** Ends a user's sessions, except `keepId` (the one changing its own password). */
  async deleteForUser(userId: string, keepId?: string): Promise<void> {
    let query = this.db.deleteFrom("sessions").where("user_id", "=", userId);
    if (keepId) query = query.where("id", "!=", keepId);
    await query.execute();
  }

  /** Sessions past their absolute expiry or idle since before `idleBefore`. */
  async deleteStale(now: string, idleBefore: string): Promise<number> {
    const result = await this.db
      .deleteFrom("sessions")
      .where((eb) => eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<=", idleBefore)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
