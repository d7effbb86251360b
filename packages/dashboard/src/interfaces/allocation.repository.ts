// SQL for `ip_allocations`, the table of which address of which interface pool belongs to which peer.
// Its unique (interface_id, pool, address) key is the last guard against double allocation. Every
// method takes the executor to run on: the caller's transaction when the write belongs to one.
import type { Insertable } from "kysely";
import { type Db, PreparedQuery } from "../db/index.js";
import type { IpAllocationTable } from "../db/schema.js";

export type NewAllocationRow = Insertable<IpAllocationTable>;

/** One address of a peer: its pool's key and the address text. */
export interface Allocation {
  pool: string;
  address: string;
}

export class AllocationRepository {
  constructor(private readonly db: Db) {}

  /**
   * Inserts the address rows that are still free and returns the keys ("pool|address") it inserted; a
   * taken one is skipped, not an error, so a PostgreSQL transaction survives a lost race.
   */
  async insertIfFree(rows: NewAllocationRow[], db: Db = this.db): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const inserted = await insertAllocations.rows(db, rows);
    return new Set(inserted.map((r) => `${r.pool}|${r.address}`));
  }

  async ofPeer(peerId: string, db: Db = this.db): Promise<Allocation[]> {
    return db
      .selectFrom("ip_allocations")
      .select(["pool", "address"])
      .where("peer_id", "=", peerId)
      .execute();
  }

  async deleteOfPeer(peerId: string, addresses: Allocation[], db: Db = this.db): Promise<void> {
    for (const { pool, address } of addresses) {
      await db
        .deleteFrom("ip_allocations")
        .where("peer_id", "=", peerId)
        .where("pool", "=", pool)
        .where("address", "=", address)
        .execute();
    }
  }

  /** Every address allocated in one pool of an interface (seeds the in-memory allocator). */
  async addressesOfPool(interfaceId: string, pool: string, db: Db = this.db): Promise<string[]> {
    const rows = await addressesOfPool.rows(db, interfaceId, pool);
    return rows.map((row) => row.address);
  }

  /** The pool's rows, as the kept count has them (migration 031): one row read, whatever the pool's size. */
  async countOfPool(interfaceId: string, pool: string): Promise<bigint> {
    const [row] = await poolAllocationCount.rows(this.db, interfaceId, pool);
    return BigInt(row?.allocated ?? 0);
  }

  /** Rows per (interface, pool) of these interfaces, from the kept counts; a pool without rows is absent. */
  async countsByPool(interfaceIds: readonly string[]): Promise<Map<string, bigint>> {
    const rows = await allocationCounts.rows(this.db, interfaceIds);
    return new Map(rows.map((r) => [`${r.interface_id}|${r.pool}`, BigInt(r.allocated)]));
  }
}

// Run by every peer creation (see db/prepared-query.ts).
const insertAllocations = new PreparedQuery((db: Db, rows: NewAllocationRow[]) =>
  db
    .insertInto("ip_allocations")
    .values(rows)
    .onConflict((oc) => oc.columns(["interface_id", "pool", "address"]).doNothing())
    .returning(["pool", "address"]),
);

/** Run by most creations (the allocator reloads a pool another replica wrote to). */
const addressesOfPool = new PreparedQuery((db: Db, interfaceId: string, pool: string) =>
  db
    .selectFrom("ip_allocations")
    .select("address")
    .where("interface_id", "=", interfaceId)
    .where("pool", "=", pool),
);

/** Run by every `auto` creation on interfaces with countable pools. */
const allocationCounts = new PreparedQuery((db: Db, interfaceIds: readonly string[]) =>
  db
    .selectFrom("pool_allocation_counts")
    .select(["interface_id", "pool", "allocated"])
    .where("interface_id", "in", interfaceIds),
);

/** Run by every creation (its pool's usage, for `pool.almost_full`). */
const poolAllocationCount = new PreparedQuery((db: Db, interfaceId: string, pool: string) =>
  db
    .selectFrom("pool_allocation_counts")
    .select("allocated")
    .where("interface_id", "=", interfaceId)
    .where("pool", "=", pool),
);
