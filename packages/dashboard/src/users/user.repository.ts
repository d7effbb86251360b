// SQL for the users table. No rules here: the service decides who may do what.
import type { Selectable, Updateable } from "kysely";
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
    return this.db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
  }

  async insert(row: UserRow): Promise<void> {
    await this.db.insertInto("users").values(row).execute();
  }

  async update(id: string, patch: UserPatch): Promise<void> {
    await this.db.updateTable("users").set(patch).where("id", "=", id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom("users").where("id", "=", id).execute();
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
