// SQL for traffic quotas (table peer_quotas, migration 011): a peer's quota and what its period used,
// the stats round's batched additions, what the quota job must look at, and the fullest quotas for the
// attention list. Same statements on SQLite and PostgreSQL.
import type { PeerQuotaDto } from "@wgfleet/core";
import { type Selectable, sql, type Transaction } from "kysely";
import type { Db } from "../db/index.js";
import type { Database, PeerQuotaTable } from "../db/schema.js";
import type { QuotaColumns } from "./quota.js";

type Executor = Db | Transaction<Database>;

/** A stored quota row. */
export type StoredQuota = Selectable<PeerQuotaTable>;

/** Selects QuotaColumns from peer_quotas joined as `q`. */
export const QUOTA_SELECTION = [
  "q.bytes as quotaBytes",
  "q.period as quotaPeriod",
  "q.reset_day as quotaResetDay",
  "q.counting as quotaCounting",
  "q.action as quotaAction",
  "q.warn_at_percent as quotaWarnAtPercent",
  "q.period_start as quotaPeriodStart",
  "q.period_end as quotaPeriodEnd",
  "q.used_rx as quotaUsedRx",
  "q.used_tx as quotaUsedTx",
] as const;

/** The bytes that count, in SQL (as usedBytes in quota.ts). */
const USED = sql<number>`case q.counting when 'rx' then q.used_rx when 'tx' then q.used_tx else q.used_rx + q.used_tx end`;

/** A period's additions per peer. */
export interface QuotaUsageDelta {
  peerId: string;
  rxBytes: number;
  txBytes: number;
}

/** A quota the job must act on, with its peer's names and its configuration's time zone. */
export interface DueQuota extends QuotaColumns {
  quotaWarned: number;
  quotaExhausted: number;
  peerId: string;
  peerName: string;
  configurationName: string;
  timeZone: string;
  /** Where the peer is (domain events name it). */
  nodeId: string;
  interfaceName: string;
  enabled: number;
  /** What the node last reported it keeps the peer off for, and since when (peers' columns). */
  suspensionReason: string | null;
  suspendedSince: string | null;
}

/** Rows per UPDATE: 3 parameters each, far below SQLite's limit. */
const BATCH = 500;

export class QuotaRepository {
  constructor(private readonly db: Db) {}

  /** Sets a peer's quota; `period` and usage as given (a new period starts at zero). */
  async save(
    peerId: string,
    quota: PeerQuotaDto,
    period: { start: string; end: string | null },
    usage: { usedRx: number; usedTx: number; warned: number; exhausted: number },
    db: Executor = this.db,
  ): Promise<void> {
    const row = {
      peer_id: peerId,
      bytes: quota.bytes,
      period: quota.period,
      reset_day: quota.resetDay,
      counting: quota.counting,
      action: quota.action,
      warn_at_percent: quota.warnAtPercent,
      period_start: period.start,
      period_end: period.end,
      used_rx: usage.usedRx,
      used_tx: usage.usedTx,
      warned: usage.warned,
      exhausted: usage.exhausted,
    };
    const { peer_id, ...changes } = row;
    await db
      .insertInto("peer_quotas")
      .values(row)
      .onConflict((oc) => oc.column("peer_id").doUpdateSet(changes))
      .execute();
  }

  async find(peerId: string): Promise<StoredQuota | undefined> {
    const row = await this.db
      .selectFrom("peer_quotas")
      .selectAll()
      .where("peer_id", "=", peerId)
      .executeTakeFirst();
    return (
      row && { ...row, bytes: Number(row.bytes), used_rx: Number(row.used_rx), used_tx: Number(row.used_tx) }
    );
  }

  /** Puts a row back as it was (or removes the one that was not there). */
  async restore(peerId: string, previous: StoredQuota | undefined): Promise<void> {
    if (!previous) return this.remove(peerId);
    const { peer_id, ...changes } = previous;
    await this.db
      .insertInto("peer_quotas")
      .values(previous)
      .onConflict((oc) => oc.column("peer_id").doUpdateSet(changes))
      .execute();
  }

  async remove(peerId: string, db: Executor = this.db): Promise<void> {
    await db.deleteFrom("peer_quotas").where("peer_id", "=", peerId).execute();
  }

  /** A new period: nothing used, no warning, no action yet. */
  async startPeriod(peerId: string, period: { start: string; end: string | null }): Promise<void> {
    await this.db
      .updateTable("peer_quotas")
      .set({
        period_start: period.start,
        period_end: period.end,
        used_rx: 0,
        used_tx: 0,
        warned: 0,
        exhausted: 0,
      })
      .where("peer_id", "=", peerId)
      .execute();
  }

  async markWarned(peerId: string): Promise<void> {
    await this.db.updateTable("peer_quotas").set({ warned: 1 }).where("peer_id", "=", peerId).execute();
  }

  async markExhausted(peerId: string): Promise<void> {
    await this.db.updateTable("peer_quotas").set({ exhausted: 1 }).where("peer_id", "=", peerId).execute();
  }

  /**
   * The quotas the job must look at now: a period that ended, a budget used up whose action has not
   * run (by the counted bytes, or because the node reports the peer cut off for its quota during this
   * period: the dashboard cannot count what moved between its last round and the node's cut-off), a
   * warning share reached and not yet told.
   */
  async due(now: string): Promise<DueQuota[]> {
    const rows = await this.db
      .selectFrom("peer_quotas as q")
      .innerJoin("peers as p", "p.id", "q.peer_id")
      .innerJoin("interfaces as i", "i.id", "p.interface_id")
      .innerJoin("configurations as c", "c.id", "i.configuration_id")
      .select([
        ...QUOTA_SELECTION,
        "q.warned as quotaWarned",
        "q.exhausted as quotaExhausted",
        "p.id as peerId",
        "p.name as peerName",
        "p.enabled as enabled",
        "p.suspension_reason as suspensionReason",
        "p.suspended_since as suspendedSince",
        "c.name as configurationName",
        "c.time_zone as timeZone",
        "i.node_id as nodeId",
        "i.name as interfaceName",
      ])
      .where("p.state", "=", "active")
      .where((eb) =>
        eb.or([
          eb("q.period_end", "<=", now),
          eb.and([eb("q.exhausted", "=", 0), eb(USED, ">=", eb.ref("q.bytes"))]),
          eb.and([
            eb("q.exhausted", "=", 0),
            eb("p.suspension_reason", "=", "quota"),
            eb("p.suspended_since", ">=", eb.ref("q.period_start")),
          ]),
          eb.and([
            eb("q.warned", "=", 0),
            eb("q.warn_at_percent", "is not", null),
            eb(sql`${USED} * 100`, ">=", sql`q.bytes * q.warn_at_percent`),
          ]),
        ]),
      )
      .execute();
    return rows;
  }

  /** Peer ids whose period used at least `percent` of the budget, fullest first. */
  async fullest(percent: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom("peer_quotas as q")
      .select("q.peer_id as peerId")
      .where(sql`${USED} * 100`, ">=", sql`q.bytes * ${percent}`)
      .orderBy(sql`cast(${USED} as double precision) / q.bytes`, "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => r.peerId);
  }
}

/** A stored row as planQuotaChange reads it. */
export function currentQuotaOf(row: StoredQuota) {
  const quota: PeerQuotaDto = {
    bytes: row.bytes,
    period: row.period,
    resetDay: row.reset_day,
    counting: row.counting,
    action: row.action,
    warnAtPercent: row.warn_at_percent,
  };
  return {
    quota,
    period: { start: row.period_start, end: row.period_end },
    usedRx: row.used_rx,
    usedTx: row.used_tx,
  };
}

/**
 * Adds a stats round's bytes to the quotas of the peers that moved them, inside the round's
 * transaction (stats.repository.ts). Peers without a quota match no row. One statement per BATCH peers.
 */
export async function addQuotaUsage(db: Executor, deltas: readonly QuotaUsageDelta[]): Promise<void> {
  for (let i = 0; i < deltas.length; i += BATCH) {
    const rows = deltas
      .slice(i, i + BATCH)
      .map((d) => sql`(${d.peerId}, cast(${d.rxBytes} as bigint), cast(${d.txBytes} as bigint))`);
    // VALUES names its columns column1… on both engines.
    await sql`update peer_quotas set used_rx = used_rx + d.column2, used_tx = used_tx + d.column3
      from (values ${sql.join(rows)}) as d
      where peer_quotas.peer_id = d.column1`.execute(db);
  }
}
