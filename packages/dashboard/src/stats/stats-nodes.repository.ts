// The few reads and one write of the nodes table that the stats poller and the traffic read model
// need: node ids and statuses (which nodes to poll), and the local node's last health report. Node
// rules stay with nodes/; this only touches the columns named here.
import type { Db } from "../db/index.js";
import type { NodeTable } from "../db/schema.js";

export type NodeStatus = NodeTable["status"];

export class StatsNodesRepository {
  constructor(private readonly db: Db) {}

  /** Every node's id and status, in the nodes list's order (by name). */
  async statuses(): Promise<Array<{ id: string; status: NodeStatus }>> {
    return this.db.selectFrom("nodes").select(["id", "status"]).orderBy("name").orderBy("id").execute();
  }

  async exists(id: string): Promise<boolean> {
    const row = await this.db.selectFrom("nodes").select("id").where("id", "=", id).executeTakeFirst();
    return row !== undefined;
  }

  /** A node's own health report (JSON text) and when it was taken; its status is left alone. */
  async recordHealth(id: string, health: string, seenAt: string): Promise<void> {
    await this.db
      .updateTable("nodes")
      .set({ last_health: health, last_seen_at: seenAt })
      .where("id", "=", id)
      .execute();
  }
}
