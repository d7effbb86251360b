// When each piece of a node's drift was first seen: one row per stray peer, stray interface or missing
// peer while it lasts. `observe` brings a node's rows to exactly what is seen now, in one transaction.
import type { Db } from "../db/index.js";
import type { DriftSightingTable } from "../db/schema.js";

export type DriftKind = DriftSightingTable["kind"];

/** One piece of drift: what, on which interface, which peer ("" for a stray interface). */
export interface DriftSubject {
  kind: DriftKind;
  interfaceName: string;
  subject: string;
}

export function sightingKey(s: DriftSubject): string {
  return `${s.kind}\n${s.interfaceName}\n${s.subject}`;
}

export class DriftSightingRepository {
  constructor(private readonly db: Db) {}

  /** Keeps the rows of what is seen now (new ones at `now`), drops the rest; answers key → first seen. */
  async observe(nodeId: string, seen: readonly DriftSubject[], now: string): Promise<Map<string, string>> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom("drift_sightings")
        .select(["kind", "interface_name", "subject", "first_seen_at"])
        .where("node_id", "=", nodeId)
        .execute();
      const firstSeen = new Map<string, string>();
      for (const row of rows) {
        const key = sightingKey({ kind: row.kind, interfaceName: row.interface_name, subject: row.subject });
        firstSeen.set(key, row.first_seen_at);
      }
      const current = new Map(seen.map((s) => [sightingKey(s), s]));
      for (const row of rows) {
        const key = sightingKey({ kind: row.kind, interfaceName: row.interface_name, subject: row.subject });
        if (current.has(key)) continue;
        await trx
          .deleteFrom("drift_sightings")
          .where("node_id", "=", nodeId)
          .where("kind", "=", row.kind)
          .where("interface_name", "=", row.interface_name)
          .where("subject", "=", row.subject)
          .execute();
        firstSeen.delete(key);
      }
      const fresh = [...current].filter(([key]) => !firstSeen.has(key));
      if (fresh.length > 0) {
        await trx
          .insertInto("drift_sightings")
          .values(
            fresh.map(([, s]) => ({
              node_id: nodeId,
              kind: s.kind,
              interface_name: s.interfaceName,
              subject: s.subject,
              first_seen_at: now,
            })),
          )
          .execute();
        for (const [key] of fresh) firstSeen.set(key, now);
      }
      return firstSeen;
    });
  }
}
