// SQL for the api_keys table. Keys are found by the SHA-256 of the presented key; no rules here.
import type { Selectable } from "kysely";
import { type Db, PreparedQuery } from "../db/index.js";
import type { ApiKeyTable, UserTable } from "../db/schema.js";

export type ApiKeyRow = Selectable<ApiKeyTable>;
export type ApiKeyWithUser = ApiKeyRow &
  Pick<Selectable<UserTable>, "username" | "role" | "must_change_password">;

export class ApiKeyRepository {
  constructor(private readonly db: Db) {}

  async insert(row: ApiKeyRow): Promise<void> {
    await this.db.insertInto("api_keys").values(row).execute();
  }

  /** Newest first; only one user's keys when `userId` is given. */
  async list(userId?: string): Promise<ApiKeyWithUser[]> {
    let query = this.withUser().orderBy("api_keys.created_at", "desc").orderBy("api_keys.id");
    if (userId) query = query.where("api_keys.user_id", "=", userId);
    return query.execute();
  }

  async findById(id: string): Promise<ApiKeyWithUser | undefined> {
    return this.withUser().where("api_keys.id", "=", id).executeTakeFirst();
  }

  /** Every API request asks this: compiled once. */
  async findByHash(keyHash: string): Promise<ApiKeyWithUser | undefined> {
    const [row] = await keyByHash.rows(this.db, keyHash);
    return row;
  }

  async userExists(userId: string): Promise<boolean> {
    const row = await this.db.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst();
    return row !== undefined;
  }

  async revoke(id: string, at: string): Promise<void> {
    await this.db
      .updateTable("api_keys")
      .set({ revoked_at: at })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .execute();
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.updateTable("api_keys").set({ last_used_at: at }).where("id", "=", id).execute();
  }

  private withUser() {
    return keysWithUser(this.db);
  }
}

function keysWithUser(db: Db) {
  return db
    .selectFrom("api_keys")
    .innerJoin("users", "users.id", "api_keys.user_id")
    .selectAll("api_keys")
    .select(["users.username", "users.role", "users.must_change_password"]);
}

const keyByHash = new PreparedQuery((db: Db, keyHash: string) =>
  keysWithUser(db).where("api_keys.key_hash", "=", keyHash),
);
