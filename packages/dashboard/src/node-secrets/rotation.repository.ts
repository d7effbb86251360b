// SQL for node_secret_rotations (migration 022): a rotation in flight per node, and the switch of the
// node's stored secret together with the rotation's state in one transaction.
import type { Selectable } from "kysely";
import { nowIso } from "../clock.js";
import type { Db } from "../db/index.js";
import type { NodeSecretRotationTable } from "../db/schema.js";

export type RotationRow = Selectable<NodeSecretRotationTable>;

export class RotationRepository {
  constructor(private readonly db: Db) {}

  find(nodeId: string): Promise<RotationRow | undefined> {
    return this.db
      .selectFrom("node_secret_rotations")
      .selectAll()
      .where("node_id", "=", nodeId)
      .executeTakeFirst();
  }

  listPending(): Promise<RotationRow[]> {
    return this.db.selectFrom("node_secret_rotations").selectAll().orderBy("created_at").execute();
  }

  /** Throws a unique violation when the node has a rotation in flight already. */
  async start(row: Omit<RotationRow, "created_at" | "updated_at" | "state">): Promise<void> {
    const now = nowIso();
    await this.db
      .insertInto("node_secret_rotations")
      .values({ ...row, state: "handing", created_at: now, updated_at: now })
      .execute();
  }

  /** The node signs with the new secret from now on: its row and the rotation's state change together. */
  async switchNode(rotation: RotationRow): Promise<void> {
    const now = nowIso();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("nodes")
        .set({ secret_enc: rotation.new_secret_enc, secret_key_id: rotation.new_key_id, updated_at: now })
        .where("id", "=", rotation.node_id)
        .execute();
      await trx
        .updateTable("node_secret_rotations")
        .set({ state: "switched", updated_at: now })
        .where("node_id", "=", rotation.node_id)
        .execute();
    });
  }

  async finish(nodeId: string): Promise<void> {
    await this.db.deleteFrom("node_secret_rotations").where("node_id", "=", nodeId).execute();
  }
}
