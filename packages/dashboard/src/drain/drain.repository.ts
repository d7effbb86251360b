// The reads a drain needs that no other repository has: every peer of a node, in a stable order
// (oldest first) so that a plan and the job that follows it walk the peers alike.
import type { Db } from "../db/index.js";
import type { PeerTable } from "../db/schema.js";

export interface DrainPeer {
  id: string;
  name: string;
  interface_id: string;
  state: PeerTable["state"];
}

export class DrainRepository {
  constructor(private readonly db: Db) {}

  async peersOfNode(nodeId: string): Promise<DrainPeer[]> {
    return this.db
      .selectFrom("peers as p")
      .innerJoin("interfaces as i", "i.id", "p.interface_id")
      .select(["p.id as id", "p.name as name", "p.interface_id as interface_id", "p.state as state"])
      .where("i.node_id", "=", nodeId)
      .orderBy("p.created_at")
      .orderBy("p.id")
      .execute();
  }

  /** Marks the node as draining (or not); false when there is no such node. */
  async setDraining(nodeId: string, draining: boolean, db: Db = this.db): Promise<boolean> {
    const result = await db
      .updateTable("nodes")
      .set({ draining: draining ? 1 : 0 })
      .where("id", "=", nodeId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
