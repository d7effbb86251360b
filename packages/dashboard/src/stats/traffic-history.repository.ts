// SQL for reading the traffic history (migration 010 and 002 tables): the bytes per stored bucket of
// one peer, interface, node, configuration or the fleet in a time range, the rollup marks the reader
// stitches at, a peer's handshake times, and whether the thing asked about exists. History rows carry
// their node and configuration, so no read joins a live table. Same statements on SQLite and PostgreSQL.
import type { TrafficScope } from "@wgfleet/core";
import { sql } from "kysely";
import type { Db } from "../db/index.js";
import type { TrafficPoint } from "./traffic-samples.repository.js";
import type { Resolution } from "./traffic-steps.js";

/** The table of each resolution: per peer, and per interface (node, configuration, fleet read these). */
const TABLES: Readonly<Record<"peer" | "interface", Readonly<Record<Resolution, string>>>> = {
  peer: { minute: "traffic_peer_minutes", hour: "traffic_peer_hours", day: "traffic_peer_days" },
  interface: { minute: "traffic_samples", hour: "traffic_interface_hours", day: "traffic_interface_days" },
};

/** The column a scope filters on (fleet: none). */
const FILTER: Readonly<Record<TrafficScope, string | null>> = {
  peer: "peer_id",
  interface: "interface_id",
  node: "node_id",
  configuration: "configuration_id",
  fleet: null,
};

/** What to read: a scope and its key (a configuration's id, not its name). */
export interface HistoryTarget {
  scope: TrafficScope;
  key: string | null;
}

export class TrafficHistoryRepository {
  constructor(private readonly db: Db) {}

  /** Bytes per stored bucket of `resolution` starting in [from, to), summed over the target; oldest first. */
  async buckets(
    target: HistoryTarget,
    resolution: Resolution,
    from: string,
    to: string,
  ): Promise<TrafficPoint[]> {
    const table = TABLES[target.scope === "peer" ? "peer" : "interface"][resolution];
    const column = FILTER[target.scope];
    const filter = column === null ? sql`` : sql`${sql.ref(column)} = ${target.key} and `;
    const { rows } = await sql<{ at: string; rx: string | number; tx: string | number }>`
      select at, sum(rx_bytes) as rx, sum(tx_bytes) as tx from ${sql.table(table)}
      where ${filter}at >= ${from} and at < ${to}
      group by at order by at
    `.execute(this.db);
    return rows.map((r) => ({ at: r.at, rxBytes: Number(r.rx), txBytes: Number(r.tx) }));
  }

  /** Rollup marks: everything before `hours` is in the hourly tables, before `days` in the daily. */
  async marks(): Promise<{ hours: string | null; days: string | null }> {
    const rows = await this.db.selectFrom("traffic_rollup_marks").select(["name", "until"]).execute();
    const of = (name: string) => rows.find((r) => r.name === name)?.until ?? null;
    return { hours: of("hours"), days: of("days") };
  }

  /** The peer's newest `limit` distinct handshake times in [from, to), oldest first. */
  async handshakes(peerId: string, from: string, to: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom("traffic_peer_handshakes")
      .select("at")
      .where("peer_id", "=", peerId)
      .where("at", ">=", from)
      .where("at", "<", to)
      .orderBy("at", "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => r.at).reverse();
  }

  /** The key history rows carry for the thing `id` names, or null when it does not exist. */
  async resolveKey(scope: Exclude<TrafficScope, "fleet">, id: string): Promise<string | null> {
    const row =
      scope === "peer"
        ? await this.db.selectFrom("peers").select("id").where("id", "=", id).executeTakeFirst()
        : scope === "interface"
          ? await this.db.selectFrom("interfaces").select("id").where("id", "=", id).executeTakeFirst()
          : scope === "node"
            ? await this.db.selectFrom("nodes").select("id").where("id", "=", id).executeTakeFirst()
            : await this.db
                .selectFrom("configurations")
                .select("id")
                .where("name", "=", id)
                .executeTakeFirst();
    return row?.id ?? null;
  }
}
