// The fleet's background work, run only while this replica is the leader: started when it is
// elected, stopped (waiting for runs in progress) when it loses the election or shuts down.
import type { Logger } from "../logging/logger.js";
import type { BackgroundJob } from "../startup/background-job.js";
import type { LeaderElection } from "./leader-election.js";

export function runWhileLeader(
  election: LeaderElection,
  startJobs: () => BackgroundJob[],
  logger: Logger,
): BackgroundJob {
  let jobs: BackgroundJob[] = [];
  election.start({
    elected: () => {
      jobs = startJobs();
      logger.info({ jobs: jobs.map((job) => job.name) }, "background jobs started (leader)");
    },
    demoted: async () => {
      const running = jobs;
      jobs = [];
      await Promise.allSettled(running.map((job) => job.stop()));
      logger.info("background jobs stopped");
    },
  });
  return { name: "leader-election", stop: () => election.stop() };
}
