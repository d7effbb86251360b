// SQL for the traffic history (table `traffic_samples`, migration 002): adding an interface's bytes to
// its sample bucket, totals and series since a time, and the retention prune. Same statements on
// SQLite and PostgreSQL.
import type { Transaction } from "kysely";
import type { Db } from "../db/index.js";
import type { Database } from "../db/schema.js";

export interface TrafficSample {
  interfaceId: string;
  nodeId: string;
  configurationId: string;
  /** The bucket's start, ISO text. */
  at: string;
  rxBytes: number;
  txBytes: number;
}

export interface ByteTotals {
  rxBytes: number;
  txBytes: number;
}

export interface TrafficPoint extends ByteTotals {
  at: string;
}

/** Rows per INSERT: far below SQLite's bound-parameter limit (6 columns each). */
const BATCH = 500;

export class TrafficSamplesRepository {
  constructor(private readonly db: Db) {}

  /** Adds the bytes to each sample's bucket (creating it); `db` may be a transaction. */
  static async add(db: Db | Transaction<Database>, samples: readonly TrafficSample[]): Promise<void> {
    for (let i = 0; i < samples.length; i += BATCH) {
      const values = samples.slice(i, i + BATCH).map((s) => ({
        interface_id: s.interfaceId,
        node_id: s.nodeId,
        configuration_id: s.configurationId,
        at: s.at,
        rx_bytes: s.rxBytes,
        tx_bytes: s.txBytes,
      }));
      await db
        .insertInto("traffic_samples")
        .values(values)
        .onConflict((oc) =>
          oc.columns(["interface_id", "at"]).doUpdateSet((eb) => ({
            rx_bytes: eb("traffic_samples.rx_bytes", "+", eb.ref("excluded.rx_bytes")),
            tx_bytes: eb("traffic_samples.tx_bytes", "+", eb.ref("excluded.tx_bytes")),
          })),
        )
        .execute();
    }
  }

  /** Bytes in buckets starting at or after `since`, per node. */
  async totalsByNode(since: string, nodeId?: string): Promise<Map<string, ByteTotals>> {
    let query = this.db
      .selectFrom("traffic_samples")
      .select((eb) => [
        "node_id as nodeId",
        eb.fn.sum<string | number>("rx_bytes").as("rxBytes"),
        eb.fn.sum<string | number>("tx_bytes").as("txBytes"),
      ])
      .where("at", ">=", since);
    if (nodeId !== undefined) query = query.where("node_id", "=", nodeId);
    const rows = await query.groupBy("node_id").execute();
    return new Map(rows.map((r) => [r.nodeId, { rxBytes: Number(r.rxBytes), txBytes: Number(r.txBytes) }]));
  }

  /** Bytes per bucket (all interfaces, or one node's) since `since`, oldest first. */
  async series(since: string, nodeId?: string): Promise<TrafficPoint[]> {
    let query = this.db
      .selectFrom("traffic_samples")
      .select((eb) => [
        "at",
        eb.fn.sum<string | number>("rx_bytes").as("rxBytes"),
        eb.fn.sum<string | number>("tx_bytes").as("txBytes"),
      ])
      .where("at", ">=", since);
    if (nodeId !== undefined) query = query.where("node_id", "=", nodeId);
    const rows = await query.groupBy("at").orderBy("at").execute();
    return rows.map((r) => ({ at: r.at, rxBytes: Number(r.rxBytes), txBytes: Number(r.txBytes) }));
  }
}
