// A task repeated on an interval, never overlapping itself, that logs its failures instead of crashing
// the process and stops cleanly (waiting for a run in progress) at shutdown.
import type { Logger } from "../logging/logger.js";

export interface BackgroundJob {
  readonly name: string;
  stop(): Promise<void>;
}

export function startIntervalJob(
  name: string,
  intervalMs: number,
  task: () => Promise<unknown>,
  logger: Logger,
): BackgroundJob {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = task()
      .then(() => undefined)
      .catch((error: Error) =>
        logger.warn({ job: name, err: { message: error.message } }, "background job failed"),
      )
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    name,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
