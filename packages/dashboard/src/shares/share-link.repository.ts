// SQL for the share_links table. Links are found by the SHA-256 of the presented token; no rules here.
import type { Selectable } from "kysely";
import type { Db } from "../db/index.js";
import type { ShareLinkTable } from "../db/schema.js";

export type ShareLinkRow = Selectable<ShareLinkTable>;

export class ShareLinkRepository {
  constructor(private readonly db: Db) {}

  async insert(row: ShareLinkRow): Promise<void> {
    await this.db.insertInto("share_links").values(row).execute();
  }

  /** A peer's links, newest first. */
  async listForPeer(peerId: string): Promise<ShareLinkRow[]> {
    return this.db
      .selectFrom("share_links")
      .selectAll()
      .where("peer_id", "=", peerId)
      .orderBy("created_at", "desc")
      .orderBy("id")
      .execute();
  }

  async findById(id: string): Promise<ShareLinkRow | undefined> {
    return this.db.selectFrom("share_links").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async findByHash(tokenHash: string): Promise<ShareLinkRow | undefined> {
    return this.db
      .selectFrom("share_links")
      .selectAll()
      .where("token_hash", "=", tokenHash)
      .executeTakeFirst();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom("share_links").where("id", "=", id).execute();
  }

  async revoke(id: string, at: string): Promise<void> {
    await this.db
      .updateTable("share_links")
      .set({ revoked_at: at })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .execute();
  }

  /**
   * Spends a one-time link if it still works at `at`; false when it does not (already spent, revoked,
   * expired). One conditional UPDATE, so of two downloads racing for one link only one wins.
   */
  async spend(id: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable("share_links")
      .set({ used_at: at })
      .where("id", "=", id)
      .where("used_at", "is", null)
      .where("revoked_at", "is", null)
      .where("expires_at", ">", at)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
