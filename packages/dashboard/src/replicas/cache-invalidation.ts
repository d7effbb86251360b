// Caches of database rows that another replica can change (node transports built from a node's URL,
// secret and name; the address pools' in-memory allocators) are told when their row changed elsewhere.
// A writer publishes `(kind, id)` after its change is committed, or — when the notice says what
// changed, so that receivers apply it instead of re-reading — inside the transaction that makes the
// change (sent only if it commits, and heard in commit order). Every other replica's cache of that kind
// drops or re-reads its copy of `id`, or applies the change. When notifications may have been missed
// (the listening connection was lost), every cache drops everything. PostgreSQL carries the notices
// (postgres-cache-invalidation.ts); SQLite has one process, whose writers keep its caches in step.
import type { Db } from "../db/index.js";

/** What a notice is about: a node row (its transport) or an interface's address pools. */
export type CacheKind = "node" | "pool";

/** A cache of one kind, as the invalidation sees it. */
export interface InvalidatedCache {
  /**
   * The row `id` changed in another replica: drop or re-read the copy of it — or, given `change` (what
   * the sender announced, as it sent it), apply that instead.
   */
  invalidate(id: string, change?: unknown): void | Promise<void>;
  /** Notices may have been missed: drop or re-read every copy. */
  invalidateAll(): void | Promise<void>;
}

export interface CacheInvalidation {
  /** Tells the other replicas that `id` changed (after the change is committed); never throws. */
  publish(kind: CacheKind, id: string): void;
  /**
   * Tells the other replicas, inside the writer's transaction `trx`, that `id` changed and how
   * (`change`, JSON). Heard only if `trx` commits, after the changes committed before it. A change too
   * large for one notice goes out as the plain notice (re-read `id`). Fails with the statement (the
   * transaction then fails too: nobody hears of a change that did not happen).
   */
  publishWithin(trx: Db, kind: CacheKind, id: string, change: unknown): Promise<void>;
  /** `cache` hears the notices of `kind` other replicas publish. */
  subscribe(kind: CacheKind, cache: InvalidatedCache): void;
  /** Starts listening (resolves once the first listening connection is up, or has failed). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** One process (SQLite): nobody else changes the rows, nothing to publish or hear. */
export class LocalCacheInvalidation implements CacheInvalidation {
  publish(_kind: CacheKind, _id: string): void {}
  async publishWithin(_trx: Db, _kind: CacheKind, _id: string, _change: unknown): Promise<void> {}
  subscribe(_kind: CacheKind, _cache: InvalidatedCache): void {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

/** The subscribers by kind, and the dispatch both implementations share. */
export class CacheSubscribers {
  private readonly caches = new Map<CacheKind, InvalidatedCache[]>();

  add(kind: CacheKind, cache: InvalidatedCache): void {
    this.caches.set(kind, [...(this.caches.get(kind) ?? []), cache]);
  }

  async invalidate(kind: CacheKind, id: string, change?: unknown): Promise<void> {
    await Promise.all((this.caches.get(kind) ?? []).map(async (cache) => cache.invalidate(id, change)));
  }

  async invalidateAll(): Promise<void> {
    const all = [...this.caches.values()].flat();
    await Promise.all(all.map(async (cache) => cache.invalidateAll()));
  }
}
