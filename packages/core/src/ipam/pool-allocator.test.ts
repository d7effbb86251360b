import { describe, expect, it } from "vitest";
import { ConflictError, PoolExhaustedError, ValidationError } from "../errors.js";
import { formatAddress, parseAddress } from "../ip/address.js";
import { formatCidr, hostRoute, parseCidr } from "../ip/cidr.js";
import { PoolAllocator } from "./pool-allocator.js";

const text = (allocator: PoolAllocator) => formatAddress(allocator.allocate());

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("PoolAllocator: the pool", () => {
  it("clears host bits and takes the first usable address as gateway", () => {
    const allocator = new PoolAllocator("198.51.100.77/24");
    expect(formatCidr(allocator.pool)).toBe("198.51.100.0/24");
    expect(formatAddress(allocator.gateway)).toBe("198.51.100.1");
    const v6 = new PoolAllocator(parseCidr("2001:db8:0:0:5::/64"));
    expect(formatCidr(v6.pool)).toBe("2001:db8::/64");
    expect(formatAddress(v6.gateway)).toBe("2001:db8::1");
  });

  it.each(["198.51.100.0/31", "198.51.100.7/32", "2001:db8::/127", "2001:db8::1/128", "198.51.100.1"])(
    "rejects %s as too small",
    (pool) => {
      const error = thrown(() => new PoolAllocator(pool));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe("pool");
      expect((error as ValidationError).message).toContain("too small");
    },
  );

  it("rejects a pool that does not parse, naming the field", () => {
    const error = thrown(() => new PoolAllocator("198.51.100.0/33"));
    expect((error as ValidationError).field).toBe("pool");
  });

  it("a /30 holds one peer, an IPv6 /126 two", () => {
    const v4 = new PoolAllocator("198.51.100.0/30");
    expect(v4.stats().total).toBe(1n);
    expect(text(v4)).toBe("198.51.100.2");
    expect(() => v4.allocate()).toThrow(PoolExhaustedError);
    const v6 = new PoolAllocator("2001:db8::/126");
    expect([text(v6), text(v6)]).toEqual(["2001:db8::2", "2001:db8::3"]);
    expect(() => v6.allocate()).toThrow(PoolExhaustedError);
  });
});

describe("PoolAllocator: allocate", () => {
  it("hands out the lowest free address, never network, gateway or broadcast, then is exhausted for good", () => {
    const allocator = new PoolAllocator("198.51.100.0/24");
    const handed = Array.from({ length: 253 }, () => text(allocator));
    expect(handed[0]).toBe("198.51.100.2");
    expect(handed[252]).toBe("198.51.100.254");
    expect(new Set(handed).size).toBe(253);
    expect(handed).not.toContain("198.51.100.0");
    expect(handed).not.toContain("198.51.100.1");
    expect(handed).not.toContain("198.51.100.255");
    const error = thrown(() => allocator.allocate());
    expect(error).toBeInstanceOf(PoolExhaustedError);
    expect((error as PoolExhaustedError).message).toContain("198.51.100.0/24");
    expect(() => allocator.allocate()).toThrow(PoolExhaustedError); // no wrap-around, ever
  });

  it("gives released addresses back lowest first", () => {
    const allocator = new PoolAllocator("198.51.100.0/24");
    for (let i = 0; i < 10; i++) allocator.allocate(); // .2 .. .11
    expect(allocator.release("198.51.100.9")).toBe(true);
    expect(allocator.release(parseAddress("198.51.100.4"))).toBe(true);
    expect(allocator.release("198.51.100.7/32")).toBe(true);
    expect([text(allocator), text(allocator), text(allocator), text(allocator)]).toEqual([
      "198.51.100.4",
      "198.51.100.7",
      "198.51.100.9",
      "198.51.100.12",
    ]);
  });

  it("steps over addresses reserved ahead of the next fresh one", () => {
    const allocator = new PoolAllocator("198.51.100.0/24");
    allocator.reserve("198.51.100.3");
    allocator.reserve("198.51.100.4");
    allocator.reserve("198.51.100.200");
    expect([text(allocator), text(allocator), text(allocator)]).toEqual([
      "198.51.100.2",
      "198.51.100.5",
      "198.51.100.6",
    ]);
    expect(allocator.release("198.51.100.200")).toBe(true);
    allocator.release("198.51.100.3");
    expect(text(allocator)).toBe("198.51.100.3");
  });

  it("an IPv6 /64 works without enumerating it, up to its very last address", () => {
    const allocator = new PoolAllocator("2001:db8::/64");
    expect(allocator.stats().total).toBe((1n << 64n) - 2n);
    expect(text(allocator)).toBe("2001:db8::2");
    expect(formatAddress(allocator.reserve("2001:db8::ffff:ffff:ffff:ffff"))).toBe(
      "2001:db8::ffff:ffff:ffff:ffff",
    );
    for (let i = 0; i < 1000; i++) allocator.allocate();
    expect(text(allocator)).toBe("2001:db8::3eb");
    expect(allocator.stats().allocated).toBe(1003n);
  });

  it("hands addresses that become host routes (/32, /128), never the pool prefix", () => {
    const v4 = new PoolAllocator("198.51.100.0/24");
    const v6 = new PoolAllocator("2001:db8::/64");
    expect(formatCidr(hostRoute(v4.allocate()))).toBe("198.51.100.2/32");
    expect(formatCidr(hostRoute(v6.allocate()))).toBe("2001:db8::2/128");
    expect(hostRoute(v4.allocate()).prefix).not.toBe(v4.pool.prefix);
  });
});

describe("PoolAllocator: reserve", () => {
  it("claims a free address once; a second claim is a conflict naming the field", () => {
    const allocator = new PoolAllocator("198.51.100.0/24");
    expect(formatAddress(allocator.reserve("198.51.100.50", "peers[0].addresses"))).toBe("198.51.100.50");
    expect(allocator.isAllocated("198.51.100.50")).toBe(true);
    const error = thrown(() => allocator.reserve(parseAddress("198.51.100.50"), "peers[0].addresses"));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).field).toBe("peers[0].addresses");
    expect((error as ConflictError).message).toContain("198.51.100.50");
  });

  it("a reserved address is never allocated, a released reserved one is", () => {
    const allocator = new PoolAllocator("198.51.100.0/29"); // .2 .. .6
    allocator.reserve("198.51.100.2");
    expect(text(allocator)).toBe("198.51.100.3");
    allocator.release("198.51.100.3");
    allocator.reserve("198.51.100.3");
    expect(text(allocator)).toBe("198.51.100.4");
  });

  it.each([
    ["198.51.101.2", "outside the pool"],
    ["2001:db8::2", "outside the pool"],
    ["198.51.100.0", "network address"],
    ["198.51.100.1", "gateway"],
    ["198.51.100.255", "broadcast"],
    ["198.51.100.0/24", "not a single address"],
    ["198.51.100.300", "out of range"],
  ])("rejects %s (%s)", (address, reason) => {
    const allocator = new PoolAllocator("198.51.100.0/24");
    const error = thrown(() => allocator.reserve(address, "addresses[0]"));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("addresses[0]");
    expect((error as ValidationError).message).toContain(reason);
  });

  it("IPv6 has no broadcast: the last address is allocatable, network and gateway are not", () => {
    const allocator = new PoolAllocator("2001:db8::/120");
    expect(formatAddress(allocator.reserve("2001:db8::ff"))).toBe("2001:db8::ff");
    expect(() => allocator.reserve("2001:db8::")).toThrow(/network address/);
    expect(() => allocator.reserve("2001:db8::1")).toThrow(/gateway/);
  });
});

describe("PoolAllocator: release, isAllocated, stats", () => {
  it("release is true only for an allocated address", () => {
    const allocator = new PoolAllocator("198.51.100.0/24");
    const address = allocator.allocate();
    expect(allocator.release("198.51.100.3")).toBe(false);
    expect(allocator.release("198.51.100.1")).toBe(false);
    expect(allocator.release("203.0.113.2")).toBe(false);
    expect(allocator.release("2001:db8::2")).toBe(false);
    expect(allocator.release(address)).toBe(true);
    expect(allocator.release(address)).toBe(false);
    expect(allocator.isAllocated(address)).toBe(false);
    expect(() => allocator.release("garbage")).toThrow(ValidationError);
  });

  it("counts allocatable addresses, excluding network, broadcast and gateway", () => {
    const allocator = new PoolAllocator("198.51.100.0/24");
    expect(allocator.stats()).toEqual({ total: 253n, allocated: 0n, available: 253n, utilization: 0 });
    allocator.allocate();
    allocator.reserve("198.51.100.100");
    const stats = allocator.stats();
    expect(stats).toMatchObject({ total: 253n, allocated: 2n, available: 251n });
    expect(stats.utilization).toBeCloseTo(2 / 253, 10);
    allocator.release("198.51.100.100");
    expect(allocator.stats().allocated).toBe(1n);
  });
});
