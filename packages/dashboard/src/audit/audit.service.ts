// The audit trail: who changed what, when, from where, and which fields changed (before → after; for a
// secret only that it changed). During an HTTP write request, record() attaches to the request's scope
// (see audit-scope.ts: one entry per request, written when the answer goes out); outside one (the CLI,
// background jobs) it writes at once, inside the caller's transaction when given. Callers must never
// pass a secret in `target` or `details`; as a safety net, fields whose names look secret are stored as
// "[redacted]". Reads are for admins. SQL is in the repository.
import { ValidationError } from "@wgfleet/core";
import type { Kysely } from "kysely";
import { nowIso } from "../clock.js";
import type { Database } from "../db/schema.js";
import type { AuditRepository, AuditRow, AuditRowFilter } from "./audit.repository.js";
import { type AuditChanges, redactChanges } from "./audit-changes.js";
import {
  type AuditEntryDraft,
  type AuditEvent,
  type AuditScope,
  currentAuditScope,
  entityOfAction,
} from "./audit-scope.js";
import { redactSecrets } from "./redaction.js";

export { redactSecrets } from "./redaction.js";

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  /** The API key's name when the change was made with one (`actor` is its user). */
  apiKey: string | null;
  action: string;
  entity: string | null;
  target: string | null;
  address: string | null;
  changes: AuditChanges | null;
  details: Record<string, unknown> | null;
}

export interface AuditListOptions {
  /** 1..500; 50 when not given. */
  limit?: number;
  /** Only entries with an id below this one (the previous page's last id). */
  before?: number;
  /** A user's or an API key's name. */
  actor?: string;
  /** "peer", or "peer:ID" for one peer. */
  entity?: string;
  /** An action ("peer.update") or every action under a prefix ("peer"). */
  action?: string;
  /** ISO times: from inclusive, to exclusive. */
  from?: string;
  to?: string;
}

export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last. */
  nextCursor: string | null;
}

export const AUDIT_MAX_LIMIT = 500;
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

export class AuditService {
  constructor(
    private readonly entries: Pick<AuditRepository, "insert" | "page" | "pruneBefore">,
    private readonly retentionDays = DEFAULT_AUDIT_RETENTION_DAYS,
  ) {}

  /**
   * actor: a username, "system" or "cli"; action: "peer.create"; target: an id or a name. `db`: the
   * caller's transaction, to record inside it (outside a request).
   */
  async record(
    actor: string,
    action: string,
    target?: string,
    details?: object,
    db?: Kysely<Database>,
  ): Promise<void> {
    await this.recordEvent(
      actor,
      { action, ...(target !== undefined ? { target } : {}), ...(details ? { details } : {}) },
      db,
    );
  }

  /** Like record(), with the entity and the fields that changed (see fieldChanges). */
  async recordEvent(actor: string, event: AuditEvent, db?: Kysely<Database>): Promise<void> {
    await this.recordInScope(currentAuditScope(), actor, event, db);
  }

  /**
   * recordEvent() for the request whose scope was taken earlier (currentAuditScope()): for work that
   * may run in another request's context, such as a creation placed with others in one group.
   */
  async recordInScope(
    scope: AuditScope | undefined,
    actor: string,
    event: AuditEvent,
    db?: Kysely<Database>,
  ): Promise<void> {
    if (scope?.open) {
      scope.add(actor, event);
      return;
    }
    await this.write(
      {
        actor,
        action: event.action,
        entity: event.entity ?? entityOfAction(event.action),
        target: event.target ?? null,
        details: event.details ?? null,
        changes: event.changes ? redactChanges(event.changes) : null,
        address: null,
        apiKey: null,
      },
      db,
    );
  }

  /** Writes one entry (a request's, from its scope). */
  async write(entry: AuditEntryDraft, db?: Kysely<Database>): Promise<void> {
    await this.entries.insert(
      {
        at: nowIso(),
        actor: entry.actor.slice(0, 200),
        action: entry.action,
        entity: entry.entity,
        target: entry.target,
        details: entry.details === null ? null : JSON.stringify(redactSecrets(entry.details)),
        changes: entry.changes === null ? null : JSON.stringify(redactChanges(entry.changes)),
        address: entry.address,
        api_key: entry.apiKey,
      },
      db,
    );
  }

  /** Newest first. */
  async list(options: AuditListOptions = {}): Promise<AuditEntry[]> {
    const rows = await this.entries.page(checkedLimit(options.limit), rowFilter(options));
    return rows.map(toAuditEntry);
  }

  /** One page for `GET /api/v1/audit`: `cursor` is the previous page's nextCursor. */
  async page(options: Omit<AuditListOptions, "before"> & { cursor?: string }): Promise<AuditPage> {
    const { cursor, ...filter } = options;
    const limit = checkedLimit(options.limit);
    const before = cursor === undefined || cursor === "" ? undefined : parseCursor(cursor);
    const items = await this.list({ ...filter, limit, ...(before !== undefined ? { before } : {}) });
    const last = items.at(-1);
    return { items, nextCursor: items.length === limit && last ? String(last.id) : null };
  }

  /** Removes entries older than the retention; returns how many. */
  async prune(now = Date.now()): Promise<number> {
    return this.entries.pruneBefore(nowIso(now - this.retentionDays * DAY_MS));
  }
}

function checkedLimit(limit = 50): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_MAX_LIMIT) {
    throw new ValidationError("limit", `must be an integer from 1 to ${AUDIT_MAX_LIMIT}`);
  }
  return limit;
}

function parseCursor(cursor: string): number {
  const id = Number(cursor);
  if (!/^\d{1,15}$/.test(cursor) || !Number.isSafeInteger(id)) {
    throw new ValidationError("cursor", "must be the nextCursor of a previous page");
  }
  return id;
}

function rowFilter(options: AuditListOptions): AuditRowFilter {
  if (options.before !== undefined && !Number.isSafeInteger(options.before)) {
    throw new ValidationError("before", "must be an integer");
  }
  const filter: AuditRowFilter = {};
  if (options.before !== undefined) filter.before = options.before;
  if (options.actor) filter.actor = options.actor;
  if (options.action) filter.action = options.action;
  if (options.entity) {
    const at = options.entity.indexOf(":");
    filter.entity = at < 0 ? options.entity : options.entity.slice(0, at);
    if (at >= 0) filter.target = options.entity.slice(at + 1);
  }
  if (options.from) filter.from = isoTime(options.from, "from");
  if (options.to) filter.to = isoTime(options.to, "to");
  if (filter.from && filter.to && filter.from >= filter.to) {
    throw new ValidationError("to", "must be after from");
  }
  return filter;
}

/** Normalised to the stored form (UTC, milliseconds), so text comparison orders correctly. */
function isoTime(text: string, field: string): string {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d\d-\d\d/.test(text) || Number.isNaN(ms)) {
    throw new ValidationError(field, "must be an ISO-8601 time");
  }
  return nowIso(ms);
}

function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    at: row.at,
    actor: row.actor,
    apiKey: row.api_key,
    action: row.action,
    entity: row.entity,
    target: row.target,
    address: row.address,
    changes: row.changes === null ? null : (JSON.parse(row.changes) as AuditChanges),
    details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
  };
}
