// SQL for the traffic rollup (migration 010): minute buckets summed into hours, hours into days, at
// peer and interface level, each step in one transaction with the mark of how far it got; and the
// retention prune of every history table. A rolled bucket is written as the full sum of its finer
// buckets (replace, never add), so rolling the same range twice changes nothing. Bucket starts are
// cut from the ISO text (`2030-03-01T12` + `:00:00.000Z`), the same on SQLite and PostgreSQL.
import { sql } from "kysely";
import type { Db } from "../db/index.js";
import type { TrafficRollupMarkTable } from "../db/schema.js";

export type RollupMark = TrafficRollupMarkTable["name"];

/** The tables a rollup step reads and writes. */
interface RollupStep {
  peerFrom: "traffic_peer_minutes" | "traffic_peer_hours";
  peerTo: "traffic_peer_hours" | "traffic_peer_days";
  interfaceFrom: "traffic_samples" | "traffic_interface_hours";
  interfaceTo: "traffic_interface_hours" | "traffic_interface_days";
  /** Characters of the ISO text that name the target bucket, and what completes it. */
  keep: number;
  suffix: string;
}

const STEPS: Readonly<Record<RollupMark, RollupStep>> = {
  hours: {
    peerFrom: "traffic_peer_minutes",
    peerTo: "traffic_peer_hours",
    interfaceFrom: "traffic_samples",
    interfaceTo: "traffic_interface_hours",
    keep: 13,
    suffix: ":00:00.000Z",
  },
  days: {
    peerFrom: "traffic_peer_hours",
    peerTo: "traffic_peer_days",
    interfaceFrom: "traffic_interface_hours",
    interfaceTo: "traffic_interface_days",
    keep: 10,
    suffix: "T00:00:00.000Z",
  },
};

/** Every history table and the resolution whose retention applies to it. */
export const HISTORY_TABLES = {
  traffic_samples: "minute",
  traffic_peer_minutes: "minute",
  traffic_peer_handshakes: "minute",
  traffic_peer_hours: "hour",
  traffic_interface_hours: "hour",
  traffic_peer_days: "day",
  traffic_interface_days: "day",
} as const;
export type HistoryTable = keyof typeof HISTORY_TABLES;

export class TrafficRollupRepository {
  constructor(private readonly db: Db) {}

  /** Everything before the returned time is rolled into the mark's table; null: nothing yet. */
  async mark(name: RollupMark): Promise<string | null> {
    const row = await this.db
      .selectFrom("traffic_rollup_marks")
      .select("until")
      .where("name", "=", name)
      .executeTakeFirst();
    return row?.until ?? null;
  }

  /** The oldest bucket a rollup step would read, or null when its source tables are empty. */
  async earliestSource(name: RollupMark): Promise<string | null> {
    const step = STEPS[name];
    const [peer, iface] = await Promise.all([
      this.db
        .selectFrom(step.peerFrom)
        .select((eb) => eb.fn.min("at").as("at"))
        .executeTakeFirst(),
      this.db
        .selectFrom(step.interfaceFrom)
        .select((eb) => eb.fn.min("at").as("at"))
        .executeTakeFirst(),
    ]);
    const times = [peer?.at, iface?.at].filter((at): at is string => typeof at === "string");
    return times.length === 0 ? null : (times.sort()[0] as string);
  }

  /**
   * Rolls every source bucket in [from, until) into the mark's table and sets the mark to `until`, in
   * one transaction: a crash leaves either both or neither. `from` and `until` are bucket boundaries.
   */
  async rollUp(name: RollupMark, from: string, until: string): Promise<void> {
    const step = STEPS[name];
    const bucket = sql<string>`substr(at, 1, ${sql.lit(step.keep)}) || ${sql.lit(step.suffix)}`;
    await this.db.transaction().execute(async (trx) => {
      await sql`
        insert into ${sql.table(step.peerTo)} (peer_id, at, rx_bytes, tx_bytes)
        select peer_id, ${bucket}, sum(rx_bytes), sum(tx_bytes) from ${sql.table(step.peerFrom)}
        where at >= ${from} and at < ${until}
        group by peer_id, ${bucket}
        on conflict (peer_id, at) do update set rx_bytes = excluded.rx_bytes, tx_bytes = excluded.tx_bytes
      `.execute(trx);
      // An interface never changes node or configuration; max() keeps one row per bucket when a
      // bucket from before migration 010 has no configuration.
      await sql`
        insert into ${sql.table(step.interfaceTo)}
          (interface_id, node_id, configuration_id, at, rx_bytes, tx_bytes)
        select interface_id, max(node_id), max(configuration_id), ${bucket}, sum(rx_bytes), sum(tx_bytes)
        from ${sql.table(step.interfaceFrom)}
        where at >= ${from} and at < ${until}
        group by interface_id, ${bucket}
        on conflict (interface_id, at) do update set
          node_id = excluded.node_id, configuration_id = excluded.configuration_id,
          rx_bytes = excluded.rx_bytes, tx_bytes = excluded.tx_bytes
      `.execute(trx);
      await trx
        .insertInto("traffic_rollup_marks")
        .values({ name, until })
        .onConflict((oc) => oc.column("name").doUpdateSet({ until }))
        .execute();
    });
  }

  /** Removes the table's buckets that start before `cutoff`; returns how many. */
  async pruneBefore(table: HistoryTable, cutoff: string): Promise<number> {
    const result = await this.db.deleteFrom(table).where("at", "<", cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
