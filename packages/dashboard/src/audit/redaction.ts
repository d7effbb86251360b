// Which field names hold secrets (private or preshared keys, passwords, tokens, API keys, TOTP, node and
// webhook secrets, anything encrypted at rest), and a deep copy of a value with those fields' values
// replaced: the audit trail's safety net under callers that must never pass a secret in the first place.

const REDACTED = "[redacted]";
const SECRET_FIELD =
  /private|preshared|secret|password|passphrase|passwd|token|apikey|api_key|totp|recovery|credential|_enc$|^key$/i;

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** A deep copy with the values of secret-looking fields replaced. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== "object") return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
  const copy: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(value)) {
    copy[field] = isSecretField(field) ? REDACTED : redactSecrets(inner);
  }
  return copy;
}
