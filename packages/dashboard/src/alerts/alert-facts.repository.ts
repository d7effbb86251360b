// What the alert engine reads of the rest of the database, read-only: the nodes' status as the health
// poller recorded it, and how many enabled peers have had a handshake and how many of those not lately.
import type { Db } from "../db/index.js";
import type { NodeStatus } from "../nodes/node.repository.js";

export interface NodeFact {
  id: string;
  name: string;
  enabled: boolean;
  status: NodeStatus;
  reason: string | null;
}

export interface HandshakeFact {
  /** Enabled, active peers that have had a handshake at least once. */
  withHandshake: number;
  /** Those of them whose latest handshake is older than the cut-off. */
  stale: number;
}

export class AlertFactsRepository {
  constructor(private readonly db: Db) {}

  async nodes(): Promise<NodeFact[]> {
    const rows = await this.db
      .selectFrom("nodes")
      .select(["id", "name", "enabled", "status", "status_reason"])
      .orderBy("id")
      .execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      enabled: Number(row.enabled) === 1,
      status: row.status,
      reason: row.status_reason,
    }));
  }

  async handshakes(staleBefore: string): Promise<HandshakeFact> {
    const row = await this.db
      .selectFrom("peers")
      .innerJoin("peer_stats", "peer_stats.peer_id", "peers.id")
      .select((eb) => [
        eb.fn.countAll<string | number>().as("with_handshake"),
        eb.fn
          .sum<string | number | null>(
            eb.case().when("peer_stats.latest_handshake_at", "<", staleBefore).then(1).else(0).end(),
          )
          .as("stale"),
      ])
      .where("peers.enabled", "=", 1)
      .where("peers.state", "=", "active")
      .where("peer_stats.latest_handshake_at", "is not", null)
      .executeTakeFirstOrThrow();
    return { withHandshake: Number(row.with_handshake), stale: Number(row.stale ?? 0) };
  }
}
