// The traffic rollup job: sums closed minute buckets into hours and closed hours into days (peer and
// interface level), then prunes every history table past its retention. Incremental and idempotent:
// it remembers in the database how far each step got (in the same transaction as the rows it wrote),
// rolls only buckets that can no longer change (their end plus a grace for a round in flight), and
// writes each rolled bucket as the full sum of its parts — a restart or a second run counts nothing
// twice. Runs never overlap. It rolls before it prunes, so no minute is pruned before it is rolled.
import { nowIso } from "../clock.js";
import { DEFAULT_STATS_SETTINGS, type StatsSettings } from "../config/stats-settings.js";
import type { Logger } from "../logging/logger.js";
import { type BackgroundJob, startIntervalJob } from "../startup/background-job.js";
import {
  HISTORY_TABLES,
  type HistoryTable,
  type RollupMark,
  type TrafficRollupRepository,
} from "./traffic-rollup.repository.js";
import { alignDown, DAY_MS, HOUR_MS } from "./traffic-steps.js";

/** How often the job runs: the latest closed hour is rolled within minutes (reads stitch the rest). */
export const ROLLUP_INTERVAL_MS = 5 * 60 * 1000;
/** A minute bucket still takes the bytes of a round that started in it; wait this long after an hour ends. */
export const ROLLUP_GRACE_MS = 2 * 60 * 1000;

export interface RollupReport {
  /** The marks after the run: everything before them is rolled (null: nothing to roll yet). */
  hoursUntil: string | null;
  daysUntil: string | null;
  /** Rows removed per table by the prune. */
  pruned: Partial<Record<HistoryTable, number>>;
}

export class TrafficRollupService {
  private readonly settings: StatsSettings;
  private readonly now: () => number;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      rollups: TrafficRollupRepository;
      logger: Logger;
      settings?: StatsSettings;
      now?: () => number;
    },
  ) {
    this.settings = deps.settings ?? DEFAULT_STATS_SETTINGS;
    this.now = deps.now ?? Date.now;
  }

  /** One rollup and prune; calls are serialised (a second waits for the run in progress). */
  runOnce(): Promise<RollupReport> {
    const run = this.queue.then(
      () => this.run(),
      () => this.run(),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs now and then on an interval; stop() waits for a run in progress. */
  startJob(intervalMs = ROLLUP_INTERVAL_MS): BackgroundJob {
    const first = this.runOnce().catch((error: Error) =>
      this.deps.logger.warn(
        { job: "traffic-rollup", err: { message: error.message } },
        "background job failed",
      ),
    );
    const job = startIntervalJob("traffic-rollup", intervalMs, () => this.runOnce(), this.deps.logger);
    return {
      name: job.name,
      stop: async () => {
        await first;
        await job.stop();
      },
    };
  }

  private async run(): Promise<RollupReport> {
    const nowMs = this.now();
    const hoursUntil = await this.step("hours", alignDown(nowMs - ROLLUP_GRACE_MS, HOUR_MS), HOUR_MS);
    // A day is closed once all its hours are rolled.
    const daysUntil =
      hoursUntil === null ? null : await this.step("days", alignDown(Date.parse(hoursUntil), DAY_MS), DAY_MS);
    const pruned = await this.prune(nowMs);
    return { hoursUntil, daysUntil, pruned };
  }

  /** Rolls [mark, closedUntil) of one step; returns the mark afterwards. */
  private async step(name: RollupMark, closedUntilMs: number, bucketMs: number): Promise<string | null> {
    const rollups = this.deps.rollups;
    const mark = await rollups.mark(name);
    const earliest = mark ?? (await rollups.earliestSource(name));
    if (earliest === null) return null;
    const fromMs = alignDown(Date.parse(earliest), bucketMs);
    if (fromMs >= closedUntilMs) return mark;
    const until = nowIso(closedUntilMs);
    await rollups.rollUp(name, nowIso(fromMs), until);
    this.deps.logger.debug({ rollup: name, from: nowIso(fromMs), until }, "rolled up traffic");
    return until;
  }

  private async prune(nowMs: number): Promise<RollupReport["pruned"]> {
    const days = {
      minute: this.settings.retentionDays,
      hour: this.settings.hourRetentionDays,
      day: this.settings.dayRetentionDays,
    };
    const pruned: RollupReport["pruned"] = {};
    for (const [table, resolution] of Object.entries(HISTORY_TABLES) as Array<
      [HistoryTable, keyof typeof days]
    >) {
      const cutoff = nowIso(nowMs - days[resolution] * DAY_MS);
      const removed = await this.deps.rollups.pruneBefore(table, cutoff);
      if (removed > 0) pruned[table] = removed;
    }
    if (Object.keys(pruned).length > 0) this.deps.logger.debug({ pruned }, "pruned old traffic history");
    return pruned;
  }
}
