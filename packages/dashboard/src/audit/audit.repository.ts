// SQL for the audit log: append one entry (inside the caller's transaction when given), read a filtered
// page newest first, and prune by age. Rules (redaction, limits, what a filter means) stay in the service.
import type { Insertable, Kysely, Selectable } from "kysely";
import { PreparedQuery } from "../db/prepared-query.js";
import type { AuditLogTable, Database } from "../db/schema.js";

export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Insertable<AuditLogTable>;

export interface AuditRowFilter {
  /** The user's name or the API key's name, exactly. */
  actor?: string;
  entity?: string;
  target?: string;
  /** This action, or every action under it ("peer" matches "peer.update"). */
  action?: string;
  /** ISO times: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  /** Only ids below this one (the previous page's last id). */
  before?: number;
}

export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: NewAuditRow, db: Kysely<Database> = this.db): Promise<void> {
    await insertEntry.execute(db, row);
  }

  /** Newest first. */
  async page(limit: number, filter: AuditRowFilter = {}): Promise<AuditRow[]> {
    let query = this.db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(limit);
    const { actor, entity, target, action, from, to, before } = filter;
    if (actor !== undefined)
      query = query.where((eb) => eb.or([eb("actor", "=", actor), eb("api_key", "=", actor)]));
    if (entity !== undefined) query = query.where("entity", "=", entity);
    if (target !== undefined) query = query.where("target", "=", target);
    if (action !== undefined) {
      // The prefix comparison instead of LIKE: action names may hold "_", LIKE's wildcard.
      query = query.where((eb) =>
        eb.or([
          eb("action", "=", action),
          eb.and([eb("action", ">", `${action}.`), eb("action", "<", `${action}/`)]),
        ]),
      );
    }
    if (from !== undefined) query = query.where("at", ">=", from);
    if (to !== undefined) query = query.where("at", "<", to);
    if (before !== undefined) query = query.where("id", "<", before);
    return query.execute();
  }

  /** Removes entries older than `cutoff` (ISO); returns how many. */
  async pruneBefore(cutoff: string): Promise<number> {
    const result = await this.db.deleteFrom("audit_log").where("at", "<", cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** Every write request appends one entry: compiled once per set of fields. */
const insertEntry = new PreparedQuery((db: Kysely<Database>, row: NewAuditRow) =>
  db.insertInto("audit_log").values(row),
);
