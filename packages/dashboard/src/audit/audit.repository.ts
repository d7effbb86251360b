// SQL for the audit log: append one entry (inside the caller's transaction when given), and read a page
// newest first. Rules (redaction, limits) stay in the audit service.
import type { Insertable, Kysely, Selectable } from "kysely";
import type { AuditLogTable, Database } from "../db/schema.js";

export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Insertable<AuditLogTable>;

export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: NewAuditRow, db: Kysely<Database> = this.db): Promise<void> {
    await db.insertInto("audit_log").values(row).execute();
  }

  /** Newest first; only ids below `before` when given. */
  async page(limit: number, before?: number): Promise<AuditRow[]> {
    let query = this.db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(limit);
    if (before !== undefined) query = query.where("id", "<", before);
    return query.execute();
  }
}
