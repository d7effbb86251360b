// The Audit page's filter form as the API query: empty fields left out, the browser's local
// date-times (datetime-local inputs) turned into ISO times.
import type { AuditQuery } from "../api/types.js";

export interface AuditFilterForm {
  actor: string;
  entity: string;
  action: string;
  /** "2026-12-06T10:30" in the browser's time zone, or "". */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilterForm = { actor: "", entity: "", action: "", from: "", to: "" };

export function auditQueryOf(form: AuditFilterForm, cursor?: string): AuditQuery {
  const query: AuditQuery = {};
  if (form.actor.trim()) query.actor = form.actor.trim();
  if (form.entity.trim()) query.entity = form.entity.trim();
  if (form.action.trim()) query.action = form.action.trim();
  if (form.from) query.from = localToIso(form.from);
  if (form.to) query.to = localToIso(form.to);
  if (cursor) query.cursor = cursor;
  return query;
}

function localToIso(local: string): string {
  const ms = new Date(local).getTime();
  return Number.isNaN(ms) ? local : new Date(ms).toISOString();
}

/** A changed value as the page shows it: JSON for lists and objects, "—" for none. */
export function formatAuditValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
