// Login throttling and the public rate limits counted in the database, so that every replica behind
// a load balancer sees the same counts (an attacker gains nothing by spreading attempts over them).
// Fixed windows (a counter per key and window) instead of the memory version's sliding ones: a count
// is one upsert, and a key is blocked until its window ends. Same limits, same answers.

import {
  DEFAULT_LOGIN_RATE_LIMIT,
  LoginRateLimitedError,
  type LoginRateLimitSettings,
} from "../auth/login-rate-limiter.js";
import type { LoginThrottle } from "../auth/login-throttle.js";
import { type Clock, systemClock } from "../clock.js";
import type { PublicThrottle } from "../shares/public-throttle.js";
import { DEFAULT_SHARE_RATE_LIMIT, type ShareRateLimitSettings } from "../shares/share-rate-limiter.js";
import type { RateLimitRepository } from "./rate-limit.repository.js";

/** Old windows are removed every this many counts (per process): the table stays small. */
const PRUNE_EVERY = 200;

/** One kind of count (failures per address, requests per address...) with its limit and window. */
class SharedWindow {
  private sincePrune = 0;

  constructor(
    private readonly repository: RateLimitRepository,
    private readonly prefix: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  async count(key: string, now: number): Promise<number> {
    return this.repository.count(this.key(key), this.windowOf(now));
  }

  /** Milliseconds until the key may try again, 0 when it may now. */
  async blockedFor(key: string, now: number): Promise<number> {
    const start = this.windowOf(now);
    if ((await this.repository.count(this.key(key), start)) < this.limit) return 0;
    return Math.max(1, start + this.windowMs - now);
  }

  async record(key: string, now: number): Promise<void> {
    await this.repository.increment(this.key(key), this.windowOf(now));
    if (++this.sincePrune >= PRUNE_EVERY) {
      this.sincePrune = 0;
      await this.repository.pruneBefore(this.windowOf(now) - this.windowMs);
    }
  }

  async clear(key: string): Promise<void> {
    await this.repository.clear(this.key(key));
  }

  private key(key: string): string {
    return `${this.prefix}:${key}`;
  }

  private windowOf(now: number): number {
    return Math.floor(now / this.windowMs) * this.windowMs;
  }
}

export class DatabaseLoginThrottle implements LoginThrottle {
  private readonly byPair: SharedWindow;
  private readonly byAddress: SharedWindow;
  private readonly byUser: SharedWindow;

  constructor(
    repository: RateLimitRepository,
    private readonly settings: LoginRateLimitSettings = DEFAULT_LOGIN_RATE_LIMIT,
    private readonly clock: Clock = systemClock,
  ) {
    const { windowMs } = settings;
    this.byPair = new SharedWindow(repository, "login-pair", settings.maxFailures, windowMs);
    this.byAddress = new SharedWindow(repository, "login-address", settings.maxAddressFailures, windowMs);
    this.byUser = new SharedWindow(repository, "login-user", Number.MAX_SAFE_INTEGER, windowMs);
  }

  async check(username: string, address: string): Promise<void> {
    const now = this.clock.now();
    const waitMs = Math.max(
      await this.byPair.blockedFor(pairKey(username, address), now),
      await this.byAddress.blockedFor(address, now),
    );
    if (waitMs > 0) throw new LoginRateLimitedError(Math.ceil(waitMs / 1000));
  }

  async delayMs(username: string): Promise<number> {
    const failures = await this.byUser.count(userKey(username), this.clock.now());
    const beyond = failures - this.settings.maxFailures + 1;
    if (beyond <= 0) return 0;
    return Math.min(beyond * this.settings.userDelayStepMs, this.settings.maxUserDelayMs);
  }

  async recordFailure(username: string, address: string): Promise<void> {
    const now = this.clock.now();
    await this.byPair.record(pairKey(username, address), now);
    await this.byAddress.record(address, now);
    await this.byUser.record(userKey(username), now);
  }

  async recordSuccess(username: string, address: string): Promise<void> {
    await this.byPair.clear(pairKey(username, address));
    await this.byUser.clear(userKey(username));
  }
}

export class DatabasePublicThrottle implements PublicThrottle {
  private readonly requests: SharedWindow;
  private readonly misses: SharedWindow;

  constructor(
    repository: RateLimitRepository,
    settings: ShareRateLimitSettings = DEFAULT_SHARE_RATE_LIMIT,
    private readonly clock: Clock = systemClock,
  ) {
    this.requests = new SharedWindow(repository, "public-request", settings.maxRequests, settings.windowMs);
    this.misses = new SharedWindow(repository, "public-miss", settings.maxMisses, settings.windowMs);
  }

  async admit(address: string): Promise<number> {
    const now = this.clock.now();
    const waitMs = Math.max(
      await this.requests.blockedFor(address, now),
      await this.misses.blockedFor(address, now),
    );
    if (waitMs > 0) return Math.ceil(waitMs / 1000);
    await this.requests.record(address, now);
    return 0;
  }

  async recordMiss(address: string): Promise<void> {
    await this.misses.record(address, this.clock.now());
  }
}

function userKey(username: string): string {
  return username.toLowerCase();
}

function pairKey(username: string, address: string): string {
  return `${userKey(username)}\n${address}`;
}
