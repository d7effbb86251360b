// A peer's lifecycle as GET /api/v1/peers/:id/lifecycle answers it: its rules (expiry, its own
// schedule and the one that applies, what its node reports it suspended) and what the rules did,
// newest first and bounded; and the retention prune of that history.
import { DAY_MS, NotFoundError, type PeerLifecycleDto } from "@wgfleet/core";
import { nowIso } from "../clock.js";
import type { LifecycleEventsRepository } from "./lifecycle-events.repository.js";
import { effectiveSchedule, parseSchedule } from "./peer-access.js";
import type { PeerLifecycleRepository } from "./peer-lifecycle.repository.js";

/** The most events one answer lists. */
export const LIFECYCLE_EVENTS_LIMIT = 100;

export interface PeerLifecycleDeps {
  peers: Pick<PeerLifecycleRepository, "rulesOf">;
  events: Pick<LifecycleEventsRepository, "listByPeer" | "pruneBefore">;
  /** Events older than this many days are pruned (StatsSettings.lifecycleRetentionDays). */
  retentionDays: number;
  now?: () => number;
}

export class PeerLifecycleService {
  constructor(private readonly deps: PeerLifecycleDeps) {}

  /** Removes the events older than the retention; returns how many. */
  pruneHistory(): Promise<number> {
    const now = this.deps.now?.() ?? Date.now();
    return this.deps.events.pruneBefore(nowIso(now - this.deps.retentionDays * DAY_MS));
  }

  async get(peerId: string): Promise<PeerLifecycleDto> {
    const rules = await this.deps.peers.rulesOf(peerId);
    if (!rules) throw new NotFoundError(`peer ${peerId}`);
    const events = await this.deps.events.listByPeer(peerId, LIFECYCLE_EVENTS_LIMIT);
    const effective = effectiveSchedule(rules);
    return {
      peerId: rules.id,
      expiresAt: rules.expires_at,
      // The quota's part comes with the quota work.
      quota: null,
      quotaUsage: null,
      schedule: rules.schedule === null ? null : parseSchedule(rules.schedule),
      suspension:
        rules.suspension_reason === null || rules.suspended_since === null
          ? null
          : { reason: rules.suspension_reason, since: rules.suspended_since },
      effectiveSchedule: effective?.schedule ?? null,
      scheduleFrom: effective?.from ?? null,
      events: events.map((e) => ({
        id: e.id,
        peerId: e.peerId,
        at: e.at,
        kind: e.kind,
        rule: e.rule,
        detail: e.detail,
      })),
    };
  }
}
