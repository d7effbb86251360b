// A per-process copy of rows that nearly every request reads and that rarely change (an API key with
// its user, a configuration by name, its interfaces, the enabled webhooks). The rows' writers call
// CacheInvalidation.changed(kind, id) after their commit: this process drops the copy at once, the
// other replicas when the notice arrives; a lost listening connection drops everything. A copy also
// expires READ_CACHE_TTL_MS after its read began, which bounds how long a change can go unseen when a
// notice is lost. On SQLite an admin command (another process) sends no notice: every read first asks
// CacheInvalidation.catchUp(), which sees its commits (SQLite's data_version) and drops everything.
// A read that began before a drop is not kept (its rows may be the old ones); misses are not kept.
import type { CacheInvalidation, CacheKind, InvalidatedCache } from "./cache-invalidation.js";

/** The longest a copy is used: a change whose notice got lost is seen at most this late. */
export const READ_CACHE_TTL_MS = 5_000;
/** Past this many copies, the expired ones are swept out whenever one is added. */
const SWEEP_ABOVE = 1_000;

export interface ReadCacheOptions<V> {
  /** Whether a notice about `id` concerns this copy (besides the one stored under the key `id`). */
  concerns?: (value: V, id: string) => boolean;
}

export class ReadCache<V> implements InvalidatedCache {
  private readonly copies = new Map<string, { value: V; expiresAt: number }>();
  /** Raised by every drop: a read that began under an older one is not kept. */
  private generation = 0;

  /** Dropped by the notices of `kind` (the key, or the copies `concerns` says a notice is about). */
  constructor(
    private readonly invalidation: Pick<CacheInvalidation, "subscribe" | "catchUp">,
    kind: CacheKind,
    private readonly options: ReadCacheOptions<V> = {},
  ) {
    invalidation.subscribe(kind, this);
  }

  /** The copy under `key` while it is fresh, else what `read` finds (kept unless undefined). */
  async get(key: string, read: () => Promise<V | undefined>): Promise<V | undefined> {
    this.invalidation.catchUp();
    const startedAt = Date.now();
    const copy = this.copies.get(key);
    if (copy && copy.expiresAt > startedAt) return copy.value;
    const generation = this.generation;
    const value = await read();
    if (value === undefined || generation !== this.generation) return value;
    if (this.copies.size >= SWEEP_ABOVE) this.sweep(startedAt);
    this.copies.set(key, { value, expiresAt: startedAt + READ_CACHE_TTL_MS });
    return value;
  }

  invalidate(id: string): void {
    this.generation++;
    const concerns = this.options.concerns;
    for (const [key, copy] of this.copies) {
      if (key === id || concerns?.(copy.value, id)) this.copies.delete(key);
    }
  }

  invalidateAll(): void {
    this.generation++;
    this.copies.clear();
  }

  private sweep(now: number): void {
    for (const [key, copy] of this.copies) if (copy.expiresAt <= now) this.copies.delete(key);
  }
}
