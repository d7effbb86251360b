// SQL for a peer's lifecycle rules as the history view shows them: its expiry, own schedule and
// suspension, with its configuration's default schedule joined in.
import type { Db } from "../db/index.js";
import type { PeerAccessColumns } from "./peer-access.js";

export interface PeerRules extends PeerAccessColumns {
  id: string;
  suspension_reason: "expired" | "schedule" | "quota" | null;
  suspended_since: string | null;
}

export class PeerLifecycleRepository {
  constructor(private readonly db: Db) {}

  async rulesOf(peerId: string): Promise<PeerRules | undefined> {
    return this.db
      .selectFrom("peers as p")
      .innerJoin("interfaces as i", "i.id", "p.interface_id")
      .innerJoin("configurations as c", "c.id", "i.configuration_id")
      .select([
        "p.id as id",
        "p.expires_at as expires_at",
        "p.schedule as schedule",
        "c.default_schedule as default_schedule",
        "p.suspension_reason as suspension_reason",
        "p.suspended_since as suspended_since",
      ])
      .where("p.id", "=", peerId)
      .executeTakeFirst();
  }
}
