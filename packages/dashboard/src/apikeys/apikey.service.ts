// API keys: created for a user, shown once, stored as SHA-256, revocable, with a last-used time
// (written at most once a minute per key). Admins see and revoke every key; others only their own.
// Never logs or returns a key after its creation. Every API request presents a key: the key with its
// user is read from a per-process copy (replicas/read-cache.ts), dropped on every change of the key
// or its user (`credential` notices, by user id) and at most READ_CACHE_TTL_MS old.
import { randomUUID } from "node:crypto";
import {
  API_KEY_NAME_MAX_LENGTH,
  type ApiKeyScope,
  ForbiddenError,
  hasControlCharacters,
  NotFoundError,
  ValidationError,
} from "@wgfleet/core";
import type { AuditService } from "../audit/audit.service.js";
import { fieldChanges } from "../audit/audit-changes.js";
import { type Actor, type ActorRef, auditName } from "../auth/actor.js";
import { sha256Hex } from "../auth/tokens.js";
import { type Clock, nowIso, systemClock } from "../clock.js";
import type { CacheInvalidation } from "../replicas/cache-invalidation.js";
import { ReadCache } from "../replicas/read-cache.js";
import { type ApiKeyView, scopeOf, toApiKeyView } from "./apikey.mapper.js";
import type { ApiKeyRepository, ApiKeyWithUser } from "./apikey.repository.js";
import { displayPrefix, generateApiKey, looksLikeApiKey } from "./apikey-format.js";

const TOUCH_INTERVAL_MS = 60_000;

export { API_KEY_NAME_MAX_LENGTH };

export interface CreatedApiKey {
  apiKey: ApiKeyView;
  /** The key itself: shown once. */
  key: string;
}

/** The key store the service needs (the composition root passes the repository). */
export type ApiKeyStore = Pick<
  ApiKeyRepository,
  "findByHash" | "findById" | "insert" | "list" | "revoke" | "touch" | "userExists"
>;

export class ApiKeyService {
  /** Key hash → the key's row with its user's; `credential` notices name the user. */
  private readonly byHash: ReadCache<ApiKeyWithUser>;

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly audit: Pick<AuditService, "recordEvent">,
    private readonly invalidation: Pick<CacheInvalidation, "changed" | "subscribe" | "catchUp">,
    private readonly clock: Clock = systemClock,
  ) {
    this.byHash = new ReadCache(invalidation, "credential", {
      concerns: (row, userId) => row.user_id === userId,
    });
  }

  async create(
    input: { userId: string; name: string; scope?: ApiKeyScope },
    actor: ActorRef,
  ): Promise<CreatedApiKey> {
    const scope = input.scope ?? "api";
    const name = validateKeyName(input.name);
    if (typeof actor !== "string" && actor.role !== "admin" && actor.userId !== input.userId) {
      throw new ForbiddenError("only an admin can create a key for another user");
    }
    if (!(await this.keys.userExists(input.userId))) throw new NotFoundError(`user ${input.userId}`);
    const key = generateApiKey();
    const id = randomUUID();
    await this.keys.insert({
      id,
      user_id: input.userId,
      name,
      key_hash: sha256Hex(key),
      prefix: displayPrefix(key),
      created_at: nowIso(this.clock.now()),
      last_used_at: null,
      revoked_at: null,
      scope,
    });
    const row = await this.keys.findById(id);
    if (!row) throw new NotFoundError(`user ${input.userId}`);
    await this.audit.recordEvent(auditName(actor), {
      action: "apikey.create",
      target: id,
      changes: fieldChanges(null, { name, userId: input.userId, scope }),
    });
    return { apiKey: toApiKeyView(row), key };
  }

  /** Every key for an admin, the actor's own keys for anyone else. */
  async list(actor: Actor): Promise<ApiKeyView[]> {
    const rows = await this.keys.list(actor.role === "admin" ? undefined : actor.userId);
    return rows.map(toApiKeyView);
  }

  async revoke(id: string, actor: ActorRef): Promise<ApiKeyView> {
    const row = await this.keys.findById(id);
    const mayRevoke = typeof actor === "string" || actor.role === "admin" || actor.userId === row?.user_id;
    if (!row || !mayRevoke) throw new NotFoundError(`API key ${id}`);
    await this.keys.revoke(id, nowIso(this.clock.now()));
    await this.invalidation.changed("credential", row.user_id);
    await this.audit.recordEvent(auditName(actor), {
      action: "apikey.revoke",
      target: id,
      changes: { revoked: { before: false, after: true } },
      details: { name: row.name },
    });
    const revoked = await this.keys.findById(id);
    if (!revoked) throw new NotFoundError(`API key ${id}`);
    return toApiKeyView(revoked);
  }

  /** The actor a presented key stands for, or null (malformed, unknown, revoked). */
  async authenticate(key: string): Promise<Actor | null> {
    if (!looksLikeApiKey(key)) return null;
    const hash = sha256Hex(key);
    const row = await this.byHash.get(hash, () => this.keys.findByHash(hash));
    if (!row || row.revoked_at !== null) return null;
    const now = this.clock.now();
    if (row.last_used_at === null || Date.parse(row.last_used_at) + TOUCH_INTERVAL_MS <= now) {
      // The copy learns the touch too (before the write: concurrent requests do not touch again).
      row.last_used_at = nowIso(now);
      await this.keys.touch(row.id, row.last_used_at);
    }
    return {
      userId: row.user_id,
      username: row.username,
      role: row.role,
      via: "apikey",
      apiKeyName: row.name,
      apiKeyScope: scopeOf(row.scope),
      mustChangePassword: row.must_change_password === 1,
      // Keys are for scripts: two-factor sign-in is about people signing in.
      mustEnrolTotp: false,
    };
  }
}

function validateKeyName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new ValidationError("name", "must not be empty");
  if (hasControlCharacters(trimmed)) throw new ValidationError("name", "must not contain control characters");
  return trimmed;
}
