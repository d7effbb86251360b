// SQL for the history of what lifecycle rules did to peers (table `peer_lifecycle_events`, migration
// 008): record events (inside the caller's transaction when given), list one peer's newest first, and
// the retention prune. Same statements on SQLite and PostgreSQL.
import type { LifecycleEventKind, LifecycleRule } from "@wgfleet/core";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/schema.js";

export interface NewLifecycleEvent {
  peerId: string;
  peerName: string;
  configurationName: string;
  /** ISO text. */
  at: string;
  kind: LifecycleEventKind;
  rule: LifecycleRule;
  detail: string;
}

export interface LifecycleEvent extends NewLifecycleEvent {
  id: string;
}

/** Rows per INSERT: far below SQLite's bound-parameter limit (7 columns each). */
const BATCH = 500;

export class LifecycleEventsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Appends the events; `db` may be the caller's transaction. */
  async record(
    events: readonly NewLifecycleEvent[],
    db: Kysely<Database> | Transaction<Database> = this.db,
  ): Promise<void> {
    for (let i = 0; i < events.length; i += BATCH) {
      const values = events.slice(i, i + BATCH).map((e) => ({
        peer_id: e.peerId,
        peer_name: e.peerName,
        configuration_name: e.configurationName,
        at: e.at,
        kind: e.kind,
        rule: e.rule,
        detail: e.detail,
      }));
      await db.insertInto("peer_lifecycle_events").values(values).execute();
    }
  }

  /** One peer's events, newest first (ties: the later recorded first), at most `limit`. */
  async listByPeer(peerId: string, limit: number): Promise<LifecycleEvent[]> {
    const rows = await this.db
      .selectFrom("peer_lifecycle_events")
      .selectAll()
      .where("peer_id", "=", peerId)
      .orderBy("at", "desc")
      .orderBy("id", "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: String(r.id),
      peerId: r.peer_id,
      peerName: r.peer_name,
      configurationName: r.configuration_name,
      at: r.at,
      kind: r.kind,
      rule: r.rule,
      detail: r.detail,
    }));
  }

  /** Removes events that happened before `cutoff` (ISO text); returns how many. */
  async pruneBefore(cutoff: string): Promise<number> {
    const result = await this.db
      .deleteFrom("peer_lifecycle_events")
      .where("at", "<", cutoff)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
