// A configuration's interfaces as every peer creation reads them: a per-process copy
// (replicas/read-cache.ts), dropped on every change of the configuration's interfaces (`configuration`
// notices, by configuration id: an interface added, deleted, its settings changed, its node deleted)
// and at most READ_CACHE_TTL_MS old. The copy leaves out the columns every change of a peer rewrites
// (revision, updated_at): a creation takes its revision from the bump's RETURNING, never from here.
import type { CacheInvalidation } from "../replicas/cache-invalidation.js";
import { ReadCache } from "../replicas/read-cache.js";
import type { InterfaceRepository, InterfaceRow } from "./interface.repository.js";

/** An interface without the columns its peers' changes rewrite: what may be kept in a copy. */
export type StableInterfaceRow = Omit<InterfaceRow, "revision" | "updated_at">;

export class CachedInterfaces {
  /** Configuration id → its interfaces (ordered by node id). */
  private readonly copies: ReadCache<StableInterfaceRow[]>;

  constructor(
    private readonly interfaces: Pick<InterfaceRepository, "listByConfiguration">,
    invalidation: Pick<CacheInvalidation, "subscribe" | "catchUp">,
  ) {
    this.copies = new ReadCache(invalidation, "configuration");
  }

  async listByConfiguration(configurationId: string): Promise<StableInterfaceRow[]> {
    const read = async () => (await this.interfaces.listByConfiguration(configurationId)).map(stableColumns);
    return (await this.copies.get(configurationId, read)) ?? [];
  }
}

function stableColumns({
  revision: _revision,
  updated_at: _updatedAt,
  ...row
}: InterfaceRow): StableInterfaceRow {
  return row;
}
