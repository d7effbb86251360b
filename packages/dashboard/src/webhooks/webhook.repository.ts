// SQL for webhooks and their delivery queue (migration 016). The worker claims a due delivery by moving
// its next_attempt_at forward only if nobody else did (compare-and-set), so two dashboard processes on
// one PostgreSQL database never send the same attempt twice. Same statements on both engines.
import type { Insertable, Selectable, Updateable } from "kysely";
import { type Db, PreparedQuery } from "../db/index.js";
import type { WebhookDeliveryTable, WebhookTable } from "../db/schema.js";

export type WebhookRow = Selectable<WebhookTable>;
export type WebhookUpdate = Updateable<WebhookTable>;
export type DeliveryRow = Selectable<WebhookDeliveryTable>;
export type NewDelivery = Insertable<WebhookDeliveryTable>;

/** Rows per INSERT: far below SQLite's bound-parameter limit (13 columns each). */
const BATCH = 200;

export class WebhookRepository {
  constructor(private readonly db: Db) {}

  async insert(row: WebhookRow): Promise<void> {
    await this.db.insertInto("webhooks").values(row).execute();
  }

  async list(): Promise<WebhookRow[]> {
    return this.db.selectFrom("webhooks").selectAll().orderBy("created_at").orderBy("id").execute();
  }

  /** The enabled webhooks (the event filter runs in code: events is a JSON array). */
  async listEnabled(): Promise<WebhookRow[]> {
    return enabledWebhooks.rows(this.db);
  }

  async findById(id: string): Promise<WebhookRow | undefined> {
    return this.db.selectFrom("webhooks").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async update(id: string, changes: WebhookUpdate): Promise<void> {
    await this.db.updateTable("webhooks").set(changes).where("id", "=", id).execute();
  }

  /** The webhook and (by the foreign key's cascade) its deliveries; false when there was none. */
  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom("webhooks").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async insertDeliveries(rows: readonly NewDelivery[]): Promise<void> {
    for (let i = 0; i < rows.length; i += BATCH) {
      await this.db
        .insertInto("webhook_deliveries")
        .values(rows.slice(i, i + BATCH))
        .execute();
    }
  }

  async findDelivery(id: string): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom("webhook_deliveries").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** One webhook's deliveries, newest first. */
  async listDeliveries(
    webhookId: string,
    limit: number,
    status?: DeliveryRow["status"],
  ): Promise<DeliveryRow[]> {
    let query = this.db
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("webhook_id", "=", webhookId)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(limit);
    if (status) query = query.where("status", "=", status);
    return query.execute();
  }

  /** Pending deliveries due at `now`, the oldest due first. */
  async due(now: string, limit: number): Promise<DeliveryRow[]> {
    return this.db
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("status", "=", "pending")
      .where("next_attempt_at", "<=", now)
      .orderBy("next_attempt_at")
      .orderBy("id")
      .limit(limit)
      .execute();
  }

  /** Takes a due delivery for one attempt (until `leaseUntil`); false when another worker took it. */
  async claim(row: DeliveryRow, leaseUntil: string): Promise<boolean> {
    const result = await this.db
      .updateTable("webhook_deliveries")
      .set({ next_attempt_at: leaseUntil })
      .where("id", "=", row.id)
      .where("status", "=", "pending")
      .where("next_attempt_at", "=", row.next_attempt_at)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async recordAttempt(
    id: string,
    outcome: Pick<
      DeliveryRow,
      | "status"
      | "attempts"
      | "next_attempt_at"
      | "last_attempt_at"
      | "response_code"
      | "last_error"
      | "delivered_at"
    >,
  ): Promise<void> {
    await this.db.updateTable("webhook_deliveries").set(outcome).where("id", "=", id).execute();
  }
}

/** Asked on every domain event (each peer creation publishes one): compiled once. */
const enabledWebhooks = new PreparedQuery((db: Db) =>
  db.selectFrom("webhooks").selectAll().where("enabled", "=", 1),
);
