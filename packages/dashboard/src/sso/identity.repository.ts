// SQL for the user_identities table: which (issuer, subject) belongs to which user. No rules here.
import type { Selectable } from "kysely";
import type { Db } from "../db/index.js";
import type { UserIdentityTable } from "../db/schema.js";
import type { UserRow } from "../users/user.repository.js";

export type IdentityRow = Selectable<UserIdentityTable>;

export class IdentityRepository {
  constructor(private readonly db: Db) {}

  async find(issuer: string, subject: string): Promise<IdentityRow | undefined> {
    return this.db
      .selectFrom("user_identities")
      .selectAll()
      .where("issuer", "=", issuer)
      .where("subject", "=", subject)
      .executeTakeFirst();
  }

  /** Inserts the identity, and its new user when given, in one transaction: neither without the other. */
  async insert(identity: IdentityRow, newUser: UserRow | null = null): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (newUser) await trx.insertInto("users").values(newUser).execute();
      await trx.insertInto("user_identities").values(identity).execute();
    });
  }

  async touch(issuer: string, subject: string, at: string): Promise<void> {
    await this.db
      .updateTable("user_identities")
      .set({ last_login_at: at })
      .where("issuer", "=", issuer)
      .where("subject", "=", subject)
      .execute();
  }

  async deleteForUser(userId: string, issuer: string): Promise<number> {
    const result = await this.db
      .deleteFrom("user_identities")
      .where("user_id", "=", userId)
      .where("issuer", "=", issuer)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Admins who can sign in through this issuer: proof that turning password sign-in off locks nobody out. */
  async countAdmins(issuer: string): Promise<number> {
    const row = await this.db
      .selectFrom("user_identities")
      .innerJoin("users", "users.id", "user_identities.user_id")
      .select((eb) => eb.fn.countAll<number | string>().as("count"))
      .where("user_identities.issuer", "=", issuer)
      .where("users.role", "=", "admin")
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}
