// A peer's lifecycle as GET /api/v1/peers/:id/lifecycle answers it: its rules (expiry, quota and
// usage, its own schedule and the one that applies, what its node reports it suspended) and what the rules did,
// newest first and bounded; the fleet-wide attention lists (GET /api/v1/lifecycle/attention); and the
// retention prune of that history.
import {
  type AttentionPeerDto,
  DAY_MS,
  type LifecycleAttentionDto,
  type LifecycleAttentionQuery,
  NotFoundError,
  type PeerLifecycleDto,
} from "@wgfleet/core";
import { nowIso } from "../clock.js";
import type { LifecycleEventsRepository } from "./lifecycle-events.repository.js";
import { effectiveSchedule, parseSchedule } from "./peer-access.js";
import type { AttentionRow, PeerLifecycleRepository } from "./peer-lifecycle.repository.js";
import { quotaFieldsOf } from "./quota.js";
import type { QuotaRepository } from "./quota.repository.js";

/** The most events one answer lists. */
export const LIFECYCLE_EVENTS_LIMIT = 100;

export interface PeerLifecycleDeps {
  peers: Pick<PeerLifecycleRepository, "rulesOf" | "expiringBetween" | "attentionByIds">;
  quotas: Pick<QuotaRepository, "fullest">;
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

  /** Peers expiring within `days` (default 7) and at or over `quotaPercent` (default 80) of their quota. */
  async attention(query: LifecycleAttentionQuery): Promise<LifecycleAttentionDto> {
    const now = this.deps.now?.() ?? Date.now();
    const limit = query.limit ?? 100;
    const expiring = await this.deps.peers.expiringBetween(
      nowIso(now),
      nowIso(now + (query.days ?? 7) * DAY_MS),
      limit,
    );
    const fullest = await this.deps.quotas.fullest(query.quotaPercent ?? 80, limit);
    const byId = new Map((await this.deps.peers.attentionByIds(fullest)).map((row) => [row.id, row]));
    const overQuota = fullest.flatMap((id) => {
      const row = byId.get(id);
      return row ? [row] : [];
    });
    return { expiringSoon: expiring.map(toAttentionDto), overQuota: overQuota.map(toAttentionDto) };
  }

  async get(peerId: string): Promise<PeerLifecycleDto> {
    const rules = await this.deps.peers.rulesOf(peerId);
    if (!rules) throw new NotFoundError(`peer ${peerId}`);
    const events = await this.deps.events.listByPeer(peerId, LIFECYCLE_EVENTS_LIMIT);
    const effective = effectiveSchedule(rules);
    return {
      peerId: rules.id,
      expiresAt: rules.expires_at,
      ...quotaFieldsOf(rules),
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

function toAttentionDto(row: AttentionRow): AttentionPeerDto {
  return {
    id: row.id,
    name: row.name,
    configuration: row.configuration,
    node: row.node,
    nodeName: row.nodeName,
    expiresAt: row.expiresAt,
    ...quotaFieldsOf(row),
    suspension:
      row.suspensionReason === null || row.suspendedSince === null
        ? null
        : { reason: row.suspensionReason, since: row.suspendedSince },
  };
}
