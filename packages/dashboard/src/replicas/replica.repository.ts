// The `replicas` table: each `wgfleet serve` process's row and heartbeat. SQL only; the rules (how
// old a heartbeat may be) live in replica-presence.ts.
import type { Db } from "../db/index.js";

export interface ReplicaRegistration {
  id: string;
  hostname: string;
  pid: number;
  at: string;
}

export class ReplicaRepository {
  constructor(private readonly db: Db) {}

  async register(replica: ReplicaRegistration): Promise<void> {
    await this.db
      .insertInto("replicas")
      .values({
        id: replica.id,
        hostname: replica.hostname,
        pid: replica.pid,
        started_at: replica.at,
        heartbeat_at: replica.at,
      })
      .execute();
  }

  /** Renews the heartbeat; false when the row is gone (then the caller registers again). */
  async heartbeat(id: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable("replicas")
      .set({ heartbeat_at: at })
      .where("id", "=", id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async remove(id: string): Promise<void> {
    await this.db.deleteFrom("replicas").where("id", "=", id).execute();
  }

  /** Every registered replica's id and last heartbeat. */
  async heartbeats(): Promise<Array<{ id: string; hostname: string; pid: number; heartbeat_at: string }>> {
    return this.db.selectFrom("replicas").select(["id", "hostname", "pid", "heartbeat_at"]).execute();
  }

  /** Rows of replicas silent since before `before` (crashed long ago): their peers are settled. */
  async purgeSilentSince(before: string): Promise<void> {
    await this.db.deleteFrom("replicas").where("heartbeat_at", "<", before).execute();
  }
}
