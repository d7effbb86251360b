// SQL for traffic quotas (table peer_quotas, migrations 011 and 012): a peer's quota and where its
// period's count starts, what the period used (the peer's stored totals minus that start: the stats
// round writes nothing here), what the quota job must look at, and the fullest quotas for the
// attention list. Same statements on SQLite and PostgreSQL.
import type { PeerQuotaDto } from "@wgfleet/core";
import { type Selectable, sql, type Transaction } from "kysely";
import type { Db } from "../db/index.js";
import type { Database, PeerQuotaTable } from "../db/schema.js";
import type { CurrentQuota, QuotaColumns, QuotaCounters, QuotaStart } from "./quota.js";

type Executor = Db | Transaction<Database>;

/** A stored quota row. */
export type StoredQuota = Selectable<PeerQuotaTable>;

/**
 * What the period used in each direction: the peer's stored totals (peer_stats, left-joined as `s`)
 * minus their value when the period began. null without a quota.
 */
const USED_RX = sql<number>`coalesce(s.rx_bytes, 0) - q.start_rx`;
const USED_TX = sql<number>`coalesce(s.tx_bytes, 0) - q.start_tx`;

/** Selects QuotaColumns from peer_quotas joined as `q` (and peer_stats as `s`). */
export const QUOTA_SELECTION = [
  "q.bytes as quotaBytes",
  "q.period as quotaPeriod",
  "q.reset_day as quotaResetDay",
  "q.counting as quotaCounting",
  "q.action as quotaAction",
  "q.warn_at_percent as quotaWarnAtPercent",
  "q.period_start as quotaPeriodStart",
  "q.period_end as quotaPeriodEnd",
  USED_RX.as("quotaUsedRx"),
  USED_TX.as("quotaUsedTx"),
] as const;

/** The bytes that count, in SQL (as usedBytes in quota.ts). */
const USED = sql<number>`case q.counting when 'rx' then ${USED_RX} when 'tx' then ${USED_TX} else ${USED_RX} + ${USED_TX} end`;

/** A stored quota with what its period used. */
export type FoundQuota = StoredQuota & QuotaCounters;

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

export class QuotaRepository {
  constructor(private readonly db: Db) {}

  /** Sets a peer's quota with its period, counting from `start`; the warning and the action may run again. */
  async save(
    peerId: string,
    quota: PeerQuotaDto,
    period: { start: string; end: string | null },
    start: QuotaStart,
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
      ...(start === "totals-now" ? totalsNow(peerId) : { start_rx: start.rx, start_tx: start.tx }),
      warned: 0 as const,
      exhausted: 0 as const,
    };
    const { peer_id, ...changes } = row;
    await db
      .insertInto("peer_quotas")
      .values(row)
      .onConflict((oc) => oc.column("peer_id").doUpdateSet(changes))
      .execute();
  }

  async find(peerId: string): Promise<FoundQuota | undefined> {
    const row = await this.db
      .selectFrom("peer_quotas as q")
      .leftJoin("peer_stats as s", "s.peer_id", "q.peer_id")
      .selectAll("q")
      .select([USED_RX.as("usedRx"), USED_TX.as("usedTx")])
      .where("q.peer_id", "=", peerId)
      .executeTakeFirst();
    if (!row) return undefined;
    // PostgreSQL answers bigint columns as text.
    return {
      ...row,
      bytes: Number(row.bytes),
      start_rx: Number(row.start_rx),
      start_tx: Number(row.start_tx),
      usedRx: Number(row.usedRx),
      usedTx: Number(row.usedTx),
    };
  }

  /** Puts a row back as it was (or removes the one that was not there). */
  async restore(peerId: string, found: FoundQuota | undefined): Promise<void> {
    if (!found) return this.remove(peerId);
    const { usedRx, usedTx, ...previous } = found;
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

  /** A new period: counting from the totals now, no warning, no action yet. */
  async startPeriod(peerId: string, period: { start: string; end: string | null }): Promise<void> {
    await this.db
      .updateTable("peer_quotas")
      .set({
        period_start: period.start,
        period_end: period.end,
        ...totalsNow(peerId),
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
      .leftJoin("peer_stats as s", "s.peer_id", "q.peer_id")
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
      .leftJoin("peer_stats as s", "s.peer_id", "q.peer_id")
      .select("q.peer_id as peerId")
      .where(sql`${USED} * 100`, ">=", sql`q.bytes * ${percent}`)
      .orderBy(sql`cast(${USED} as double precision) / q.bytes`, "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => r.peerId);
  }
}

/** A found row as planQuotaChange reads it. */
export function currentQuotaOf(row: FoundQuota): CurrentQuota {
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
    usedRx: row.usedRx,
    usedTx: row.usedTx,
    start: { rx: row.start_rx, tx: row.start_tx },
  };
}

/** The start columns of a period that begins now: the peer's stored totals (0 before its first reading). */
function totalsNow(peerId: string) {
  const total = (column: "rx_bytes" | "tx_bytes") =>
    sql<number>`coalesce((select ${sql.ref(column)} from peer_stats where peer_id = ${peerId}), 0)`;
  return { start_rx: total("rx_bytes"), start_tx: total("tx_bytes") };
}
