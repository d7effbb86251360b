// What changed, field by field, for an audit entry: {before, after} for ordinary fields, and only
// {changed: true} for a secret's field, so no key, password or token value ever reaches the log.
import { isSecretField, redactSecrets } from "./redaction.js";

export type AuditChange = { before: unknown; after: unknown } | { changed: true };
export type AuditChanges = Record<string, AuditChange>;

type Fields = Readonly<Record<string, unknown>>;

/**
 * The fields whose values differ between `before` and `after` (null for a creation or a deletion: every
 * field of the other side). Only `fields` when given; fields undefined on both sides are left out.
 */
export function fieldChanges(
  before: Fields | null,
  after: Fields | null,
  fields?: readonly string[],
): AuditChanges {
  const names = fields ?? [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const changes: AuditChanges = {};
  for (const name of names) {
    const old = before?.[name];
    const now = after?.[name];
    if (old === undefined && now === undefined) continue;
    if (before !== null && after !== null && sameValue(old, now)) continue;
    changes[name] = isSecretField(name)
      ? { changed: true }
      : { before: redactSecrets(old ?? null), after: redactSecrets(now ?? null) };
  }
  return changes;
}

/** `changes` with every secret field's values dropped (a safety net for callers that built their own). */
export function redactChanges(changes: AuditChanges): AuditChanges {
  const safe: AuditChanges = {};
  for (const [name, change] of Object.entries(changes)) {
    safe[name] =
      isSecretField(name) || "changed" in change
        ? { changed: true }
        : { before: redactSecrets(change.before), after: redactSecrets(change.after) };
  }
  return safe;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** {changed: true} for each secret-looking field a request body sets (a new preshared key, a password). */
export function secretFieldsSet(body: object): AuditChanges {
  const changes: AuditChanges = {};
  for (const [name, value] of Object.entries(body)) {
    if (value !== undefined && isSecretField(name)) changes[name] = { changed: true };
  }
  return changes;
}
