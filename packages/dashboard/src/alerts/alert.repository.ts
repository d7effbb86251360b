// The alerts' SQL: alert rows (one per firing), the drift repairs nodes reported, the pools' hourly use,
// and the admins' thresholds (a meta row). Only this file queries these tables.
import { type AlertSettings, DEFAULT_ALERT_SETTINGS } from "@wgfleet/core";
import type { Selectable } from "kysely";
import { isUniqueViolation } from "../db/errors.js";
import type { Db } from "../db/index.js";
import type { AlertTable } from "../db/schema.js";

export type AlertRow = Selectable<AlertTable>;
export type NewAlert = Omit<AlertRow, "state" | "resolved_at">;

const SETTINGS_META_KEY = "alert_settings";

export class AlertRepository {
  constructor(private readonly db: Db) {}

  async firing(): Promise<AlertRow[]> {
    return this.db.selectFrom("alerts").selectAll().where("state", "=", "firing").execute();
  }

  /**
   * A new firing row; false when one of the same kind and subject fires already (another replica, or
   * a tick racing this one): the unique index decides, so only one caller announces it.
   */
  async fire(alert: NewAlert): Promise<boolean> {
    try {
      await this.db
        .insertInto("alerts")
        .values({ ...alert, state: "firing", resolved_at: null })
        .execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Resolves a firing alert; false when it was resolved already (by another replica). */
  async resolve(id: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable("alerts")
      .set({ state: "resolved", resolved_at: at })
      .where("id", "=", id)
      .where("state", "=", "firing")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Firing alerts (newest first), then resolved ones (most recently resolved first). */
  async list(options: { state?: "firing" | "resolved"; limit: number }): Promise<AlertRow[]> {
    const rows: AlertRow[] = [];
    if (options.state !== "resolved") {
      rows.push(
        ...(await this.db
          .selectFrom("alerts")
          .selectAll()
          .where("state", "=", "firing")
          .orderBy("fired_at", "desc")
          .orderBy("id")
          .limit(options.limit)
          .execute()),
      );
    }
    const room = options.limit - rows.length;
    if (options.state !== "firing" && room > 0) {
      rows.push(
        ...(await this.db
          .selectFrom("alerts")
          .selectAll()
          .where("state", "=", "resolved")
          .orderBy("resolved_at", "desc")
          .orderBy("id")
          .limit(room)
          .execute()),
      );
    }
    return rows;
  }

  async countFiring(): Promise<number> {
    const row = await this.db
      .selectFrom("alerts")
      .select((eb) => eb.fn.countAll<string | number>().as("n"))
      .where("state", "=", "firing")
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async recordDriftRepairs(nodeId: string, at: string, repairs: number): Promise<void> {
    await this.db.insertInto("alert_drift_repairs").values({ node_id: nodeId, at, repairs }).execute();
  }

  /** Node id → repairs reported since `since`. */
  async driftRepairsSince(since: string): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom("alert_drift_repairs")
      .select(["node_id", (eb) => eb.fn.sum<string | number>("repairs").as("repairs")])
      .where("at", ">=", since)
      .groupBy("node_id")
      .execute();
    return new Map(rows.map((row) => [row.node_id, Number(row.repairs)]));
  }

  /** The pool's use in the hour starting at `hour` (the latest reading of the hour wins). */
  async recordPoolUsage(interfaceId: string, pool: string, hour: string, used: number): Promise<void> {
    await this.db
      .insertInto("pool_usage_hours")
      .values({ interface_id: interfaceId, pool, hour, used })
      .onConflict((conflict) => conflict.columns(["interface_id", "pool", "hour"]).doUpdateSet({ used }))
      .execute();
  }

  /** The pool's hourly use since `since`, oldest first. */
  async poolUsageSince(interfaceId: string, pool: string, since: string): Promise<PoolUsageHour[]> {
    return this.db
      .selectFrom("pool_usage_hours")
      .select(["hour", "used"])
      .where("interface_id", "=", interfaceId)
      .where("pool", "=", pool)
      .where("hour", ">=", since)
      .orderBy("hour")
      .execute();
  }

  /** Drops what no alert or forecast looks at any more. */
  async prune(cutoffs: { driftRepairs: string; poolUsage: string; resolvedAlerts: string }): Promise<void> {
    await this.db.deleteFrom("alert_drift_repairs").where("at", "<", cutoffs.driftRepairs).execute();
    await this.db.deleteFrom("pool_usage_hours").where("hour", "<", cutoffs.poolUsage).execute();
    await this.db
      .deleteFrom("alerts")
      .where("state", "=", "resolved")
      .where("resolved_at", "<", cutoffs.resolvedAlerts)
      .execute();
  }

  /** The thresholds; the defaults for any not stored (or a row that no longer parses). */
  async settings(): Promise<AlertSettings> {
    const row = await this.db
      .selectFrom("meta")
      .select("value")
      .where("key", "=", SETTINGS_META_KEY)
      .executeTakeFirst();
    if (!row) return { ...DEFAULT_ALERT_SETTINGS };
    try {
      return { ...DEFAULT_ALERT_SETTINGS, ...(JSON.parse(row.value) as Partial<AlertSettings>) };
    } catch {
      return { ...DEFAULT_ALERT_SETTINGS };
    }
  }

  async saveSettings(settings: AlertSettings): Promise<void> {
    const value = JSON.stringify(settings);
    await this.db
      .insertInto("meta")
      .values({ key: SETTINGS_META_KEY, value })
      .onConflict((conflict) => conflict.column("key").doUpdateSet({ value }))
      .execute();
  }
}

export interface PoolUsageHour {
  hour: string;
  used: number;
}
