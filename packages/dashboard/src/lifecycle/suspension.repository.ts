// SQL for what nodes report they keep off the kernel (peers.suspension_reason / suspended_since,
// migration 008): the peers of a node stored as suspended, peers of an interface by public key, and
// writing a round's changes with their history events in one transaction. Same statements on SQLite
// and PostgreSQL.
import type { SuspensionReason } from "@wgfleet/core";
import type { Db } from "../db/index.js";
import { LifecycleEventsRepository, type NewLifecycleEvent } from "./lifecycle-events.repository.js";

/** A peer as the suspension sync compares it. */
export interface SuspensionPeer {
  id: string;
  interfaceId: string;
  publicKey: string;
  name: string;
  configurationName: string;
  enabled: number;
  expiresAt: string | null;
  reason: SuspensionReason | null;
  since: string | null;
}

/** A peer stored as suspended, as the comparison with the node's report needs it. */
export interface StoredSuspension {
  id: string;
  interfaceId: string;
  publicKey: string;
  reason: SuspensionReason;
}

/** New suspension columns of one peer (reason null: back on the kernel). */
export interface SuspensionChange {
  peerId: string;
  reason: SuspensionReason | null;
  since: string | null;
}

/** Keys per `IN (…)` query: far below both engines' parameter limits. */
const CHUNK = 500;

export class SuspensionRepository {
  private readonly events: LifecycleEventsRepository;

  constructor(private readonly db: Db) {
    this.events = new LifecycleEventsRepository(db);
  }

  private peers() {
    return this.db
      .selectFrom("peers as p")
      .innerJoin("interfaces as i", "i.id", "p.interface_id")
      .innerJoin("configurations as c", "c.id", "i.configuration_id")
      .select([
        "p.id as id",
        "p.interface_id as interfaceId",
        "p.public_key as publicKey",
        "p.name as name",
        "c.name as configurationName",
        "p.enabled as enabled",
        "p.expires_at as expiresAt",
        "p.suspension_reason as reason",
        "p.suspended_since as since",
      ]);
  }

  /**
   * The peers on these interfaces stored as suspended: only the columns the comparison needs, no join
   * (when a schedule has closed for a whole interface, this is every one of its peers on every poll).
   */
  async suspendedOf(interfaceIds: readonly string[]): Promise<StoredSuspension[]> {
    if (interfaceIds.length === 0) return [];
    return this.db
      .selectFrom("peers")
      .select(["id", "interface_id as interfaceId", "public_key as publicKey", "suspension_reason as reason"])
      .where("interface_id", "in", interfaceIds)
      .where("suspension_reason", "is not", null)
      .$narrowType<{ reason: SuspensionReason }>()
      .execute();
  }

  /** These peers with what their events name (for the few whose suspension changed). */
  async byIds(ids: readonly string[]): Promise<SuspensionPeer[]> {
    const found: SuspensionPeer[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      found.push(
        ...(await this.peers()
          .where("p.id", "in", ids.slice(i, i + CHUNK))
          .execute()),
      );
    }
    return found;
  }

  /** The interface's peers with these public keys. */
  async byKeys(interfaceId: string, keys: readonly string[]): Promise<SuspensionPeer[]> {
    const found: SuspensionPeer[] = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      found.push(
        ...(await this.peers()
          .where("p.interface_id", "=", interfaceId)
          .where("p.public_key", "in", keys.slice(i, i + CHUNK))
          .execute()),
      );
    }
    return found;
  }

  /** The changes and their events, together or not at all. Peers sharing reason and since share a statement. */
  async apply(changes: readonly SuspensionChange[], events: readonly NewLifecycleEvent[]): Promise<void> {
    if (changes.length === 0 && events.length === 0) return;
    const groups = new Map<
      string,
      { reason: SuspensionReason | null; since: string | null; ids: string[] }
    >();
    for (const change of changes) {
      const key = `${change.reason}|${change.since}`;
      const group = groups.get(key) ?? { reason: change.reason, since: change.since, ids: [] };
      group.ids.push(change.peerId);
      groups.set(key, group);
    }
    await this.db.transaction().execute(async (trx) => {
      for (const { reason, since, ids } of groups.values()) {
        for (let i = 0; i < ids.length; i += CHUNK) {
          await trx
            .updateTable("peers")
            .set({ suspension_reason: reason, suspended_since: since })
            .where("id", "in", ids.slice(i, i + CHUNK))
            .execute();
        }
      }
      await this.events.record(events, trx);
    });
  }
}
