// The warning outbox in SQL: queue a mail once per dedupe key, find the ones that are due, record an
// attempt; and the question of which peers are due a warning. No rules here.
import { randomUUID } from "node:crypto";
import { type Selectable, sql } from "kysely";
import type { Db } from "../db/index.js";
import type { EmailOutboxTable } from "../db/schema.js";

export type OutboxRow = Selectable<EmailOutboxTable>;
export type NewOutboxMail = Pick<
  OutboxRow,
  "dedupe_key" | "peer_id" | "kind" | "recipient" | "subject" | "body"
>;

/** A peer with a contact address whose expiry is near. */
export interface ExpiringPeer {
  id: string;
  name: string;
  contactEmail: string;
  expiresAt: string;
}

/** A peer with a contact address whose period used `percent` or more of its quota. */
export interface QuotaPeer {
  id: string;
  name: string;
  contactEmail: string;
  periodStart: string;
}

const USED_RX = sql<number>`coalesce(s.rx_bytes, 0) - q.start_rx`;
const USED_TX = sql<number>`coalesce(s.tx_bytes, 0) - q.start_tx`;
const USED = sql<number>`case q.counting when 'rx' then ${USED_RX} when 'tx' then ${USED_TX} else ${USED_RX} + ${USED_TX} end`;

export class EmailOutboxRepository {
  constructor(private readonly db: Db) {}

  /** Queues the mail unless one with its key exists; true when it was queued now. */
  async enqueue(mail: NewOutboxMail, at: string): Promise<boolean> {
    const result = await this.db
      .insertInto("email_outbox")
      .values({
        id: randomUUID(),
        ...mail,
        status: "pending",
        attempts: 0,
        next_attempt_at: at,
        last_error: null,
        created_at: at,
        sent_at: null,
      })
      .onConflict((conflict) => conflict.column("dedupe_key").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async due(now: string, limit: number): Promise<OutboxRow[]> {
    return this.db
      .selectFrom("email_outbox")
      .selectAll()
      .where("status", "=", "pending")
      .where("next_attempt_at", "<=", now)
      .orderBy("next_attempt_at")
      .limit(limit)
      .execute();
  }

  async record(
    id: string,
    outcome: Pick<OutboxRow, "status" | "attempts" | "next_attempt_at" | "last_error" | "sent_at">,
  ): Promise<void> {
    await this.db.updateTable("email_outbox").set(outcome).where("id", "=", id).execute();
  }

  async list(peerId?: string): Promise<OutboxRow[]> {
    let query = this.db.selectFrom("email_outbox").selectAll().orderBy("created_at");
    if (peerId) query = query.where("peer_id", "=", peerId);
    return query.execute();
  }

  /** Enabled, active peers with a contact address that expire after `now` and by `until`. */
  async expiring(now: string, until: string): Promise<ExpiringPeer[]> {
    const rows = await this.db
      .selectFrom("peers")
      .select(["id", "name", "contact_email", "expires_at"])
      .where("contact_email", "is not", null)
      .where("enabled", "=", 1)
      .where("state", "=", "active")
      .where("expires_at", ">", now)
      .where("expires_at", "<=", until)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      contactEmail: row.contact_email as string,
      expiresAt: row.expires_at as string,
    }));
  }

  /** Peers with a contact address whose current quota period used at least `percent` of its bytes. */
  async overQuota(percent: number): Promise<QuotaPeer[]> {
    const rows = await this.db
      .selectFrom("peer_quotas as q")
      .innerJoin("peers as p", "p.id", "q.peer_id")
      .leftJoin("peer_stats as s", "s.peer_id", "q.peer_id")
      .select([
        "p.id as id",
        "p.name as name",
        "p.contact_email as contactEmail",
        "q.period_start as periodStart",
      ])
      .where("p.contact_email", "is not", null)
      .where("p.state", "=", "active")
      .where(sql`${USED} * 100`, ">=", sql`q.bytes * ${percent}`)
      .execute();
    return rows.map((row) => ({ ...row, contactEmail: row.contactEmail as string }));
  }
}
