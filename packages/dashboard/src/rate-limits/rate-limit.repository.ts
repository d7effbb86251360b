// Counters per (key, fixed window) in `rate_limit_counters`, shared by every replica on the database.
// SQL only; the limits and windows are the throttles' (database-throttles.ts).
import { sql } from "kysely";
import type { Db } from "../db/index.js";

export class RateLimitRepository {
  constructor(private readonly db: Db) {}

  /** The key's count in the window starting at `windowStart` (0 when none). */
  async count(key: string, windowStart: number): Promise<number> {
    const row = await this.db
      .selectFrom("rate_limit_counters")
      .select("count")
      .where("key", "=", key)
      .where("window_start", "=", windowStart)
      .executeTakeFirst();
    return row ? Number(row.count) : 0;
  }

  /** Adds one to the key's count in the window (one statement: concurrent replicas never lose one). */
  async increment(key: string, windowStart: number): Promise<void> {
    await this.db
      .insertInto("rate_limit_counters")
      .values({ key, window_start: windowStart, count: 1 })
      .onConflict((oc) =>
        oc.columns(["key", "window_start"]).doUpdateSet({ count: sql`rate_limit_counters.count + 1` }),
      )
      .execute();
  }

  async clear(key: string): Promise<void> {
    await this.db.deleteFrom("rate_limit_counters").where("key", "=", key).execute();
  }

  /** Windows that ended before `before` are of no use any more. */
  async pruneBefore(before: number): Promise<void> {
    await this.db.deleteFrom("rate_limit_counters").where("window_start", "<", before).execute();
  }
}
