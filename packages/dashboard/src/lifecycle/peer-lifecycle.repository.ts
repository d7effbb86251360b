// SQL for a peer's lifecycle rules as the history view shows them: its expiry, own schedule, quota
// and suspension, with its configuration's default schedule and its quota's usage joined in; and the
// fleet-wide attention lists (peers expiring soon, the fullest quotas).
import type { Db } from "../db/index.js";
import type { PeerAccessColumns } from "./peer-access.js";
import type { QuotaColumns } from "./quota.js";
import { QUOTA_SELECTION } from "./quota.repository.js";

export interface PeerRules extends PeerAccessColumns, QuotaColumns {
  id: string;
  suspension_reason: "expired" | "schedule" | "quota" | null;
  suspended_since: string | null;
}

/** A peer as the attention lists show it. */
export interface AttentionRow extends QuotaColumns {
  id: string;
  name: string;
  configuration: string;
  node: string;
  nodeName: string;
  expiresAt: string | null;
  suspensionReason: PeerRules["suspension_reason"];
  suspendedSince: string | null;
}

export class PeerLifecycleRepository {
  constructor(private readonly db: Db) {}

  async rulesOf(peerId: string): Promise<PeerRules | undefined> {
    return this.db
      .selectFrom("peers as p")
      .innerJoin("interfaces as i", "i.id", "p.interface_id")
      .innerJoin("configurations as c", "c.id", "i.configuration_id")
      .leftJoin("peer_quotas as q", "q.peer_id", "p.id")
      .leftJoin("peer_stats as s", "s.peer_id", "p.id")
      .select([
        "p.id as id",
        "p.expires_at as expires_at",
        "p.schedule as schedule",
        "c.default_schedule as default_schedule",
        "p.quota_budget as quota_budget",
        ...QUOTA_SELECTION,
        "p.suspension_reason as suspension_reason",
        "p.suspended_since as suspended_since",
      ])
      .where("p.id", "=", peerId)
      .executeTakeFirst();
  }

  /** Peers whose expiry lies in (from, until], soonest first. */
  async expiringBetween(from: string, until: string, limit: number): Promise<AttentionRow[]> {
    return this.attentionQuery()
      .where("p.expires_at", ">", from)
      .where("p.expires_at", "<=", until)
      .orderBy("p.expires_at")
      .orderBy("p.id")
      .limit(limit)
      .execute();
  }

  async attentionByIds(ids: readonly string[]): Promise<AttentionRow[]> {
    if (ids.length === 0) return [];
    return this.attentionQuery().where("p.id", "in", ids).execute();
  }

  private attentionQuery() {
    return this.db
      .selectFrom("peers as p")
      .innerJoin("interfaces as i", "i.id", "p.interface_id")
      .innerJoin("configurations as c", "c.id", "i.configuration_id")
      .innerJoin("nodes as n", "n.id", "i.node_id")
      .leftJoin("peer_quotas as q", "q.peer_id", "p.id")
      .leftJoin("peer_stats as s", "s.peer_id", "p.id")
      .select([
        "p.id as id",
        "p.name as name",
        "c.name as configuration",
        "i.node_id as node",
        "n.name as nodeName",
        "p.expires_at as expiresAt",
        "p.suspension_reason as suspensionReason",
        "p.suspended_since as suspendedSince",
        ...QUOTA_SELECTION,
      ]);
  }
}
