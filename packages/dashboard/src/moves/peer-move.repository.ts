// SQL for `peer_moves` (migration 019): a move in flight (`pending`) and the old copy a source keeps
// through its grace period (`grace`). Writes that belong to a larger unit of work take the caller's
// transaction as `db`.
import type { Insertable, Selectable } from "kysely";
import type { Db } from "../db/index.js";
import type { PeerMoveTable } from "../db/schema.js";

export type PeerMoveRow = Selectable<PeerMoveTable>;

export class PeerMoveRepository {
  /** `ownerReplica`: this process's replica id, written into the `pending` rows it inserts. */
  constructor(
    private readonly db: Db,
    private readonly ownerReplica: string | null = null,
  ) {}

  async insert(row: Insertable<PeerMoveTable>, db: Db = this.db): Promise<void> {
    const owner = row.state === "pending" ? (row.owner_replica ?? this.ownerReplica) : null;
    await db
      .insertInto("peer_moves")
      .values({ ...row, owner_replica: owner })
      .execute();
  }

  async findById(id: string, db: Db = this.db): Promise<PeerMoveRow | undefined> {
    return db.selectFrom("peer_moves").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** The move becomes the source's grace copy until `graceUntil`. */
  async startGrace(id: string, graceUntil: string, db: Db = this.db): Promise<void> {
    await db
      .updateTable("peer_moves")
      .set({ state: "grace", grace_until: graceUntil })
      .where("id", "=", id)
      .execute();
  }

  /** True when this call deleted the row (another process may have ended it first). */
  async delete(id: string, db: Db = this.db): Promise<boolean> {
    const result = await db.deleteFrom("peer_moves").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Moves a crash left half done. */
  async listPending(): Promise<PeerMoveRow[]> {
    return this.db.selectFrom("peer_moves").selectAll().where("state", "=", "pending").execute();
  }

  /** A move of this peer still in flight (one at a time per peer). */
  async pendingOfPeer(peerId: string): Promise<PeerMoveRow | undefined> {
    return this.db
      .selectFrom("peer_moves")
      .selectAll()
      .where("peer_id", "=", peerId)
      .where("state", "=", "pending")
      .executeTakeFirst();
  }

  /** Grace copies whose time has come, oldest first. */
  async gracesDue(nowIso: string, limit: number): Promise<PeerMoveRow[]> {
    return this.db
      .selectFrom("peer_moves")
      .selectAll()
      .where("state", "=", "grace")
      .where("grace_until", "<=", nowIso)
      .orderBy("grace_until")
      .limit(limit)
      .execute();
  }

  async gracesOfPeer(peerId: string): Promise<PeerMoveRow[]> {
    return this.db
      .selectFrom("peer_moves")
      .selectAll()
      .where("peer_id", "=", peerId)
      .where("state", "=", "grace")
      .execute();
  }
}
