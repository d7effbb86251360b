// This process as one replica of the dashboard: an id of its own, registered in the database at start
// and heartbeaten every few seconds, removed at a clean shutdown. Settlement asks it whose `pending`
// peers it may touch: its own (no creation of it is in flight at start; later only stale ones), those
// of replicas that stopped heartbeating, and those with no known owner — never a live replica's.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { processRuns } from "@wgfleet/wireguard";
import type { Logger } from "../logging/logger.js";
import type { BackgroundJob } from "../startup/background-job.js";
import type { ReplicaRepository } from "./replica.repository.js";

/** How often a replica renews its heartbeat. */
export const REPLICA_HEARTBEAT_MS = 2_000;
/** A replica silent this long has stopped (five missed heartbeats: a busy event loop is not a death). */
export const REPLICA_STALE_MS = 10_000;
/** Rows of replicas silent this long are removed (their peers then count as ownerless). */
const REPLICA_FORGET_MS = 24 * 60 * 60 * 1000;

/** What the owner of a `pending` peer is, seen from this replica. */
export type OwnerState = "self" | "live" | "stopped" | "unknown";

/** The part settlement uses. */
export interface PendingOwners {
  /** Classifies the owners of pending peers (one database read for all of them). */
  classifier(): Promise<(owner: string | null) => OwnerState>;
}

export class ReplicaPresence implements PendingOwners {
  readonly id = randomUUID();

  constructor(
    private readonly repository: ReplicaRepository,
    private readonly now: () => number = Date.now,
  ) {}

  async register(): Promise<void> {
    await this.repository.register({
      id: this.id,
      hostname: hostname(),
      pid: process.pid,
      at: new Date(this.now()).toISOString(),
    });
  }

  /** Renews the heartbeat (registering again if the row was removed meanwhile). */
  async heartbeat(): Promise<void> {
    const at = new Date(this.now()).toISOString();
    if (!(await this.repository.heartbeat(this.id, at))) await this.register();
    await this.repository.purgeSilentSince(new Date(this.now() - REPLICA_FORGET_MS).toISOString());
  }

  /** Heartbeats until stopped; stopping removes this replica's row (a clean shutdown). */
  startHeartbeat(logger: Logger, intervalMs = REPLICA_HEARTBEAT_MS): BackgroundJob {
    let running: Promise<void> | null = null;
    const timer = setInterval(() => {
      if (running) return;
      running = this.heartbeat()
        .catch((error: Error) =>
          logger.warn({ replica: this.id, err: { message: error.message } }, "replica heartbeat failed"),
        )
        .finally(() => {
          running = null;
        });
    }, intervalMs);
    timer.unref();
    return {
      name: "replica-heartbeat",
      stop: async () => {
        clearInterval(timer);
        await running;
        await this.repository.remove(this.id).catch(() => {});
      },
    };
  }

  async classifier(): Promise<(owner: string | null) => OwnerState> {
    const staleBefore = new Date(this.now() - REPLICA_STALE_MS).toISOString();
    const here = hostname();
    // A replica on this host whose process is gone has stopped, however fresh its last heartbeat: a
    // dashboard restarted after a crash settles the crash's creations at once, not 10 s later.
    const alive = (row: { hostname: string; pid: number; heartbeat_at: string }) =>
      row.heartbeat_at >= staleBefore && (row.hostname !== here || processRuns(row.pid));
    const known = new Map((await this.repository.heartbeats()).map((row) => [row.id, alive(row)]));
    return (owner) => {
      if (owner === null) return "unknown";
      if (owner === this.id) return "self";
      const live = known.get(owner);
      if (live === undefined) return "unknown";
      return live ? "live" : "stopped";
    };
  }
}
