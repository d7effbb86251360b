// SQL for two-factor sign-in: the user's TOTP columns, their recovery codes and the admins' policy in
// the meta table. No rules here. The two one-time checks (a TOTP step, a recovery code) are single
// conditional UPDATEs, so two logins racing with the same code cannot both win, on either engine.
import type { Db } from "../db/index.js";
import { REQUIRE_TOTP_FOR_ADMINS_META_KEY } from "../db/schema.js";

export interface TwoFactorRow {
  role: "admin" | "viewer";
  totp_secret_enc: string | null;
  totp_pending_enc: string | null;
}

export class TwoFactorRepository {
  constructor(private readonly db: Db) {}

  async find(userId: string): Promise<TwoFactorRow | undefined> {
    return this.db
      .selectFrom("users")
      .select(["role", "totp_secret_enc", "totp_pending_enc"])
      .where("id", "=", userId)
      .executeTakeFirst();
  }

  async setPending(userId: string, pendingEnc: string, now: string): Promise<void> {
    await this.db
      .updateTable("users")
      .set({ totp_pending_enc: pendingEnc, updated_at: now })
      .where("id", "=", userId)
      .execute();
  }

  /**
   * Makes the pending secret the user's secret, with fresh recovery codes and `step` as the last used
   * one (the confirming code cannot sign in). False when the pending secret changed meanwhile.
   */
  async enable(
    userId: string,
    pendingEnc: string,
    step: number,
    codeHashes: readonly string[],
    now: string,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable("users")
        .set({ totp_secret_enc: pendingEnc, totp_pending_enc: null, totp_last_step: step, updated_at: now })
        .where("id", "=", userId)
        .where("totp_pending_enc", "=", pendingEnc)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await trx.deleteFrom("user_recovery_codes").where("user_id", "=", userId).execute();
      await trx
        .insertInto("user_recovery_codes")
        .values(
          codeHashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: now, used_at: null })),
        )
        .execute();
      return true;
    });
  }

  /** Records `step` as used; false when it is not later than the last used step (a replay). */
  async claimStep(userId: string, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable("users")
      .set({ totp_last_step: step })
      .where("id", "=", userId)
      .where("totp_secret_enc", "is not", null)
      .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Spends an unspent code; false when there is none with this hash (unknown or spent). */
  async spendRecoveryCode(userId: string, codeHash: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable("user_recovery_codes")
      .set({ used_at: now })
      .where("user_id", "=", userId)
      .where("code_hash", "=", codeHash)
      .where("used_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async countUnspentCodes(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom("user_recovery_codes")
      .select((eb) => eb.fn.countAll<number | string>().as("count"))
      .where("user_id", "=", userId)
      .where("used_at", "is", null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Turns two-factor sign-in off for the user: secret, pending secret, last step and codes go. */
  async disable(userId: string, now: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("users")
        .set({ totp_secret_enc: null, totp_pending_enc: null, totp_last_step: null, updated_at: now })
        .where("id", "=", userId)
        .execute();
      await trx.deleteFrom("user_recovery_codes").where("user_id", "=", userId).execute();
    });
  }

  async requireForAdmins(): Promise<boolean> {
    const row = await this.db
      .selectFrom("meta")
      .select("value")
      .where("key", "=", REQUIRE_TOTP_FOR_ADMINS_META_KEY)
      .executeTakeFirst();
    return row?.value === "true";
  }

  async setRequireForAdmins(required: boolean): Promise<void> {
    const value = required ? "true" : "false";
    await this.db
      .insertInto("meta")
      .values({ key: REQUIRE_TOTP_FOR_ADMINS_META_KEY, value })
      .onConflict((conflict) => conflict.column("key").doUpdateSet({ value }))
      .execute();
  }
}
