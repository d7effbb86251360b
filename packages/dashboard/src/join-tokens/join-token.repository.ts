// SQL for join_tokens (migration 022). Claiming a token is one conditional UPDATE (unused and not
// expired), run inside the transaction that inserts the node, so of two joins with one token exactly
// one changes a row.
import type { Insertable, Selectable } from "kysely";
import type { Db } from "../db/index.js";
import type { JoinTokenTable } from "../db/schema.js";

export type JoinTokenRow = Selectable<JoinTokenTable>;

export class JoinTokenRepository {
  constructor(private readonly db: Db) {}

  async insert(row: Insertable<JoinTokenTable>): Promise<void> {
    await this.db.insertInto("join_tokens").values(row).execute();
  }

  list(): Promise<JoinTokenRow[]> {
    return this.db
      .selectFrom("join_tokens")
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id")
      .execute();
  }

  findByHash(hash: string): Promise<JoinTokenRow | undefined> {
    return this.db.selectFrom("join_tokens").selectAll().where("token_hash", "=", hash).executeTakeFirst();
  }

  /** true when the row existed. */
  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom("join_tokens").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Marks the token used by this node; false when it was used (or expired) meanwhile. */
  async claim(db: Db, id: string, nodeId: string, now: string): Promise<boolean> {
    const result = await db
      .updateTable("join_tokens")
      .set({ used_at: now, node_id: nodeId })
      .where("id", "=", id)
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
