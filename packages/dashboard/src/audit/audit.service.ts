// The audit trail: who changed what, when. Callers must never pass a secret (private or preshared
// key, password, token, API key, node secret) in `target` or `details`; as a safety net, detail fields
// whose names look secret are stored as "[redacted]". Reads are for admins. SQL is in the repository.
import { ValidationError } from "@wgfleet/core";
import type { Kysely } from "kysely";
import { nowIso } from "../clock.js";
import type { Database } from "../db/schema.js";
import type { AuditRepository, AuditRow } from "./audit.repository.js";

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditListOptions {
  /** 1..500; 50 when not given. */
  limit?: number;
  /** Only entries with an id below this one (the previous page's last id). */
  before?: number;
}

export const AUDIT_MAX_LIMIT = 500;
const REDACTED = "[redacted]";
const SECRET_FIELD = /private|preshared|secret|password|passphrase|token|apikey|api_key|totp|_enc$|^key$/i;

export class AuditService {
  constructor(private readonly entries: Pick<AuditRepository, "insert" | "page">) {}

  /**
   * actor: a username, "system" or "cli"; action: "peer.create"; target: an id or a name. `db`: the
   * caller's transaction, to record inside it.
   */
  async record(
    actor: string,
    action: string,
    target?: string,
    details?: object,
    db?: Kysely<Database>,
  ): Promise<void> {
    const row = {
      at: nowIso(),
      actor,
      action,
      target: target ?? null,
      details: details === undefined ? null : JSON.stringify(redactSecrets(details)),
    };
    await this.entries.insert(row, db);
  }

  /** Newest first. */
  async list(options: AuditListOptions = {}): Promise<AuditEntry[]> {
    const limit = options.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_MAX_LIMIT) {
      throw new ValidationError("limit", `must be an integer from 1 to ${AUDIT_MAX_LIMIT}`);
    }
    if (options.before !== undefined && !Number.isSafeInteger(options.before)) {
      throw new ValidationError("before", "must be an integer");
    }
    const rows = await this.entries.page(limit, options.before);
    return rows.map(toAuditEntry);
  }
}

function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
  };
}

/** A deep copy with the values of secret-looking fields replaced. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== "object") return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
  const copy: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(value)) {
    copy[field] = SECRET_FIELD.test(field) ? REDACTED : redactSecrets(inner);
  }
  return copy;
}
