// Leader election on PostgreSQL: a session-level advisory lock held on a connection of its own (not
// the pool's, whose connections come and go). Every interval a follower tries `pg_try_advisory_lock`;
// the leader checks its connection is alive. A leader whose connection fails stops its work at once:
// PostgreSQL releases the lock when the session ends, so another replica may already hold it. A
// replica killed outright (SIGKILL) closes its socket, PostgreSQL ends the session and frees the lock,
// and a follower takes over at its next try: within one to two intervals.
import type pg from "pg";
import { loadPg } from "../db/index.js";
import type { Logger } from "../logging/logger.js";
import type { LeaderElection, LeadershipListener } from "./leader-election.js";

/** The lock's key: "wgfl" as a 32-bit number, in the advisory-lock space of this database only. */
const LEADER_LOCK_KEY = 0x7767666c;

export interface PostgresLeaderElectionOptions {
  url: string;
  /** How often a follower tries for the lock (and the leader checks its connection). */
  intervalMs: number;
  logger: Logger;
  /** The replica's id, for the log lines. */
  replicaId: string;
}

export class PostgresLeaderElection implements LeaderElection {
  private client: pg.Client | null = null;
  private leader = false;
  private listener: LeadershipListener | null = null;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: PostgresLeaderElectionOptions) {}

  get isLeader(): boolean {
    return this.leader;
  }

  start(listener: LeadershipListener): void {
    this.listener = listener;
    this.stopped = false;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.round;
    await this.demote("stopping");
    await this.disconnect();
  }

  /** One try at a time: a slow database never stacks rounds. */
  private tick(): void {
    if (this.round || this.stopped) return;
    this.round = this.campaign()
      .catch(async (error: Error) => {
        this.options.logger.warn(
          { replica: this.options.replicaId, err: { message: error.message } },
          "leader election: the lock connection failed",
        );
        await this.demote("its lock connection failed");
        await this.disconnect();
      })
      .finally(() => {
        this.round = null;
      });
  }

  private async campaign(): Promise<void> {
    const client = await this.connection();
    if (this.leader) {
      await client.query("select 1");
      return;
    }
    const result = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [
      LEADER_LOCK_KEY,
    ]);
    if (result.rows[0]?.locked !== true || this.stopped) return;
    this.leader = true;
    this.options.logger.info({ replica: this.options.replicaId }, "this replica is now the leader");
    this.listener?.elected();
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new (await loadPg()).Client({
      connectionString: this.options.url,
      application_name: "wgfleet-leader",
      connectionTimeoutMillis: 10_000,
      // A leader cut off from the database must find out: the socket's keepalive reports a dead peer.
      keepAlive: true,
    });
    // The lock lives and dies with this session: losing it means losing leadership, now.
    client.on("error", (error) => {
      this.options.logger.warn(
        { replica: this.options.replicaId, err: { message: error.message } },
        "leader election: the lock connection was lost",
      );
      void this.lost(client);
    });
    client.on("end", () => void this.lost(client));
    await client.connect();
    this.client = client;
    return client;
  }

  private async lost(client: pg.Client): Promise<void> {
    if (this.client !== client) return;
    this.client = null;
    await this.demote("its lock connection was lost");
    await client.end().catch(() => {});
  }

  private async demote(reason: string): Promise<void> {
    if (!this.leader) return;
    this.leader = false;
    this.options.logger.warn(
      { replica: this.options.replicaId, reason },
      "this replica is no longer the leader",
    );
    await this.listener?.demoted();
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}
