// The in-memory allocators of every interface pool, seeded from `ip_allocations` and kept in step with
// it. Memory only speeds things up: the table's unique key is the guard. Writers take the interface's
// row lock first (see PeerService), then lease here; a lost race marks the pool stale and the next
// lease, inside the same lock, reloads from the table through the caller's transaction — never
// through another connection, which on SQLite would wait for that very transaction. Other replicas
// follow by deltas: the transaction that writes or deletes allocation rows announces the addresses it
// takes and frees (`announce`, a notice heard only if it commits, in commit order), and each other
// replica reserves and releases them in the allocator it holds, without reading the table. A change
// too large for one notice, a deleted interface, or notices missed (the listening connection lost)
// make the pools be read again at their next use. A delta that crossed a reload can leave memory
// behind the table for an address: the lost race (or the exhausted pool) that follows reads it again.
import { formatAddress, type IpAddress, PoolAllocator, type PoolStats, parseAddress } from "@wgfleet/core";
import type { Db } from "../db/index.js";
import type { CacheInvalidation, InvalidatedCache } from "../replicas/cache-invalidation.js";
import type { Allocation, AllocationRepository } from "./allocation.repository.js";
import type { InterfaceRow } from "./interface.repository.js";
import { type InterfacePool, poolsOf } from "./interface-pools.js";

/** Mutable on purpose: a reload swaps the allocator, and leases holding the entry see the new one. */
interface PoolEntry {
  allocator: Promise<PoolAllocator>;
  /** The allocator promise has resolved. */
  settled: boolean;
  /** The executor of the load in progress (a transaction, or the database). */
  loadingWith: Db | null;
  /** The next use loads again (after a failed load or a lost race). */
  stale: boolean;
  /** Addresses taken in memory whose rows are not committed yet. */
  inFlight: Set<string>;
}

/** What one transaction does to an interface's pools (as the rows it inserts and deletes have it). */
export interface PoolChange {
  taken?: readonly Allocation[];
  released?: readonly Allocation[];
}

/** A PoolChange as a notice carries it: by pool key, the address texts taken and freed. */
type PoolDelta = Record<string, { taken?: string[]; released?: string[] }>;

/** Addresses taken for one unit of work; commit or abort exactly once. */
export interface AddressLease {
  addresses: Array<{ pool: InterfacePool; address: IpAddress }>;
  commit(): void;
  abort(): void;
}

export class AddressPools implements InvalidatedCache {
  private readonly entries = new Map<string, PoolEntry>();

  constructor(
    private readonly db: Db,
    private readonly allocations: AllocationRepository,
    /** Where this process's changes to a pool are announced to the other replicas. */
    private readonly invalidation: Pick<CacheInvalidation, "publish" | "publishWithin"> | null = null,
  ) {}

  /**
   * Tells the other replicas, inside the transaction `trx` that inserts and deletes these rows, which
   * addresses of the interface it takes and frees (call it once the rows are written; nobody hears it
   * unless `trx` commits). This process's own memory follows through its lease and releaseAllocations.
   */
  async announce(trx: Db, interfaceId: string, change: PoolChange): Promise<void> {
    await this.announceAll(trx, new Map([[interfaceId, change]]));
  }

  /** announce() for several interfaces at once: one notice statement for all of them. */
  async announceAll(trx: Db, changes: ReadonlyMap<string, PoolChange>): Promise<void> {
    if (!this.invalidation) return;
    const notices = [...changes].flatMap(([id, change]) => {
      const delta = poolDeltaOfChange(change);
      return Object.keys(delta).length > 0 ? [{ id, change: delta }] : [];
    });
    await this.invalidation.publishWithin(trx, "pool", notices);
  }

  /**
   * Another replica changed the interface's allocations: what it announced is applied to the pools held
   * here (one not held, or stale, reads the table at its next use, which has the change); without a
   * delta, its pools are read again at their next use.
   */
  invalidate(interfaceId: string, change?: unknown): void {
    const delta = poolDeltaOf(change);
    if (!delta) {
      for (const [key, entry] of this.entries) if (key.startsWith(`${interfaceId}|`)) entry.stale = true;
      return;
    }
    for (const [pool, { taken = [], released = [] }] of Object.entries(delta)) {
      const entry = this.entries.get(`${interfaceId}|${pool}`);
      if (!entry || entry.stale) continue;
      // After a load in progress (its rows may predate the change); in arrival order, which is commit order.
      void entry.allocator.then(
        (allocator) => {
          for (const address of released)
            if (!entry.inFlight.has(address)) releaseQuietly(allocator, address);
          for (const address of taken) reserveQuietly(allocator, address);
        },
        () => {
          // the load failed: the next one reads the table, which has the change
        },
      );
    }
  }

  /** Changes may have gone unheard: every pool is read again at its next use. */
  invalidateAll(): void {
    for (const entry of this.entries.values()) entry.stale = true;
  }

  /** Loads the pools' allocators now (outside any transaction), so a lease inside one finds them ready. */
  async prepare(interfaceId: string, pools: InterfacePool[]): Promise<void> {
    await Promise.all(pools.map((pool) => this.entry(interfaceId, pool, this.db).allocator));
  }

  /**
   * Takes one address from each pool: the requested one when given (ConflictError / ValidationError
   * naming `field`), otherwise the lowest free (PoolExhaustedError). `executor`: the transaction the
   * caller is in, used if the pool must be read from the table.
   */
  async lease(
    interfaceId: string,
    pools: InterfacePool[],
    requested: Map<string, IpAddress>,
    executor: Db = this.db,
    field = "addresses",
  ): Promise<AddressLease> {
    const taken: Array<{ pool: InterfacePool; address: IpAddress; entry: PoolEntry; text: string }> = [];
    try {
      for (const pool of pools) {
        const entry = this.entry(interfaceId, pool, executor);
        const allocator = await entry.allocator;
        const wanted = requested.get(pool.key);
        const address = wanted ? allocator.reserve(wanted, field) : allocator.allocate();
        const text = formatAddress(address);
        entry.inFlight.add(text);
        taken.push({ pool, address, entry, text });
      }
    } catch (error) {
      await this.giveBack(taken);
      throw error;
    }
    let settled = false;
    return {
      addresses: taken.map(({ pool, address }) => ({ pool, address })),
      commit: () => {
        if (settled) return;
        settled = true;
        for (const t of taken) t.entry.inFlight.delete(t.text);
      },
      abort: () => {
        if (settled) return;
        settled = true;
        void this.giveBack(taken);
      },
    };
  }

  /** Frees addresses whose rows were deleted (in a transaction that announced it). */
  async release(interfaceId: string, pool: InterfacePool, addresses: Iterable<string>): Promise<void> {
    const entry = this.entries.get(entryKey(interfaceId, pool));
    if (!entry || entry.stale) return;
    try {
      const allocator = await entry.allocator;
      for (const address of addresses) allocator.release(address);
    } catch {
      // a failed load: the next one reads the table, which no longer has these rows
    }
  }

  /** Frees, pool by pool, addresses of an interface whose rows were deleted. */
  async releaseAllocations(
    iface: Pick<InterfaceRow, "id" | "pool_v4" | "pool_v6">,
    allocations: Allocation[],
  ): Promise<void> {
    for (const pool of poolsOf(iface)) {
      const addresses = allocations.filter((a) => a.pool === pool.key).map((a) => a.address);
      if (addresses.length > 0) await this.release(iface.id, pool, addresses);
    }
  }

  /** Memory may be behind the table (another process allocated): the next use reads the table. */
  markStale(interfaceId: string, pool: InterfacePool): void {
    const entry = this.entries.get(entryKey(interfaceId, pool));
    if (entry) entry.stale = true;
  }

  /** Reads the table again now, through the caller's transaction. */
  async reload(interfaceId: string, pool: InterfacePool, executor: Db): Promise<void> {
    this.markStale(interfaceId, pool);
    await this.entry(interfaceId, pool, executor).allocator;
  }

  /** The interface is gone (its rows deleted): the other replicas read its pools again if they use them. */
  forgetInterface(interfaceId: string): void {
    this.invalidation?.publish("pool", interfaceId);
    for (const key of [...this.entries.keys()])
      if (key.startsWith(`${interfaceId}|`)) this.entries.delete(key);
  }

  /**
   * Usage as this process's allocator has it, when it holds the pool current (loaded, not stale): no
   * query, for the check after every creation whether it took the pool over a share. Addresses leased
   * but not committed are not counted. A pool not held here, still loading or stale: stats().
   */
  async heldStats(interfaceId: string, pool: InterfacePool): Promise<PoolStats> {
    const entry = this.entries.get(entryKey(interfaceId, pool));
    if (!entry?.settled || entry.stale) return this.stats(interfaceId, pool);
    const { total, allocated: held } = (await entry.allocator).stats();
    return poolStats(total, held - BigInt(entry.inFlight.size));
  }

  /**
   * Usage as the table has it (other dashboard processes share it; memory may be behind): the pool's
   * allocatable size, and the rows allocated in it.
   */
  async stats(interfaceId: string, pool: InterfacePool): Promise<PoolStats> {
    const count = await this.allocations.countOfPool(interfaceId, pool.key);
    const total = sizeOf(pool);
    // biome-ignore lint/complexity/useMathMinMax: bigints (Math.min takes numbers only)
    return poolStats(total, count > total ? total : count);
  }

  /**
   * The interfaces among these with a pool the table shows as full (what stats() calls available 0),
   * in one grouped count instead of one count per pool. A pool larger than any table can fill (more
   * than 2^53 addresses, e.g. an IPv6 /64) is not counted: it cannot be full.
   */
  async exhaustedInterfaces(
    interfaces: ReadonlyArray<{ id: string; pools: readonly InterfacePool[] }>,
  ): Promise<Set<string>> {
    const countable = interfaces.filter((iface) => iface.pools.some(canFill));
    if (countable.length === 0) return new Set();
    const allocated = await this.allocations.countsByPool(countable.map((iface) => iface.id));
    const exhausted = new Set<string>();
    for (const iface of countable) {
      for (const pool of iface.pools) {
        const count = allocated.get(entryKey(iface.id, pool)) ?? 0n;
        if (canFill(pool) && count >= sizeOf(pool)) exhausted.add(iface.id);
      }
    }
    return exhausted;
  }

  private entry(interfaceId: string, pool: InterfacePool, executor: Db): PoolEntry {
    const key = entryKey(interfaceId, pool);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        allocator: Promise.resolve(new PoolAllocator(pool.cidr)),
        settled: false,
        loadingWith: null,
        stale: true,
        inFlight: new Set(),
      };
      this.entries.set(key, entry);
    }
    // A load through another executor may be queued behind the caller's own transaction: load again.
    if (entry.stale || (!entry.settled && entry.loadingWith !== executor))
      this.startLoad(entry, interfaceId, pool, executor);
    return entry;
  }

  private startLoad(entry: PoolEntry, interfaceId: string, pool: InterfacePool, executor: Db): void {
    const promise = (async () => {
      const rows = await this.allocations.addressesOfPool(interfaceId, pool.key, executor);
      const allocator = new PoolAllocator(pool.cidr);
      for (const address of rows) reserveQuietly(allocator, address);
      for (const address of entry.inFlight) reserveQuietly(allocator, address);
      return allocator;
    })();
    entry.allocator = promise;
    entry.stale = false;
    entry.settled = false;
    entry.loadingWith = executor;
    promise.then(
      () => {
        if (entry.allocator !== promise) return;
        entry.settled = true;
        entry.loadingWith = null;
      },
      () => {
        if (entry.allocator !== promise) return;
        entry.stale = true;
        entry.loadingWith = null;
      },
    );
  }

  /** Releases in the allocators that handed the addresses out (captured now: a reload may follow). */
  private async giveBack(
    taken: Array<{ address: IpAddress; entry: PoolEntry; text: string }>,
  ): Promise<void> {
    const handedOutBy = taken.map((t) => ({ ...t, allocator: t.entry.allocator }));
    for (const t of handedOutBy) t.entry.inFlight.delete(t.text);
    for (const t of handedOutBy) {
      try {
        (await t.allocator).release(t.address);
      } catch {
        // the allocator failed to load: the next load reads the table, which has no row for it
      }
    }
  }
}

const sizes = new Map<string, bigint>();

/** More rows than a table of allocations can ever hold. */
const MAX_ROWS = BigInt(Number.MAX_SAFE_INTEGER);

/** Whether a pool can ever fill up: one larger than any table can hold (e.g. an IPv6 /64) cannot. */
export function canFill(pool: InterfacePool): boolean {
  return sizeOf(pool) <= MAX_ROWS;
}

/** Allocatable addresses of a pool (network, broadcast and gateway excluded), computed once per pool. */
function sizeOf(pool: InterfacePool): bigint {
  let size = sizes.get(pool.key);
  if (size === undefined) {
    size = new PoolAllocator(pool.cidr).stats().total;
    sizes.set(pool.key, size);
  }
  return size;
}

/** A pool's usage from its allocatable size and the addresses allocated in it. */
function poolStats(total: bigint, allocated: bigint): PoolStats {
  return {
    total,
    allocated,
    available: total - allocated,
    utilization: total === 0n ? 1 : Number(allocated) / Number(total),
  };
}

function entryKey(interfaceId: string, pool: InterfacePool): string {
  return `${interfaceId}|${pool.key}`;
}

/** What one transaction does to an interface's pools, as a notice carries it. */
function poolDeltaOfChange(change: PoolChange): PoolDelta {
  const delta: PoolDelta = {};
  for (const [side, rows] of [
    ["taken", change.taken ?? []],
    ["released", change.released ?? []],
  ] as const) {
    for (const { pool, address } of rows) {
      const ofPool = delta[pool] ?? {};
      delta[pool] = ofPool;
      const addresses = ofPool[side] ?? [];
      ofPool[side] = addresses;
      addresses.push(address);
    }
  }
  return delta;
}

/** A PoolDelta as announced, or null for anything else (a plain notice: read the pools again). */
function poolDeltaOf(change: unknown): PoolDelta | null {
  if (typeof change !== "object" || change === null) return null;
  const texts = (value: unknown) =>
    value === undefined || (Array.isArray(value) && value.every((v) => typeof v === "string"));
  for (const ofPool of Object.values(change)) {
    if (typeof ofPool !== "object" || ofPool === null) return null;
    if (!texts(ofPool.taken) || !texts(ofPool.released)) return null;
  }
  return change as PoolDelta;
}

function releaseQuietly(allocator: PoolAllocator, address: string): void {
  try {
    allocator.release(address);
  } catch {
    // not an address: nothing held
  }
}

/** A row that memory already holds (or one outside the pool after an edit) must not stop the load. */
function reserveQuietly(allocator: PoolAllocator, address: string): void {
  try {
    // Parsed once (an IPv6 text costs more to parse than the allocator's own work).
    const parsed = parseAddress(address);
    if (!allocator.isAllocated(parsed)) allocator.reserve(parsed);
  } catch {
    // not allocatable in this pool (gateway, outside): nothing to keep out of the free set
  }
}
