// Login throttling that nobody can turn against a user: failures are counted per (username, address)
// and per address in a sliding window, and either one reaching its limit refuses logins from that
// address (429). Per username alone there is only a short, growing delay — never a lock — so ten wrong
// passwords from anywhere cannot keep the admin out: the right password from an address that has not
// failed gets in. In memory, for one process (SQLite); on PostgreSQL the replicas count together in the
// database instead (rate-limits/database-throttles.ts).
import { RateLimitedError } from "@wgfleet/core";
import { type Clock, systemClock } from "../clock.js";

export interface LoginRateLimitSettings {
  /** Failures allowed inside the window for one username from one address. */
  maxFailures: number;
  /** Failures allowed inside the window from one address, whatever the usernames. */
  maxAddressFailures: number;
  windowMs: number;
  /** Keys tracked at most per table (oldest dropped first), so random names cannot exhaust memory. */
  maxKeys: number;
  /** Once a username has failed maxFailures times (any address), each attempt waits this much more... */
  userDelayStepMs: number;
  /** ...up to this. */
  maxUserDelayMs: number;
}

export const DEFAULT_LOGIN_RATE_LIMIT: LoginRateLimitSettings = {
  maxFailures: 10,
  maxAddressFailures: 30,
  windowMs: 15 * 60 * 1000,
  maxKeys: 10_000,
  userDelayStepMs: 250,
  maxUserDelayMs: 2000,
};

/** A 429 that knows when to come back (the Retry-After header, in seconds). */
export class LoginRateLimitedError extends RateLimitedError {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed logins from this address; try again in ${retryAfterSeconds} s`);
  }
}

class FailureWindows {
  /** Key → failure times, oldest first; Map order is insertion order, so eviction drops the oldest key. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  count(key: string, now: number): number {
    return this.prune(key, now).length;
  }

  /** Milliseconds until the key may try again, 0 when it may now. */
  blockedFor(key: string, now: number): number {
    const times = this.prune(key, now);
    if (times.length < this.limit) return 0;
    const oldest = times[times.length - this.limit] ?? now;
    return Math.max(1, oldest + this.windowMs - now);
  }

  record(key: string, now: number): void {
    const times = this.prune(key, now);
    times.push(now);
    if (times.length > this.limit) times.shift();
    this.failures.delete(key);
    this.failures.set(key, times);
    if (this.failures.size > this.maxKeys) {
      const oldestKey = this.failures.keys().next().value;
      if (oldestKey !== undefined) this.failures.delete(oldestKey);
    }
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private prune(key: string, now: number): number[] {
    const times = this.failures.get(key) ?? [];
    const fresh = times.filter((t) => t > now - this.windowMs);
    if (fresh.length === 0) this.failures.delete(key);
    else this.failures.set(key, fresh);
    return fresh;
  }
}

export class LoginRateLimiter {
  private readonly byPair: FailureWindows;
  private readonly byAddress: FailureWindows;
  private readonly byUser: FailureWindows;

  constructor(
    private readonly settings: LoginRateLimitSettings = DEFAULT_LOGIN_RATE_LIMIT,
    private readonly clock: Clock = systemClock,
  ) {
    const { windowMs, maxKeys } = settings;
    this.byPair = new FailureWindows(settings.maxFailures, windowMs, maxKeys);
    this.byAddress = new FailureWindows(settings.maxAddressFailures, windowMs, maxKeys);
    const delaySteps = Math.ceil(settings.maxUserDelayMs / Math.max(1, settings.userDelayStepMs));
    this.byUser = new FailureWindows(settings.maxFailures + delaySteps, windowMs, maxKeys);
  }

  /** Throws LoginRateLimitedError when this address has failed too often, for this name or in all. */
  check(username: string, address: string): void {
    const now = this.clock.now();
    const waitMs = Math.max(
      this.byPair.blockedFor(pairKey(username, address), now),
      this.byAddress.blockedFor(address, now),
    );
    if (waitMs > 0) throw new LoginRateLimitedError(Math.ceil(waitMs / 1000));
  }

  /** How long to hold an attempt for this username: 0 until it has failed maxFailures times. */
  delayMs(username: string): number {
    const failures = this.byUser.count(userKey(username), this.clock.now());
    const beyond = failures - this.settings.maxFailures + 1;
    if (beyond <= 0) return 0;
    return Math.min(beyond * this.settings.userDelayStepMs, this.settings.maxUserDelayMs);
  }

  recordFailure(username: string, address: string): void {
    const now = this.clock.now();
    this.byPair.record(pairKey(username, address), now);
    this.byAddress.record(address, now);
    this.byUser.record(userKey(username), now);
  }

  /** A good password clears the name's counts; the address keeps its own (other names it tried). */
  recordSuccess(username: string, address: string): void {
    this.byPair.clear(pairKey(username, address));
    this.byUser.clear(userKey(username));
  }
}

function userKey(username: string): string {
  return username.toLowerCase();
}

function pairKey(username: string, address: string): string {
  return `${userKey(username)}\n${address}`;
}
