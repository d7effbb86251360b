// ipam: how fast the pool allocator fills, allocates and recycles addresses (issue 2's targets).
// Each figure is the median of several runs on a fresh allocator; the cold first run is reported too.
import { type IpAddress, PoolAllocator } from "@wgfleet/core";
import type { BenchResult, BenchSuite } from "../types.js";

const RUNS = 5;
const V4_POOL = "198.51.0.0/16";
const V6_POOL = "2001:db8::/64";
const V6_ALLOCATIONS = 100_000;
const RECYCLED = 10_000;

/** mulberry32: a small seeded PRNG, so every run releases the same addresses. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seconds(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Runs a measurement RUNS times; the median is the figure, min, max and the cold first run are details. */
function measure(
  name: string,
  target: string,
  once: () => number,
  details: Record<string, unknown>,
): BenchResult {
  const times = Array.from({ length: RUNS }, once);
  const first = times[0] as number;
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(RUNS / 2)] as number;
  return {
    bench: name,
    value: median,
    unit: "s",
    target,
    runs: RUNS,
    min: sorted[0],
    max: sorted[RUNS - 1],
    first,
    ...details,
  };
}

function fillAll(allocator: PoolAllocator): IpAddress[] {
  const total = Number(allocator.stats().total);
  const handed = new Array<IpAddress>(total);
  for (let i = 0; i < total; i++) handed[i] = allocator.allocate();
  return handed;
}

function fillV4(): number {
  const allocator = new PoolAllocator(V4_POOL);
  const time = seconds(() => fillAll(allocator));
  if (allocator.stats().available !== 0n) throw new Error("fill_v4_16: the pool is not full");
  return time;
}

function allocV6(): number {
  const allocator = new PoolAllocator(V6_POOL);
  let last: IpAddress | undefined;
  const time = seconds(() => {
    for (let i = 0; i < V6_ALLOCATIONS; i++) last = allocator.allocate();
  });
  if (last?.value !== allocator.pool.address.value + BigInt(V6_ALLOCATIONS + 1)) {
    throw new Error("alloc_v6_64_100k: allocations are not lowest-first");
  }
  return time;
}

/** Distinct random picks (a partial Fisher-Yates shuffle), the same for every run. */
function pickReleased(handed: IpAddress[], count: number, random: () => number): IpAddress[] {
  const pool = [...handed];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j] as IpAddress, pool[i] as IpAddress];
  }
  return pool.slice(0, count);
}

function releaseRealloc(): number {
  const allocator = new PoolAllocator(V4_POOL);
  const released = pickReleased(fillAll(allocator), RECYCLED, seededRandom(0x1f1ee7));
  const again = new Array<IpAddress>(RECYCLED);
  const time = seconds(() => {
    for (const address of released) allocator.release(address);
    for (let i = 0; i < RECYCLED; i++) again[i] = allocator.allocate();
  });
  const expected = released.map((a) => a.value).sort((a, b) => (a < b ? -1 : 1));
  if (!again.every((address, i) => address.value === expected[i])) {
    throw new Error("release_realloc_v4_16: reallocated addresses are not the released ones, lowest first");
  }
  return time;
}

const suite: BenchSuite = {
  name: "ipam",
  description: "PoolAllocator: fill a /16, 100k allocations in a /64, recycle 10k addresses of a full /16",
  async *run() {
    yield measure("ipam.fill_v4_16", "< 0.5", fillV4, { pool: V4_POOL, addresses: 65533 });
    yield measure("ipam.alloc_v6_64_100k", "< 1", allocV6, { pool: V6_POOL, addresses: V6_ALLOCATIONS });
    yield measure("ipam.release_realloc_v4_16", "< 0.2", releaseRealloc, {
      pool: V4_POOL,
      addresses: RECYCLED,
      seed: "0x1f1ee7",
    });
  },
};

export default suite;
