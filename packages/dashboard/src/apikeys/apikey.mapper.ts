// The fields of an API key that leave the service: never the hash, and the key itself only once,
// in the answer to its creation. The shape is core's ApiKeyDto, the one the web app reads.
import type { ApiKeyDto, ApiKeyScope } from "@wgfleet/core";
import type { ApiKeyWithUser } from "./apikey.repository.js";

export type { ApiKeyDto as ApiKeyView };

export function toApiKeyView(row: ApiKeyWithUser): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    userId: row.user_id,
    username: row.username,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    scope: scopeOf(row.scope),
  };
}

/** A stored scope; anything unknown counts as the native one (it never widens a key's reach). */
export function scopeOf(text: string): ApiKeyScope {
  return text === "wgdashboard" ? "wgdashboard" : "api";
}
