// The fields of an API key that leave the service: never the hash, and the key itself only once,
// in the answer to its creation.
import type { ApiKeyWithUser } from "./apikey.repository.js";

export interface ApiKeyView {
  id: string;
  name: string;
  /** The key's first characters, so a person can tell keys apart. */
  prefix: string;
  userId: string;
  username: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function toApiKeyView(row: ApiKeyWithUser): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    userId: row.user_id,
    username: row.username,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
