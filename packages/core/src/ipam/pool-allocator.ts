// Address allocation inside one pool: lowest free address first, never the network, the IPv4
// broadcast or the gateway, never a wrap-around. In memory only: the database's unique (pool, address)
// constraint stays the last guard; this class must never enumerate the pool (a /64 has 2^64 addresses).
import { ConflictError, PoolExhaustedError, ValidationError } from "../errors.js";
import { formatAddress, type IpAddress, parseAddress } from "../ip/address.js";
import {
  type Cidr,
  cidrContains,
  firstUsable,
  formatCidr,
  isHostRoute,
  lastAddressOf,
  lastUsable,
  networkOf,
  parseCidr,
} from "../ip/cidr.js";
import { describeText } from "../ip/text.js";
import { BigIntMinHeap } from "./min-heap.js";

export interface PoolStats {
  /** Allocatable addresses: the pool minus network, IPv4 broadcast and gateway. */
  total: bigint;
  allocated: bigint;
  available: bigint;
  /** allocated / total, from 0 to 1. */
  utilization: number;
}

/**
 * Offsets from the network address. Invariant: every offset in [firstOffset, highWater) is either
 * allocated or in `released`; offsets from highWater up are free unless reserved ahead of the mark.
 * allocate, reserve, release and isAllocated are O(log n) amortised in the number of allocations.
 */
export class PoolAllocator {
  readonly pool: Cidr;
  readonly gateway: IpAddress;
  private readonly poolText: string;
  private readonly base: bigint;
  private readonly firstOffset: bigint;
  private readonly lastOffset: bigint;
  private readonly allocated = new Set<bigint>();
  /** Released offsets below highWater; may hold stale entries (reserved again), skipped on pop. */
  private readonly released = new BigIntMinHeap();
  private readonly inReleased = new Set<bigint>();
  private highWater: bigint;

  constructor(pool: Cidr | string) {
    const parsed = typeof pool === "string" ? parseCidr(pool, "pool") : pool;
    const bits = parsed.address.version === 4 ? 32 : 128;
    if (parsed.prefix > bits - 2) {
      throw new ValidationError(
        "pool",
        `${formatCidr(parsed)} is too small: a pool needs room for a gateway and at least one peer (at most /${bits - 2})`,
      );
    }
    this.pool = networkOf(parsed);
    this.poolText = formatCidr(this.pool);
    this.gateway = firstUsable(this.pool);
    this.base = this.pool.address.value;
    this.firstOffset = this.gateway.value - this.base + 1n;
    this.lastOffset = lastUsable(this.pool).value - this.base;
    this.highWater = this.firstOffset;
  }

  /** The lowest free address. PoolExhaustedError when there is none. */
  allocate(): IpAddress {
    const offset = this.takeReleased() ?? this.takeFresh();
    if (offset === undefined) throw new PoolExhaustedError(this.poolText);
    this.allocated.add(offset);
    return this.addressAt(offset);
  }

  /** Claims a chosen address (a peer created with its own, or one loaded from the database). */
  reserve(address: IpAddress | string, field = "addresses"): IpAddress {
    const wanted = this.toAddress(address, field);
    const offset = this.allocatableOffset(wanted, field);
    if (this.allocated.has(offset)) {
      throw new ConflictError(
        `address ${formatAddress(wanted)} is already allocated in ${this.poolText}`,
        field,
      );
    }
    this.allocated.add(offset);
    return this.addressAt(offset);
  }

  /** Gives an address back; true when it was allocated. Addresses outside the pool are never allocated. */
  release(address: IpAddress | string): boolean {
    const offset = this.offsetOf(this.toAddress(address, "address"));
    if (offset === undefined || !this.allocated.delete(offset)) return false;
    if (offset < this.highWater && !this.inReleased.has(offset)) {
      this.released.push(offset);
      this.inReleased.add(offset);
    }
    return true;
  }

  isAllocated(address: IpAddress | string): boolean {
    const offset = this.offsetOf(this.toAddress(address, "address"));
    return offset !== undefined && this.allocated.has(offset);
  }

  stats(): PoolStats {
    const total = this.lastOffset - this.firstOffset + 1n;
    const allocated = BigInt(this.allocated.size);
    return { total, allocated, available: total - allocated, utilization: Number(allocated) / Number(total) };
  }

  /** The lowest released offset that is still free, skipping entries reserved again since. */
  private takeReleased(): bigint | undefined {
    for (let offset = this.released.pop(); offset !== undefined; offset = this.released.pop()) {
      this.inReleased.delete(offset);
      if (!this.allocated.has(offset)) return offset;
    }
    return undefined;
  }

  /** The next never-used offset, stepping over addresses reserved ahead of the mark. */
  private takeFresh(): bigint | undefined {
    while (this.highWater <= this.lastOffset && this.allocated.has(this.highWater)) this.highWater++;
    if (this.highWater > this.lastOffset) return undefined;
    return this.highWater++;
  }

  private addressAt(offset: bigint): IpAddress {
    return { version: this.pool.address.version, value: this.base + offset };
  }

  /** The offset of an address inside the pool's range (network and broadcast included), else undefined. */
  private offsetOf(address: IpAddress): bigint | undefined {
    return cidrContains(this.pool, address) ? address.value - this.base : undefined;
  }

  private allocatableOffset(address: IpAddress, field: string): bigint {
    const text = formatAddress(address);
    const offset = this.offsetOf(address);
    if (offset === undefined)
      throw new ValidationError(field, `${text} is outside the pool ${this.poolText}`);
    if (offset === 0n) throw new ValidationError(field, `${text} is the network address of ${this.poolText}`);
    if (address.value === this.gateway.value) {
      throw new ValidationError(
        field,
        `${text} is the gateway of ${this.poolText} (the interface's own address)`,
      );
    }
    if (address.version === 4 && address.value === lastAddressOf(this.pool).value) {
      throw new ValidationError(field, `${text} is the broadcast address of ${this.poolText}`);
    }
    return offset;
  }

  /** Accepts an address, its text, or a host route text ("198.51.100.7/32"). */
  private toAddress(address: IpAddress | string, field: string): IpAddress {
    if (typeof address !== "string") return address;
    if (!address.includes("/")) return parseAddress(address, field);
    const cidr = parseCidr(address, field);
    if (!isHostRoute(cidr)) {
      throw new ValidationError(
        field,
        `${describeText(address)} is not a single address (expected /32 or /128)`,
      );
    }
    return cidr.address;
  }
}
