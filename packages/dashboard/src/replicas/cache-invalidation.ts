// Caches of database rows that another replica can change (node transports built from a node's URL,
// secret and name; the address pools' in-memory allocators) are told when their row changed elsewhere.
// A writer publishes `(kind, id)` after its change is committed, or — when the notice says what
// changed, so that receivers apply it instead of re-reading — inside the transaction that makes the
// change (sent only if it commits, and heard in commit order). Every other replica's cache of that kind
// drops or re-reads its copy of `id`, or applies the change. When notifications may have been missed
// (the listening connection was lost), every cache drops everything. PostgreSQL carries the notices
// (postgres-cache-invalidation.ts); SQLite has one process, whose writers keep its caches in step.
// changed() is the writer's one call for the read caches (read-cache.ts): this process's caches drop
// the copy at once, the other replicas' when the notice arrives.
import type { Db } from "../db/index.js";

/** Every kind a notice may be about (a notice of another kind is not one of ours). */
export const CACHE_KINDS = ["node", "pool", "credential", "configuration", "webhook"] as const;

/**
 * What a notice is about: a node row (its transport), an interface's address pools, a user's
 * credentials (id: the user; their API keys, role, password-change requirement), a configuration
 * (id: the configuration; its row or its interfaces' settings), a webhook (id: the webhook).
 */
export type CacheKind = (typeof CACHE_KINDS)[number];

/** One row's change as announced inside the writer's transaction (publishWithin). */
export interface ChangeNotice {
  id: string;
  /** What changed, as JSON the receivers' cache understands (e.g. a pool's delta). */
  change: unknown;
}

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
   * This process changed `id` (committed): its own caches of `kind` drop their copy now, the other
   * replicas' once the notice arrives. Call it after the commit: a read between the drop and the commit
   * would keep the old row.
   */
  changed(kind: CacheKind, id: string): Promise<void>;
  /**
   * Tells the other replicas, inside the writer's transaction `trx`, that each notice's `id` changed
   * and how (`change`, JSON): one statement for all of them. Heard only if `trx` commits, after the
   * changes committed before it. A change too large for one notice goes out as the plain notice
   * (re-read `id`). Fails with the statement (the transaction then fails too: nobody hears of a change
   * that did not happen).
   */
  publishWithin(trx: Db, kind: CacheKind, notices: readonly ChangeNotice[]): Promise<void>;
  /** `cache` hears the notices of `kind` other replicas publish. */
  subscribe(kind: CacheKind, cache: InvalidatedCache): void;
  /**
   * Before a copy is used: changes no notice announces are caught up with now. SQLite: another process
   * (an admin command) committed since the last look, and every cache drops everything. PostgreSQL:
   * nothing to do (admin commands announce their changes like replicas).
   */
  catchUp(): void;
  /** Starts listening (resolves once the first listening connection is up, or has failed). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One serving process (SQLite): nothing to publish or hear; changed() drops here. An admin command's
 * commits (another process) are seen by `outsideCommits` (SQLite's data_version) changing.
 */
export class LocalCacheInvalidation implements CacheInvalidation {
  private readonly subscribers = new CacheSubscribers();
  private seenCommits: number | null = null;

  constructor(private readonly outsideCommits: (() => number) | null = null) {}

  publish(_kind: CacheKind, _id: string): void {}
  async publishWithin(_trx: Db, _kind: CacheKind, _notices: readonly ChangeNotice[]): Promise<void> {}
  catchUp(): void {
    const commits = this.outsideCommits?.() ?? null;
    if (commits === this.seenCommits) return;
    const first = this.seenCommits === null;
    this.seenCommits = commits;
    // A cache whose re-read fails is no worse off than before the commit (RemoteNodes: the health
    // poller refreshes it); the read caches drop synchronously and cannot fail.
    if (!first) this.subscribers.invalidateAll().catch(() => {});
  }
  async changed(kind: CacheKind, id: string): Promise<void> {
    await this.subscribers.invalidate(kind, id);
  }
  subscribe(kind: CacheKind, cache: InvalidatedCache): void {
    this.subscribers.add(kind, cache);
  }
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
