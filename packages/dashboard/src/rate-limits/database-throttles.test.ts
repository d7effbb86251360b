// Two throttles on one database stand for two replicas: what one counts, the other refuses.
import { afterEach, beforeEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { LoginRateLimitedError } from "../auth/login-rate-limiter.js";
import { DatabaseLoginThrottle, DatabasePublicThrottle } from "./database-throttles.js";
import { RateLimitRepository } from "./rate-limit.repository.js";

const LOGIN = {
  maxFailures: 3,
  maxAddressFailures: 5,
  windowMs: 60_000,
  maxKeys: 100,
  userDelayStepMs: 100,
  maxUserDelayMs: 300,
};

forEachEngine("database throttles", (open) => {
  let opened: OpenedDatabase;
  let now = 1_000_000_000_000;
  const clock = { now: () => now };
  beforeEach(async () => {
    opened = await open();
    now = 1_000_000_000_000;
  });
  afterEach(() => opened.close());

  it("refuses on one replica the address that failed on another, until the window ends", async () => {
    const a = new DatabaseLoginThrottle(new RateLimitRepository(opened.db), LOGIN, clock);
    const b = new DatabaseLoginThrottle(new RateLimitRepository(opened.db), LOGIN, clock);
    for (let i = 0; i < 3; i++) await a.recordFailure("Admin", "203.0.113.7");
    await expect(b.check("admin", "203.0.113.7")).rejects.toBeInstanceOf(LoginRateLimitedError);
    // Another address is not refused; the name is only slowed down.
    await expect(b.check("admin", "203.0.113.8")).resolves.toBeUndefined();
    expect(await b.delayMs("admin")).toBe(100);
    now += 60_000;
    await expect(b.check("admin", "203.0.113.7")).resolves.toBeUndefined();
  });

  it("a good password on one replica clears the name's counts for all", async () => {
    const a = new DatabaseLoginThrottle(new RateLimitRepository(opened.db), LOGIN, clock);
    const b = new DatabaseLoginThrottle(new RateLimitRepository(opened.db), LOGIN, clock);
    for (let i = 0; i < 4; i++) await a.recordFailure("admin", "203.0.113.9");
    expect(await b.delayMs("admin")).toBe(200);
    await b.recordSuccess("admin", "203.0.113.9");
    expect(await a.delayMs("admin")).toBe(0);
    await expect(a.check("admin", "203.0.113.9")).resolves.toBeUndefined();
  });

  it("counts public requests and misses across replicas", async () => {
    const settings = { maxRequests: 4, maxMisses: 2, windowMs: 60_000, maxKeys: 100 };
    const a = new DatabasePublicThrottle(new RateLimitRepository(opened.db), settings, clock);
    const b = new DatabasePublicThrottle(new RateLimitRepository(opened.db), settings, clock);
    expect(await a.admit("198.51.100.9")).toBe(0);
    expect(await b.admit("198.51.100.9")).toBe(0);
    await a.recordMiss("198.51.100.9");
    await b.recordMiss("198.51.100.9");
    const wait = await a.admit("198.51.100.9");
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await b.admit("198.51.100.10")).toBe(0);
  });
});
