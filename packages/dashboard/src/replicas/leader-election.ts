// Which replica runs the fleet's background work (health and stats polling, lifecycle rules, outboxes,
// jobs, alerts): exactly one at a time. With SQLite there is one process, always the leader; with
// PostgreSQL a session advisory lock decides (postgres-leader-election.ts).

/** Told when this replica becomes the leader and when it stops being it. */
export interface LeadershipListener {
  elected(): void;
  /** Resolves once the leader's work has stopped. */
  demoted(): Promise<void>;
}

export interface LeaderElection {
  readonly isLeader: boolean;
  /** Starts campaigning; the listener hears every change. */
  start(listener: LeadershipListener): void;
  /** Gives leadership up (the listener hears `demoted` first) and stops campaigning. */
  stop(): Promise<void>;
}

/** One process on its own database (SQLite): the leader from start to stop. */
export class SoleLeader implements LeaderElection {
  private listener: LeadershipListener | null = null;

  get isLeader(): boolean {
    return this.listener !== null;
  }

  start(listener: LeadershipListener): void {
    this.listener = listener;
    listener.elected();
  }

  async stop(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    await listener?.demoted();
  }
}
