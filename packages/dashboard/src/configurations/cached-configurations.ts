// Configurations by name as every request on a configuration's peers reads them: a per-process copy
// (replicas/read-cache.ts), dropped on every change of the configuration (`configuration` notices, by
// configuration id: ConfigurationService's edits and deletion) and at most READ_CACHE_TTL_MS old.
import type { CacheInvalidation } from "../replicas/cache-invalidation.js";
import { ReadCache } from "../replicas/read-cache.js";
import type { ConfigurationRepository, ConfigurationRow } from "./configuration.repository.js";

export class CachedConfigurations {
  /** Name → the configuration's row; a notice names the id. */
  private readonly byName: ReadCache<ConfigurationRow>;

  constructor(
    private readonly rows: Pick<ConfigurationRepository, "findByName" | "findById">,
    invalidation: Pick<CacheInvalidation, "subscribe" | "catchUp">,
  ) {
    this.byName = new ReadCache(invalidation, "configuration", { concerns: (row, id) => row.id === id });
  }

  async findByName(name: string): Promise<ConfigurationRow | undefined> {
    return this.byName.get(name, () => this.rows.findByName(name));
  }

  async findById(id: string): Promise<ConfigurationRow | undefined> {
    return this.rows.findById(id);
  }
}
