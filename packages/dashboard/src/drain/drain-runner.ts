// Runs drain jobs, one at a time and one item at a time, in this process: each item is its peer moved
// to its planned target, its outcome written at once. At start every job still `running` is resumed
// (a move a crash interrupted was undone before: its item is still `pending` and is moved again; one
// the crash interrupted after the switch finds its peer on the target already and counts as done).
import { MOVE_GRACE_DEFAULT_HOURS } from "@wgfleet/core";
import type { JobItemRow, JobRepository, JobRow } from "../jobs/job.repository.js";
import type { Logger } from "../logging/logger.js";
import type { BackgroundJob } from "../startup/background-job.js";

export interface DrainRunnerDeps {
  jobs: Pick<JobRepository, "findById" | "pendingItems" | "settleItem" | "finish" | "listRunning" | "items">;
  /** Where the peer is now: its node id, or null when it no longer exists. */
  nodeOfPeer: (peerId: string) => Promise<string | null>;
  movePeer: (peerId: string, node: string, graceHours: number, actor: string) => Promise<unknown>;
  logger: Pick<Logger, "warn" | "info">;
}

export class DrainRunner {
  private readonly queue: string[] = [];
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly deps: DrainRunnerDeps) {}

  /** Resumes the jobs a stop or a crash left running; stops between two items at shutdown. */
  start(): BackgroundJob {
    this.deps.jobs
      .listRunning("drain")
      .then((jobs) => {
        for (const job of jobs) this.enqueue(job.id);
        if (jobs.length > 0) this.deps.logger.info({ jobs: jobs.length }, "resuming drain jobs");
      })
      .catch((error: Error) =>
        this.deps.logger.warn({ err: { message: error.message } }, "reading the drain jobs to resume failed"),
      );
    return {
      name: "drain-jobs",
      stop: async () => {
        this.stopped = true;
        await this.running;
      },
    };
  }

  enqueue(jobId: string): void {
    if (this.stopped) return;
    this.queue.push(jobId);
    this.kick();
  }

  /** Resolves when every queued job has run (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private kick(): void {
    if (this.running) return;
    this.running = this.drainQueue().finally(() => {
      this.running = null;
      if (this.queue.length > 0 && !this.stopped) this.kick();
    });
  }

  private async drainQueue(): Promise<void> {
    for (let id = this.queue.shift(); id !== undefined && !this.stopped; id = this.queue.shift()) {
      await this.runJob(id).catch((error: Error) =>
        this.deps.logger.warn(
          { job: id, err: { message: error.message } },
          "a drain job stopped on an error",
        ),
      );
    }
  }

  private async runJob(jobId: string): Promise<void> {
    const job = await this.deps.jobs.findById(jobId);
    if (job?.status !== "running") return;
    const { graceHours = MOVE_GRACE_DEFAULT_HOURS } = JSON.parse(job.params) as { graceHours?: number };
    for (const item of await this.deps.jobs.pendingItems(jobId)) {
      if (this.stopped) return;
      await this.runItem(job, item, graceHours);
    }
    const items = await this.deps.jobs.items(jobId);
    await this.deps.jobs.finish(jobId, items.some((item) => item.state === "failed") ? "failed" : "done");
    this.deps.logger.info({ job: jobId, node: job.subject }, "drain job finished");
  }

  private async runItem(job: JobRow, item: JobItemRow, graceHours: number): Promise<void> {
    const settle = (state: JobItemRow["state"], error: string | null = null) =>
      this.deps.jobs.settleItem(job.id, item.position, state, error);
    const node = await this.deps.nodeOfPeer(item.item_id);
    if (node === null) return settle("skipped", "the peer no longer exists");
    if (node === item.target) return settle("done");
    if (node !== job.subject) return settle("skipped", `the peer was moved to node ${node} meanwhile`);
    if (item.target === null) return settle("failed", item.error ?? "no node fits");
    try {
      await this.deps.movePeer(item.item_id, item.target, graceHours, job.created_by);
      await settle("done");
    } catch (error) {
      await settle("failed", (error as Error).message);
    }
  }
}
