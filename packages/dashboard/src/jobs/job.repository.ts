// SQL for resumable background jobs (`jobs`) and their items (`job_items`), migration 019. A job and
// its items are written in one transaction; each item's state is written as it settles, so a restart
// resumes with the items still `pending`.
import type { Insertable, Selectable } from "kysely";
import { nowIso } from "../clock.js";
import type { Db } from "../db/index.js";
import type { JobItemTable, JobTable } from "../db/schema.js";

export type JobRow = Selectable<JobTable>;
export type JobItemRow = Selectable<JobItemTable>;
export type NewJobItem = Omit<Insertable<JobItemTable>, "job_id" | "updated_at">;

export class JobRepository {
  constructor(private readonly db: Db) {}

  async insert(job: Insertable<JobTable>, items: NewJobItem[], db: Db = this.db): Promise<void> {
    await db.insertInto("jobs").values(job).execute();
    const now = nowIso();
    // In slices: SQLite limits the variables of one statement.
    for (let i = 0; i < items.length; i += 100) {
      const slice = items.slice(i, i + 100).map((item) => ({ ...item, job_id: job.id, updated_at: now }));
      await db.insertInto("job_items").values(slice).execute();
    }
  }

  async findById(id: string): Promise<JobRow | undefined> {
    return this.db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async items(jobId: string): Promise<JobItemRow[]> {
    return this.db
      .selectFrom("job_items")
      .selectAll()
      .where("job_id", "=", jobId)
      .orderBy("position")
      .execute();
  }

  async pendingItems(jobId: string): Promise<JobItemRow[]> {
    return this.db
      .selectFrom("job_items")
      .selectAll()
      .where("job_id", "=", jobId)
      .where("state", "=", "pending")
      .orderBy("position")
      .execute();
  }

  async settleItem(
    jobId: string,
    position: number,
    state: JobItemRow["state"],
    error: string | null,
  ): Promise<void> {
    const now = nowIso();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("job_items")
        .set({ state, error, updated_at: now })
        .where("job_id", "=", jobId)
        .where("position", "=", position)
        .execute();
      await trx.updateTable("jobs").set({ updated_at: now }).where("id", "=", jobId).execute();
    });
  }

  async finish(jobId: string, status: JobRow["status"]): Promise<void> {
    const now = nowIso();
    await this.db
      .updateTable("jobs")
      .set({ status, updated_at: now, finished_at: now })
      .where("id", "=", jobId)
      .execute();
  }

  async listRunning(kind: JobRow["kind"]): Promise<JobRow[]> {
    return this.db
      .selectFrom("jobs")
      .selectAll()
      .where("kind", "=", kind)
      .where("status", "=", "running")
      .orderBy("created_at")
      .execute();
  }

  async runningOf(kind: JobRow["kind"], subject: string, db: Db = this.db): Promise<JobRow | undefined> {
    return db
      .selectFrom("jobs")
      .selectAll()
      .where("kind", "=", kind)
      .where("subject", "=", subject)
      .where("status", "=", "running")
      .executeTakeFirst();
  }
}
