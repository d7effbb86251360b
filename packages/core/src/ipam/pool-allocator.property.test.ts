// Property tests: the allocator against a reference model that scans for the lowest free address
// (correct by inspection), over random sequences of allocate / release / reserve.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConflictError, PoolExhaustedError, ValidationError } from "../errors.js";
import { formatAddress, type IpAddress } from "../ip/address.js";
import { cidrSize, parseCidr } from "../ip/cidr.js";
import { PoolAllocator } from "./pool-allocator.js";

type Op = { kind: "allocate" } | { kind: "release"; offset: bigint } | { kind: "reserve"; offset: bigint };

/** The rules written the slow, obvious way: offsets from the network address. */
class ReferenceModel {
  readonly allocated = new Set<bigint>();
  readonly first = 2n;
  readonly last: bigint;

  constructor(
    size: bigint,
    readonly version: 4 | 6,
  ) {
    this.last = version === 4 ? size - 2n : size - 1n;
  }

  allocate(): bigint | "exhausted" {
    // terminates within |allocated| + 1 steps, so it also works on a /64
    for (let offset = this.first; offset <= this.last; offset++) {
      if (!this.allocated.has(offset)) {
        this.allocated.add(offset);
        return offset;
      }
    }
    return "exhausted";
  }

  reserve(offset: bigint): bigint | "invalid" | "conflict" {
    if (offset < this.first || offset > this.last) return "invalid";
    if (this.allocated.has(offset)) return "conflict";
    this.allocated.add(offset);
    return offset;
  }

  release(offset: bigint): boolean {
    return this.allocated.delete(offset);
  }
}

function outcome(run: () => IpAddress): bigint | string {
  try {
    return run().value;
  } catch (error) {
    if (error instanceof PoolExhaustedError) return "exhausted";
    if (error instanceof ConflictError) return "conflict";
    if (error instanceof ValidationError) return "invalid";
    throw error;
  }
}

/** Offsets cover the whole block and a little outside it (negative and past the end). */
function ops(size: bigint, far: bigint[] = []): fc.Arbitrary<Op[]> {
  const offset = fc.oneof(
    { weight: 8, arbitrary: fc.bigInt({ min: -2n, max: size + 1n < 64n ? size + 1n : 64n }) },
    { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: size + 1n }) },
    { weight: 1, arbitrary: fc.constantFrom(0n, 1n, size - 1n, ...far) },
  );
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: fc.constant({ kind: "allocate" as const }) },
    { weight: 3, arbitrary: offset.map((o) => ({ kind: "release" as const, offset: o })) },
    { weight: 2, arbitrary: offset.map((o) => ({ kind: "reserve" as const, offset: o })) },
  );
  return fc.array(op, { maxLength: 120 });
}

function runAgainstModel(poolText: string, sequence: Op[]): void {
  const pool = parseCidr(poolText);
  const allocator = new PoolAllocator(pool);
  const base = allocator.pool.address.value;
  const version = pool.address.version;
  const model = new ReferenceModel(cidrSize(pool), version);
  const at = (offset: bigint): IpAddress => ({ version, value: base + offset });
  for (const op of sequence) {
    if (op.kind === "allocate") {
      const expected = model.allocate();
      expect(outcome(() => allocator.allocate())).toBe(expected === "exhausted" ? expected : base + expected);
    } else if (op.kind === "reserve") {
      const expected = model.reserve(op.offset);
      const got = outcome(() => allocator.reserve(at(op.offset)));
      expect(got).toBe(typeof expected === "bigint" ? base + expected : expected);
    } else {
      expect(allocator.release(at(op.offset))).toBe(model.release(op.offset));
    }
    expect(allocator.stats().allocated).toBe(BigInt(model.allocated.size));
  }
  for (const offset of model.allocated) expect(allocator.isAllocated(at(offset))).toBe(true);
}

describe("PoolAllocator against the reference model", () => {
  it.each(["198.51.100.0/28", "198.51.100.16/29", "203.0.113.0/30", "2001:db8::/124", "2001:db8::/126"])(
    "%s: same answer to every allocate / release / reserve",
    (pool) => {
      fc.assert(
        fc.property(ops(cidrSize(parseCidr(pool))), (sequence) => runAgainstModel(pool, sequence)),
        { numRuns: 400 },
      );
    },
  );

  it("2001:db8::/64: the same, with reserves far up the pool", () => {
    const size = 1n << 64n;
    fc.assert(
      fc.property(ops(size, [size - 1n, size - 2n, 1n << 40n]), (sequence) =>
        runAgainstModel("2001:db8::/64", sequence),
      ),
      { numRuns: 200 },
    );
  });
});

describe("PoolAllocator invariants", () => {
  it("never hands out the network, broadcast or gateway address, never one address twice", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("198.51.100.0/28", "198.51.100.64/27", "2001:db8::/124"),
        fc.array(fc.boolean(), { maxLength: 80 }),
        (poolText, releases) => {
          const allocator = new PoolAllocator(poolText);
          const pool = allocator.pool;
          const forbidden = new Set([pool.address.value, allocator.gateway.value]);
          if (pool.address.version === 4) forbidden.add(pool.address.value + cidrSize(pool) - 1n);
          const held = new Set<bigint>();
          for (const release of releases) {
            if (release && held.size > 0) {
              const [first] = held;
              held.delete(first as bigint);
              expect(allocator.release({ version: pool.address.version, value: first as bigint })).toBe(true);
              continue;
            }
            let address: IpAddress;
            try {
              address = allocator.allocate();
            } catch (error) {
              expect(error).toBeInstanceOf(PoolExhaustedError);
              expect(BigInt(held.size)).toBe(allocator.stats().total);
              continue;
            }
            expect(forbidden.has(address.value)).toBe(false);
            expect(held.has(address.value)).toBe(false);
            held.add(address.value);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a released address is the next one handed out when it is the lowest free", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.nat(), (count, pick) => {
        const allocator = new PoolAllocator("198.51.100.0/24");
        const handed = Array.from({ length: count }, () => allocator.allocate());
        const victim = handed[pick % count] as IpAddress;
        expect(allocator.release(victim)).toBe(true);
        expect(allocator.isAllocated(victim)).toBe(false);
        expect(formatAddress(allocator.allocate())).toBe(formatAddress(victim));
      }),
    );
  });
});
