// SQL for the users table (and the rows that die with a user). No rules here: the service decides who
// may do what. Names are matched case-insensitively, as the unique index on lower(username) counts them.
import { type Selectable, sql, type Updateable } from "kysely";
import type { Db } from "../db/index.js";
import type { UserTable } from "../db/schema.js";

export type UserRow = Selectable<UserTable>;
export type UserPatch = Omit<Updateable<UserTable>, "id" | "created_at">;

export class UserRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<UserRow[]> {
    return this.db.selectFrom("users").selectAll().orderBy("username").execute();
  }

  async findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom("users")
      .selectAll()
      .where(sql<string>`lower(username)`, "=", username.toLowerCase())
      .executeTakeFirst();
  }

  async insert(row: UserRow): Promise<void> {
    await this.db.insertInto("users").values(row).execute();
  }

  async update(id: string, patch: UserPatch): Promise<void> {
    await this.db.updateTable("users").set(patch).where("id", "=", id).execute();
  }

  /** Deletes the user with their sessions and API keys, all or nothing. */
  async deleteWithCredentials(id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("sessions").where("user_id", "=", id).execute();
      await trx.deleteFrom("api_keys").where("user_id", "=", id).execute();
      await trx.deleteFrom("users").where("id", "=", id).execute();
    });
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number | string>().as("count"))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async countAdmins(): Promise<number> {
    const row = await this.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number | string>().as("count"))
      .where("role", "=", "admin")
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}
